#pragma once
// Paths and query strings: normalisation, percent-decoding, parameters.
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
