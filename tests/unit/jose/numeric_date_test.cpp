// RFC 7519 §2 NumericDate: the one policy (jose/numeric_date.hpp), each case once.
#include "jose/numeric_date.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <optional>
#include <string_view>

namespace gh::jose {
namespace {

TEST(NumericDate, AcceptsFiniteNonNegativeNumbersWithinBoundsFlooredAndRefusesTheRest) {
  struct Case {
    std::string_view name;
    std::string_view json;  // the claim's value as it appears in a JWT payload
    std::optional<std::int64_t> want;
  };
  const Case cases[] = {
      {"integer", "1700000000", 1700000000},
      {"zero", "0", 0},
      {"negative zero", "-0.0", 0},
      {"non-integer, floored", "1.5", 1},
      {"non-integer just below the next second", "1700000000.999", 1700000000},
      {"integer written as a double", "1.7e9", 1700000000},
      {"the bound", "253402300799", kMaxNumericDate},
      {"the bound as a double", "253402300799.0", kMaxNumericDate},
      {"a fraction past the bound", "253402300799.5", std::nullopt},
      {"past the bound", "253402300800", std::nullopt},
      {"past the bound as a double", "1e300", std::nullopt},
      {"past int64 (uint64)", "18446744073709551615", std::nullopt},
      {"negative integer", "-1", std::nullopt},
      {"negative non-integer", "-0.5", std::nullopt},
      {"string", "\"1700000000\"", std::nullopt},
      {"true", "true", std::nullopt},
      {"false", "false", std::nullopt},
      {"null", "null", std::nullopt},
      {"array", "[1700000000]", std::nullopt},
      {"object", "{\"t\":1700000000}", std::nullopt},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    boost::system::error_code ec;
    auto v = boost::json::parse(c.json, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(parse_numeric_date(v), c.want);
  }
}

}  // namespace
}  // namespace gh::jose
