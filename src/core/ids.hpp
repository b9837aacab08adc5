#pragma once
// Okta-style ids: a kind prefix and 17 random base62 characters (okta-compat.md; issue #2), and
// the strong id types that carry them across the model and store boundaries (STYLE.md §3).
#include <fmt/format.h>

#include <compare>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/random.hpp"

namespace gh::core {

// An id of one kind (`Tag`): made from a string only explicitly, never converted into an id of
// another kind or back into a string implicitly. Compares and hashes as its string.
template <class Tag>
class BasicId {
 public:
  BasicId() = default;
  explicit BasicId(std::string s) : s_(std::move(s)) {}
  explicit BasicId(std::string_view s) : s_(s) {}
  explicit BasicId(const char* s) : s_(s) {}

  const std::string& str() const& { return s_; }
  std::string str() && { return std::move(s_); }  // moves the string out
  std::string_view view() const { return s_; }
  bool empty() const { return s_.empty(); }

  friend bool operator==(const BasicId&, const BasicId&) = default;
  friend std::strong_ordering operator<=>(const BasicId& a, const BasicId& b) { return a.s_ <=> b.s_; }

 private:
  std::string s_;
};

using OrgId = BasicId<struct OrgIdTag>;
using ClientId = BasicId<struct ClientIdTag>;
using UserId = BasicId<struct UserIdTag>;

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

template <class Tag>
struct std::hash<gh::core::BasicId<Tag>> {
  std::size_t operator()(const gh::core::BasicId<Tag>& id) const noexcept {
    return std::hash<std::string_view>{}(id.view());
  }
};

template <class Tag>
struct fmt::formatter<gh::core::BasicId<Tag>> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const gh::core::BasicId<Tag>& id, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(id.view(), ctx);
  }
};
