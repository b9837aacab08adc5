#include "domain/permissions.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <string>

namespace gh::domain {
namespace {

TEST(Permissions, ManageImpliesReadButNotTheOtherWay) {
  PermissionSet s;
  s.add({Resource::groups, Action::manage});
  s.add({Resource::users, Action::read});
  EXPECT_TRUE(s.allows({Resource::groups, Action::read}));
  EXPECT_TRUE(s.allows({Resource::groups, Action::manage}));
  EXPECT_TRUE(s.allows({Resource::users, Action::read}));
  EXPECT_FALSE(s.allows({Resource::users, Action::manage}));
  EXPECT_FALSE(s.allows({Resource::apps, Action::read}));
}

// Every role against every permission atom, as one table (issue 20): Okta's standard roles
// (help.okta.com "Standard administrator roles and permissions" and the page of each role), as
// README "Admin roles → permissions" shows them. "m" = manage (and read), "r" = read, "-" = none.
// A new Resource adds a column here: decide it for every role.
TEST(Permissions, EveryRoleAgainstEveryPermission) {
  constexpr Resource kColumns[] = {Resource::users,     Resource::groups,    Resource::groupMembers,
                                   Resource::apps,      Resource::appGrants, Resource::roles,
                                   Resource::apiTokens, Resource::authorizationServers, Resource::logs,
                                   Resource::oauthIntegrations, Resource::orgs, Resource::manifests};
  static_assert(std::size(kColumns) == static_cast<std::size_t>(Resource::count_), "one column per Resource");
  struct Row {
    std::string_view role;
    std::string_view levels;  // one letter per column, in kColumns order
  };
  const Row rows[] = {
      //                              u  g  gm a  ag ro at as lo oi or ma
      {"SUPER_ADMIN",                 "m  m  m  m  m  m  m  m  r  m  m  m"},
      {"ORG_ADMIN",                   "m  m  m  m  m  r  m  r  r  m  -  m"},
      {"APP_ADMIN",                   "r  r  -  m  m  -  -  -  r  m  -  m"},
      {"USER_ADMIN",                  "m  r  m  -  -  -  -  -  -  -  -  -"},
      {"GROUP_MEMBERSHIP_ADMIN",      "r  r  m  -  -  -  -  -  -  -  -  -"},
      {"HELP_DESK_ADMIN",             "r  r  -  -  -  -  -  -  -  -  -  -"},
      {"READ_ONLY_ADMIN",             "r  r  -  r  r  r  r  r  r  r  -  r"},
      {"API_ACCESS_MANAGEMENT_ADMIN", "-  r  -  r  r  -  -  m  -  -  -  -"},
      {"REPORT_ADMIN",                "r  r  -  -  -  -  -  -  r  -  -  -"},
      {"NOT_A_ROLE",                  "-  -  -  -  -  -  -  -  -  -  -  -"},
  };
  std::size_t assignable = 0;
  for (auto& row : rows) {
    std::string levels;
    for (char c : row.levels)
      if (c != ' ') levels += c;
    ASSERT_EQ(levels.size(), std::size(kColumns)) << row.role;
    assignable += is_assignable_role(row.role);
    auto set = permissions_of_role(row.role);
    for (std::size_t i = 0; i < std::size(kColumns); ++i) {
      for (auto a : {Action::read, Action::manage}) {
        Permission p{kColumns[i], a};
        bool want = levels[i] == 'm' || (levels[i] == 'r' && a == Action::read);
        EXPECT_EQ(set.allows(p), want) << row.role << " " << to_string(p.resource)
                                       << (a == Action::read ? ".read" : ".manage");
      }
    }
  }
  EXPECT_EQ(assignable, role_table().size()) << "every role of the table has a row here";
}

TEST(Permissions, ScopesNameTheOktaScope) {
  EXPECT_EQ((Permission{Resource::apiTokens, Action::read}.scope()), "okta.apiTokens.read");
  EXPECT_EQ((Permission{Resource::authorizationServers, Action::manage}.scope()), "okta.authorizationServers.manage");
  // Okta guards membership changes with okta.groups.manage (okta-compat.md §6).
  EXPECT_EQ((Permission{Resource::groupMembers, Action::manage}.scope()), "okta.groups.manage");
  EXPECT_EQ(to_string(Resource::groupMembers), "groupMembers");
  // The catalog reads and installs manage API service integrations (issue 15).
  EXPECT_EQ((Permission{Resource::oauthIntegrations, Action::read}.scope()), "okta.oauthIntegrations.read");
  EXPECT_EQ((Permission{Resource::oauthIntegrations, Action::manage}.scope()), "okta.oauthIntegrations.manage");
  EXPECT_TRUE(is_assignable_role("HELP_DESK_ADMIN"));
  EXPECT_FALSE(is_assignable_role("CUSTOM"));
}

}  // namespace
}  // namespace gh::domain
