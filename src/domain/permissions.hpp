#pragma once
// Authorization model (DESIGN.md): permissions are atoms resource.action, action ∈ {read, manage},
// manage implies read; each needs the okta.<resource>.<action> scope, except groupMembers (Okta's
// permission okta.groups.members.manage: adding and removing members only), which Okta's API
// guards with the okta.groups.* scopes (okta-compat.md §6).
// One table maps each admin role to its permissions (permissions.cpp; README shows it).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gh::domain {

enum class Resource : std::uint8_t {
  users, groups, apps, appGrants, roles, apiTokens, authorizationServers, logs, oauthIntegrations, orgs,
  groupMembers,
  manifests,  // OIN submissions (okta.manifests.*, issue 15)
  count_
};
enum class Action : std::uint8_t { read, manage };

struct Permission {
  Resource resource;
  Action action;
  std::string scope() const;  // "okta.users.read"; groupMembers.manage: "okta.groups.manage"
};

// A set of permissions: two bits per resource.
class PermissionSet {
 public:
  void add(Permission p);
  bool allows(Permission p) const;  // manage implies read
  PermissionSet& operator|=(const PermissionSet& o) {
    bits_ |= o.bits_;
    return *this;
  }
  bool empty() const { return bits_ == 0; }

 private:
  std::uint32_t bits_ = 0;
};

std::string_view to_string(Resource r);

// The standard role types (okta-compat.md §5 RoleType) that Gatehouse assigns.
bool is_assignable_role(std::string_view type);
std::string_view role_label(std::string_view type);
PermissionSet permissions_of_role(std::string_view type);

struct RoleRow {
  std::string_view type;
  std::string_view label;
  std::vector<Permission> permissions;
};
std::span<const RoleRow> role_table();

}  // namespace gh::domain
