#include "domain/permissions.hpp"

#include <gtest/gtest.h>

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

TEST(Permissions, RoleTableMatchesTheDocumentedModel) {
  struct Case {
    std::string_view role;
    Permission p;
    bool want;
  };
  const Case cases[] = {
      {"SUPER_ADMIN", {Resource::orgs, Action::manage}, true},
      {"SUPER_ADMIN", {Resource::roles, Action::manage}, true},
      {"ORG_ADMIN", {Resource::orgs, Action::manage}, false},
      {"ORG_ADMIN", {Resource::roles, Action::manage}, false},
      {"ORG_ADMIN", {Resource::users, Action::manage}, true},
      {"READ_ONLY_ADMIN", {Resource::groups, Action::read}, true},
      {"READ_ONLY_ADMIN", {Resource::groups, Action::manage}, false},
      {"USER_ADMIN", {Resource::groups, Action::manage}, true},
      {"USER_ADMIN", {Resource::apps, Action::read}, false},
      {"GROUP_MEMBERSHIP_ADMIN", {Resource::users, Action::manage}, false},
      {"REPORT_ADMIN", {Resource::logs, Action::read}, true},
      {"API_ACCESS_MANAGEMENT_ADMIN", {Resource::authorizationServers, Action::manage}, true},
      {"NOT_A_ROLE", {Resource::users, Action::read}, false},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(std::string(c.role) + " " + c.p.scope());
    EXPECT_EQ(permissions_of_role(c.role).allows(c.p), c.want);
  }
}

TEST(Permissions, ScopesNameTheOktaScope) {
  EXPECT_EQ((Permission{Resource::apiTokens, Action::read}.scope()), "okta.apiTokens.read");
  EXPECT_EQ((Permission{Resource::authorizationServers, Action::manage}.scope()), "okta.authorizationServers.manage");
  EXPECT_TRUE(is_assignable_role("HELP_DESK_ADMIN"));
  EXPECT_FALSE(is_assignable_role("CUSTOM"));
}

}  // namespace
}  // namespace gh::domain
