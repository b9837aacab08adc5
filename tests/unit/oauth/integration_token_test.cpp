// The token endpoint for API service integration instances (issue 15; okta-compat.md §4 table,
// §4.1): client_secret_basic at the org AS, and only scopes the org consented to that the
// integration's current published version declares (a test instance: its draft's snapshot);
// a revoked integration's instances get no token.
#include "oauth_fixture.hpp"

namespace gh::oauth::testing {
namespace {

constexpr std::string_view kOrgToken = "/oauth2/v1/token";
constexpr std::string_view kOrgId = "00o1test";  // OAuthFixture's org: vendor and customer here

class IntegrationTokenTest : public OAuthFixture {
 protected:
  IntegrationTokenTest() { add_signing_key("", jose::Alg::RS256); }

  // The vendor's submission `key` with a published copy declaring `scopes`.
  void publish(std::string key, std::vector<std::string> scopes, bool revoked = false) {
    json::array declared;
    for (auto& s : scopes) declared.push_back(json::object{{"scope", s}, {"reason", "r"}});
    put(domain::kind::submission, key, "",
        {{"name", "Acme"}, {"status", "PUBLISHED"},
         {"_gh", {{"published", {{"name", "Acme"}, {"version", 1}, {"listed", true}, {"revoked", revoked},
                                 {"apiService", {{"scopes", declared}}}}}}}});
  }
  // An instance of `type` (a client_secret_basic service app with `_gh.integration`).
  std::string instance(std::string type, bool test = false, std::vector<std::string> snapshot = {}) {
    auto cid = add_app("client_secret_basic");
    auto body = org_->doc(domain::kind::app, cid)->body;
    json::object integration{{"type", type}, {"vendorOrg", kOrgId}, {"instanceId", cid}, {"testInstance", test}};
    if (test) {
      json::array a;
      for (auto& s : snapshot) a.emplace_back(s);
      integration["declaredScopes"] = a;
    }
    body["_gh"] = json::object{{"integration", integration}};
    put(domain::kind::app, cid, "", body);
    return cid;
  }
  Call token(const std::string& cid, const std::string& secret, std::string scope) {
    return post(std::string(kOrgToken), "grant_type=client_credentials&scope=" + scope, basic(cid, secret));
  }
};

TEST_F(IntegrationTokenTest, OnlyConsentedScopesTheCurrentVersionDeclares) {
  publish("acme", {"okta.users.read", "okta.groups.read"});
  auto cid = instance("acme");
  auto secret = add_secret(cid);
  add_grant(cid, "okta.users.read");
  add_grant(cid, "okta.groups.read");
  add_grant(cid, "okta.logs.read");  // granted (somehow) but never declared
  struct Case {
    std::string scope;
    int status;
    std::string error;
  } cases[] = {
      {"okta.users.read", 200, ""},
      {"okta.users.read%20okta.groups.read", 200, ""},
      {"okta.logs.read", 400, "invalid_scope"},
      {"okta.apps.read", 400, "invalid_scope"},
      {"okta.users.read%20okta.logs.read", 400, "invalid_scope"},  // never narrowed
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.scope);
    auto r = token(cid, secret, c.scope);
    EXPECT_EQ(r.res.status, c.status) << r.res.body;
    EXPECT_EQ(r.error(), c.error);
  }
  // Version 2 drops groups.read: refused from the next request on.
  publish("acme", {"okta.users.read"});
  EXPECT_EQ(token(cid, secret, "okta.groups.read").error(), "invalid_scope");
  EXPECT_EQ(token(cid, secret, "okta.users.read").res.status, 200);
  // Never from a custom AS, even one whose policy includes every client.
  add_auth_server("aus1", json::array{"api://x"}, {"widgets.read"});
  add_rule(add_policy("aus1", 1, json::array{"ALL_CLIENTS"}), 1, json::array{"client_credentials"}, json::array{"*"});
  auto custom = post("/oauth2/aus1/v1/token", "grant_type=client_credentials&scope=widgets.read", basic(cid, secret));
  EXPECT_EQ(custom.res.status, 400) << custom.res.body;
  EXPECT_EQ(custom.error(), "unauthorized_client");
  // A deactivated secret authenticates no more.
  auto second = add_secret(cid, "INACTIVE");
  EXPECT_EQ(token(cid, second, "okta.users.read").res.status, 401);
  // The operator revokes every install: no token at all.
  publish("acme", {"okta.users.read"}, /*revoked=*/true);
  auto r = token(cid, secret, "okta.users.read");
  EXPECT_EQ(r.res.status, 401);
  EXPECT_EQ(r.error(), "invalid_client");
}

TEST_F(IntegrationTokenTest, TestInstanceUsesItsSnapshotAndOrdinaryAppsStillNeedKeys) {
  auto cid = instance("drafty", /*test=*/true, {"okta.users.read"});
  auto secret = add_secret(cid);
  add_grant(cid, "okta.users.read");
  add_grant(cid, "okta.groups.read");
  EXPECT_EQ(token(cid, secret, "okta.users.read").res.status, 200);
  EXPECT_EQ(token(cid, secret, "okta.groups.read").error(), "invalid_scope");
  // An instance whose integration is not published (and not a test instance) gets nothing.
  auto orphan = instance("never_published");
  auto orphan_secret = add_secret(orphan);
  add_grant(orphan, "okta.users.read");
  EXPECT_EQ(token(orphan, orphan_secret, "okta.users.read").error(), "invalid_client");
  // An ordinary service app with client_secret_basic is still refused at the org AS.
  auto app = add_app("client_secret_basic");
  auto app_secret = add_secret(app);
  add_grant(app, "okta.users.read");
  EXPECT_EQ(token(app, app_secret, "okta.users.read").error(), "invalid_client");
}

}  // namespace
}  // namespace gh::oauth::testing
