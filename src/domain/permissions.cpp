#include "domain/permissions.hpp"

#include <array>

namespace gh::domain {
namespace {
using R = Resource;
constexpr Action r = Action::read;
constexpr Action m = Action::manage;

const std::vector<RoleRow>& table() {
  // The one table of admin roles → permissions. Documented in README.md ("Admin roles"). It
  // follows Okta's standard roles (help.okta.com "Standard administrator roles and permissions"
  // and one page per role): groups.manage creates, replaces and deletes groups; groupMembers.manage
  // only adds and removes members.
  static const std::vector<RoleRow> t = {
      {"SUPER_ADMIN", "Super Administrator",
       {{R::users, m}, {R::groups, m}, {R::groupMembers, m}, {R::apps, m}, {R::appGrants, m}, {R::roles, m},
        {R::apiTokens, m}, {R::authorizationServers, m}, {R::logs, r}, {R::oauthIntegrations, m},
        {R::orgs, m}, {R::manifests, m}}},
      {"ORG_ADMIN", "Organizational Administrator",
       {{R::users, m}, {R::groups, m}, {R::groupMembers, m}, {R::apps, m}, {R::appGrants, m}, {R::roles, r},
        {R::apiTokens, m}, {R::authorizationServers, r}, {R::logs, r}, {R::oauthIntegrations, m},
        {R::manifests, m}}},
      {"APP_ADMIN", "Application Administrator",
       {{R::users, r}, {R::groups, r}, {R::apps, m}, {R::appGrants, m}, {R::oauthIntegrations, m},
        {R::logs, r}, {R::manifests, m}}},
      // Okta's Group Administrator manages users and the membership of its groups, but cannot
      // create or delete groups.
      {"USER_ADMIN", "Group Administrator", {{R::users, m}, {R::groups, r}, {R::groupMembers, m}}},
      // Views users and groups, adds and removes members; cannot create, rename or delete groups.
      {"GROUP_MEMBERSHIP_ADMIN", "Group Membership Administrator",
       {{R::users, r}, {R::groups, r}, {R::groupMembers, m}}},
      // Okta's help desk resets passwords and factors, unlocks users and clears sessions (none
      // of which Gatehouse has); it cannot create, activate, suspend or delete users, nor change
      // group membership: here it views users and groups.
      {"HELP_DESK_ADMIN", "Help Desk Administrator", {{R::users, r}, {R::groups, r}}},
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
    "oauthIntegrations", "orgs", "groupMembers", "manifests"};
}  // namespace

std::string_view to_string(Resource res) { return kNames[static_cast<std::size_t>(res)]; }

std::string Permission::scope() const {
  // okta-compat.md §6: membership changes (PUT/DELETE /api/v1/groups/{id}/users/{uid}) need
  // okta.groups.manage; Okta has no okta.groups.members.* scope.
  auto scoped = resource == Resource::groupMembers ? Resource::groups : resource;
  std::string s = "okta.";
  s += to_string(scoped);
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
