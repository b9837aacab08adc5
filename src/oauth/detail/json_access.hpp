#pragma once
// Read-only access to the members of stored documents (docs/oauth-documents.md). Documents are
// written by the management API; a missing or mistyped member reads as absent, never as a crash.
// An app's own settings are not read here: the token endpoint reads them typed, parsed once
// (domain::ClientRecord via OrgModel::client).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace gh::oauth::detail {

// The value at a path of object members, e.g. at(app.body, {"settings", "oauthClient"}).
inline const boost::json::value* at(const boost::json::object& o,
                                    std::initializer_list<std::string_view> path) {
  const boost::json::object* cur = &o;
  const boost::json::value* v = nullptr;
  for (auto name : path) {
    if (!cur) return nullptr;
    v = cur->if_contains(name);
    if (!v) return nullptr;
    cur = v->if_object();
  }
  return v;
}

inline std::string_view str_at(const boost::json::object& o,
                               std::initializer_list<std::string_view> path) {
  auto* v = at(o, path);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

inline const boost::json::array* array_at(const boost::json::object& o,
                                          std::initializer_list<std::string_view> path) {
  auto* v = at(o, path);
  return v ? v->if_array() : nullptr;
}

inline bool bool_at(const boost::json::object& o, std::initializer_list<std::string_view> path) {
  auto* v = at(o, path);
  return v && v->is_bool() && v->get_bool();
}

// An integral JSON number (int64, uint64, or a double with no fraction); nullopt otherwise.
inline std::optional<std::int64_t> integer_of(const boost::json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(v.get_uint64());
  }
  if (v.is_double()) {
    double d = v.get_double();
    if (!std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > 9.0e15) return std::nullopt;
    return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

inline std::optional<std::int64_t> int_at(const boost::json::object& o,
                                          std::initializer_list<std::string_view> path) {
  auto* v = at(o, path);
  return v ? integer_of(*v) : std::nullopt;
}

// True when `a` holds the string `s`.
inline bool contains_string(const boost::json::array* a, std::string_view s) {
  if (!a) return false;
  for (auto& v : *a)
    if (v.is_string() && v.get_string() == s) return true;
  return false;
}

inline bool is_active(const boost::json::object& body) { return str_at(body, {"status"}) == "ACTIVE"; }

}  // namespace gh::oauth::detail
