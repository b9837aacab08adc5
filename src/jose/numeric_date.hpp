#pragma once
// JWT NumericDate (RFC 7519 §2): the one parser and the one policy for the time claims of every
// JWT Gatehouse reads: client assertions (RFC 7523), DPoP proofs (RFC 9449) and access tokens.
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>

namespace gh::jose {

// 9999-12-31T23:59:59Z: the last second an RFC 3339 date-time can write.
inline constexpr std::int64_t kMaxNumericDate = 253402300799;

// RFC 7519 §2: "NumericDate: A JSON numeric value representing the number of seconds from
// 1970-01-01T00:00:00Z UTC ... non-integer values can be represented." Accepts a JSON number,
// integer or not, that is finite, >= 0 and <= kMaxNumericDate, floored to whole seconds;
// nullopt for anything else (strings, booleans, null, objects, arrays, negative or larger
// values). Thread-safe; allocates nothing.
std::optional<std::int64_t> parse_numeric_date(const boost::json::value& v);

}  // namespace gh::jose
