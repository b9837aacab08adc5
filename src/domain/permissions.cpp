#include "domain/permissions.hpp"

#include <array>

namespace gh::domain {
namespace {
using R = Resource;
constexpr Action r = Action::read;
constexpr Action m = Action::manage;

const std::vector<RoleRow>& table() {
  // The one table of admin roles → permissions. Documented in README.md ("Admin roles").
  static const std::vector<RoleRow> t = {
      {"SUPER_ADMIN", "Super Administrator",
       {{R::users, m}, {R::groups, m}, {R::apps, m}, {R::appGrants, m}, {R::roles, m},
        {R::apiTokens, m}, {R::authorizationServers, m}, {R::logs, r}, {R::oauthIntegrations, m},
        {R::orgs, m}, {R::manifests, m}}},
      {"ORG_ADMIN", "Organizational Administrator",
       {{R::users, m}, {R::groups, m}, {R::apps, m}, {R::appGrants, m}, {R::roles, r},
        {R::apiTokens, m}, {R::authorizationServers, r}, {R::logs, r}, {R::oauthIntegrations, m},
        {R::manifests, m}}},
      {"APP_ADMIN", "Application Administrator",
       {{R::users, r}, {R::groups, r}, {R::apps, m}, {R::appGrants, m}, {R::oauthIntegrations, m},
        {R::logs, r}, {R::manifests, m}}},
      {"USER_ADMIN", "Group Administrator", {{R::users, m}, {R::groups, m}}},
      {"GROUP_MEMBERSHIP_ADMIN", "Group Membership Administrator", {{R::users, r}, {R::groups, m}}},
      {"HELP_DESK_ADMIN", "Help Desk Administrator", {{R::users, m}, {R::groups, r}}},
      {"READ_ONLY_ADMIN", "Read-only Administrator",
       {{R::users, r}, {R::groups, r}, {R::apps, r}, {R::appGrants, r}, {R::roles, r},
        {R::apiTokens, r}, {R::authorizationServers, r}, {R::logs, r}, {R::oauthIntegrations, r},
        {R::manifests, r}}},
      {"API_ACCESS_MANAGEMENT_ADMIN", "API Access Management Administrator",
       {{R::authorizationServers, m}, {R::apps, r}, {R::appGrants, r}, {R::groups, r}}},
      {"REPORT_ADMIN", "Report Administrator", {{R::logs, r}, {R::users, r}, {R::groups, r}}},
  };
  return t;
}

constexpr std::array<std::string_view, static_cast<std::size_t>(Resource::count_)> kNames = {
    "users", "groups", "apps", "appGrants", "roles", "apiTokens", "authorizationServers", "logs",
    "oauthIntegrations", "orgs", "manifests"};
}  // namespace

std::string_view to_string(Resource res) { return kNames[static_cast<std::size_t>(res)]; }

std::string Permission::scope() const {
  std::string s = "okta.";
  s += to_string(resource);
  s += action == Action::read ? ".read" : ".manage";
  return s;
}

void PermissionSet::add(Permission p) {
  auto shift = static_cast<unsigned>(p.resource) * 2;
  bits_ |= (p.action == Action::manage ? 3u : 1u) << shift;  // manage implies read
}

bool PermissionSet::allows(Permission p) const {
  auto shift = static_cast<unsigned>(p.resource) * 2;
  auto need = p.action == Action::manage ? 2u : 1u;
  return ((bits_ >> shift) & need) != 0;
}

bool is_assignable_role(std::string_view type) {
  for (auto& row : table())
    if (row.type == type) return true;
  return false;
}

std::string_view role_label(std::string_view type) {
  for (auto& row : table())
    if (row.type == type) return row.label;
  return type;
}

PermissionSet permissions_of_role(std::string_view type) {
  PermissionSet s;
  for (auto& row : table())
    if (row.type == type)
      for (auto p : row.permissions) s.add(p);
  return s;
}

std::span<const RoleRow> role_table() { return table(); }

}  // namespace gh::domain
