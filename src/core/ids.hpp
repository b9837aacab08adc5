#pragma once
// Okta-style ids: a kind prefix and 17 random base62 characters (okta-compat.md; issue #2).
#include <string>
#include <string_view>

#include "core/random.hpp"

namespace gh::core {

namespace id_prefix {
inline constexpr std::string_view user = "00u";
inline constexpr std::string_view group = "00g";
inline constexpr std::string_view api_token = "00T";
inline constexpr std::string_view org = "00o";
inline constexpr std::string_view role_assignment = "ra1";
inline constexpr std::string_view app = "0oa";
}  // namespace id_prefix

inline std::string new_id(Random& r, std::string_view prefix) {
  std::string id{prefix};
  id += random_base62(r, 17);
  return id;
}

// 20 random base62 characters, for X-Okta-Request-Id and errorId.
inline std::string new_request_id(Random& r) { return random_base62(r, 20); }

}  // namespace gh::core
