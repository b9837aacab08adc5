#pragma once
// Reading members of stored JSON bodies (documents, tokens' claims): the one definition that
// api and oauth share.
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include <string_view>

namespace gh::domain {

// The string member `key` of `o`, or null when it is absent or not a string.
inline const boost::json::string* find_str_member(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? &v->get_string() : nullptr;
}

// The string member `key` of `o`; "" when it is absent or not a string.
inline std::string_view str_member(const boost::json::object& o, std::string_view key) {
  auto* s = find_str_member(o, key);
  return s ? std::string_view(*s) : std::string_view{};
}

}  // namespace gh::domain
