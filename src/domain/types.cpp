#include "domain/types.hpp"

#include <array>

namespace gh::domain {
namespace {
constexpr std::array<std::string_view, 8> kUserStatus = {
    "STAGED", "PROVISIONED", "ACTIVE", "RECOVERY", "LOCKED_OUT", "PASSWORD_EXPIRED", "SUSPENDED",
    "DEPROVISIONED"};

std::string string_field(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (v && v->is_string()) return std::string(v->get_string());
  return {};
}
}  // namespace

std::string_view to_string(UserStatus s) { return kUserStatus[static_cast<std::size_t>(s)]; }

std::optional<UserStatus> user_status_from(std::string_view s) {
  for (std::size_t i = 0; i < kUserStatus.size(); ++i)
    if (kUserStatus[i] == s) return static_cast<UserStatus>(i);
  return std::nullopt;
}

std::string_view to_string(GroupType t) { return t == GroupType::BUILT_IN ? "BUILT_IN" : "OKTA_GROUP"; }
std::string_view to_string(PrincipalType t) { return t == PrincipalType::USER ? "USER" : "CLIENT"; }

std::string User::login() const { return string_field(profile, "login"); }
std::string Group::name() const { return string_field(profile, "name"); }

}  // namespace gh::domain
