#pragma once
// Paths and query strings: normalisation, percent-decoding, parameters.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gh::http {

// Collapses repeated '/' (okta-compat.md §1.2) and strips one trailing '/' (except for "/").
std::string normalize_path(std::string_view path);
// Percent-decoding; `plus_is_space` for query and form values. nullopt on a bad escape or NUL.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);
std::string percent_encode(std::string_view s);  // RFC 3986 unreserved kept

// Checks shared by every place that judges a URL Gatehouse will fetch (registration and fetch).
// ASCII lower-case, for schemes and host names.
std::string ascii_lower(std::string_view s);
// The port of an authority (RFC 3986 §3.2.3), 1 to 65535 in at most five ASCII digits; nullopt
// when empty, not all digits, 0 or too large.
std::optional<std::uint16_t> parse_port(std::string_view digits);
// Whether plain http may be used to reach `host`: only when it is one of `allow_http_hosts`
// (the operator's list), compared case-insensitively.
bool is_http_allowed(std::string_view host, const std::vector<std::string>& allow_http_hosts);

// A parsed query string or form body: ordered (name, value) pairs, decoded.
class Params {
 public:
  static std::optional<Params> parse(std::string_view raw);  // nullopt on bad encoding
  std::optional<std::string_view> get(std::string_view name) const;  // first occurrence
  std::size_t count(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
  // Re-encodes, replacing (or adding) `name` with `value`; for Link headers.
  std::string encode_with(std::string_view name, std::string_view value) const;

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

}  // namespace gh::http
