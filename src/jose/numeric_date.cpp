#include "jose/numeric_date.hpp"

#include <cmath>

namespace gh::jose {

std::optional<std::int64_t> parse_numeric_date(const boost::json::value& v) {
  if (v.is_int64()) {
    auto n = v.get_int64();
    if (n < 0 || n > kMaxNumericDate) return std::nullopt;
    return n;
  }
  if (v.is_uint64()) {
    auto n = v.get_uint64();
    if (n > static_cast<std::uint64_t>(kMaxNumericDate)) return std::nullopt;
    return static_cast<std::int64_t>(n);
  }
  if (v.is_double()) {
    double d = v.get_double();
    // NaN fails both comparisons; -0.0 passes and floors to 0.
    if (!(d >= 0.0 && d <= static_cast<double>(kMaxNumericDate))) return std::nullopt;
    return static_cast<std::int64_t>(std::floor(d));
  }
  return std::nullopt;
}

}  // namespace gh::jose
