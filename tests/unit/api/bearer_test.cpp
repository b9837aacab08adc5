// Bearer access tokens at the management API in process (okta-compat.md §3): the org AS only,
// scope first, then the client's roles; 401 with an invalid_token challenge for a bad token.
#include <gtest/gtest.h>

#include "access_token_fixture.hpp"

#include <boost/json/serialize.hpp>

#include <mutex>

#include "api/common/management_api.hpp"
#include "api/common/renderer.hpp"
#include "api/orgs/bootstrap.hpp"
#include "core/base64.hpp"
#include "core/time_format.hpp"
#include "jose/jws.hpp"
#include "keys/signing_keys.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "testing/temp_dir.hpp"

namespace gh::api {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

using testing::kClient;

class BearerTest : public testing::AccessTokenFixture {};

constexpr auto kGet = http::Method::get;
constexpr auto kPost = http::Method::post;
const std::string kNewGroup = R"({"profile":{"name":"g1"}})";

TEST_F(BearerTest, ScopeFirstThenRoles) {
  grant("okta.groups.read");
  grant("okta.groups.manage");
  grant("okta.users.read");
  struct Case {
    std::string name;
    std::vector<std::string> scp;
    std::string role;
    http::Method method;
    std::string path;
    int want;
    std::string want_scope;  // insufficient_scope challenge names it
  };
  const Case cases[] = {
      {"read scope, read role, GET", {"okta.groups.read"}, "READ_ONLY_ADMIN", kGet, "/api/v1/groups", 200, ""},
      {"read scope, POST", {"okta.groups.read"}, "SUPER_ADMIN", kPost, "/api/v1/groups", 403, "okta.groups.manage"},
      {"manage scope satisfies read", {"okta.groups.manage"}, "READ_ONLY_ADMIN", kGet, "/api/v1/groups", 200, ""},
      {"manage scope, read role, POST", {"okta.groups.manage"}, "READ_ONLY_ADMIN", kPost, "/api/v1/groups", 403, ""},
      {"manage scope and role", {"okta.groups.manage"}, "ORG_ADMIN", kPost, "/api/v1/groups", 200, ""},
      // Okta's Group Administrator manages members, not groups (issue 20).
      {"manage scope, group admin role, POST", {"okta.groups.manage"}, "USER_ADMIN", kPost, "/api/v1/groups", 403, ""},
      {"no role at all", {"okta.groups.read"}, "", kGet, "/api/v1/groups", 403, ""},
      {"other resource's scope", {"okta.groups.manage"}, "SUPER_ADMIN", kGet, "/api/v1/users", 403, "okta.users.read"},
      {"ungranted scope in token", {"okta.users.manage"}, "SUPER_ADMIN", kGet, "/api/v1/users", 403, "okta.users.read"},
      // Handlers that check inside apply the scope rule too.
      {"api-tokens list without its scope", {"okta.groups.read"}, "SUPER_ADMIN", kGet, "/api/v1/api-tokens", 403, ""},
      {"user by id without its scope", {"okta.groups.read"}, "SUPER_ADMIN", kGet, "/api/v1/users/00uany", 403, ""},
      {"api token creation refused", {"okta.groups.manage"}, "SUPER_ADMIN", kPost, "/api/v1/api-tokens", 403, ""},
  };
  int n = 0;
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    for (auto* r : [&] {
           std::shared_lock lk(org_->mutex());
           return org_->roles_of(domain::PrincipalType::CLIENT, kClient);
         }())
      commit({store::DeleteRole{r->id}});
    if (!c.role.empty()) role(c.role);
    auto body = c.method == kPost ? (c.path == "/api/v1/groups" ? R"({"profile":{"name":"g)" + std::to_string(n++) + "\"}}"
                                                                 : std::string(R"({"name":"t"})"))
                                  : std::string();
    auto res = call(c.method, c.path, "Bearer " + mint(c.scp), body);
    EXPECT_EQ(res.status, c.want) << res.body;
    auto challenge = header(res, "WWW-Authenticate");
    if (c.want == 403) {
      EXPECT_NE(res.body.find("E0000006"), std::string::npos);
    }
    if (c.want_scope.empty()) {
      EXPECT_EQ(challenge.find("insufficient_scope"), std::string::npos) << challenge;
    } else {
      EXPECT_EQ(challenge, "Bearer authorization_uri=\"http://gh.test/oauth2/v1/authorize\", realm=\"http://gh.test\", "
                           "scope=\"" + c.want_scope + "\", error=\"insufficient_scope\", error_description=\"The "
                           "access token provided does not contain the required scopes.\", resource=\"" + c.path + "\"");
    }
  }
}

TEST_F(BearerTest, RevokingAGrantActsOnTheNextCallWithIssuedTokens) {
  grant("okta.groups.read");
  role("READ_ONLY_ADMIN");
  auto token = "Bearer " + mint({"okta.groups.read"});
  EXPECT_EQ(call(kGet, "/api/v1/groups", token).status, 200);
  revoke_grant("okta.groups.read");
  auto res = call(kGet, "/api/v1/groups", token);
  EXPECT_EQ(res.status, 403);
  EXPECT_NE(header(res, "WWW-Authenticate").find("insufficient_scope"), std::string::npos);
  grant("okta.groups.read");
  EXPECT_EQ(call(kGet, "/api/v1/groups", token).status, 200);
  commit({store::DeleteRole{"irbREAD_ONLY_ADMIN"}});  // removing the role acts at once, too
  EXPECT_EQ(call(kGet, "/api/v1/groups", token).status, 403);
}

TEST_F(BearerTest, BadTokensAre401WithAnInvalidTokenChallenge) {
  grant("okta.groups.read");
  role("SUPER_ADMIN");
  auto good = mint({"okta.groups.read"});
  auto tampered = good;
  auto& ch = tampered[tampered.rfind('.') + 10];
  ch = ch == 'A' ? 'B' : 'A';
  auto none = good.substr(good.find('.'));
  none = core::base64url_encode(R"({"alg":"none","kid":")" + keyring_.active(*org_, "")->kid() + "\"}") +
         none.substr(0, none.rfind('.') + 1);
  auto expired = mint({"okta.groups.read"}, "", "AT.exp", 60);
  put({"revoked_token", "AT.rev", std::string(kClient), {{"exp", now_s() + 3600}}});
  auto revoked = mint({"okta.groups.read"}, "", "AT.rev");
  clock_.advance(61s);
  struct Case {
    std::string name, authorization, description;
  };
  const Case cases[] = {
      {"undefined", "Bearer undefined", "The access token is invalid."},
      {"empty", "Bearer", "The access token is invalid."},
      {"custom AS token", "Bearer " + mint({"okta.groups.read"}, "default"),
       "The access token provided is not intended for Okta."},
      {"alg none", "Bearer " + none, "The access token is invalid."},
      {"tampered signature", "Bearer " + tampered, "The access token is invalid."},
      {"expired", "Bearer " + expired, "The token has expired."},
      {"revoked", "Bearer " + revoked, "The access token has been revoked."},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto res = call(kGet, "/api/v1/groups", c.authorization);
    EXPECT_EQ(res.status, 401);
    EXPECT_NE(res.body.find("E0000011"), std::string::npos);
    EXPECT_EQ(header(res, "WWW-Authenticate"),
              "Bearer authorization_uri=\"http://gh.test/oauth2/v1/authorize\", realm=\"http://gh.test\", "
              "error=\"invalid_token\", error_description=\"" + c.description + "\"");
  }
  EXPECT_EQ(call(kGet, "/api/v1/groups", "bEaReR " + good).status, 200);  // §11.3
}

TEST_F(BearerTest, DeactivatingTheAppKillsItsTokensAtOnce) {
  grant("okta.groups.read");
  role("READ_ONLY_ADMIN");
  auto token = "Bearer " + mint({"okta.groups.read"});
  EXPECT_EQ(call(kGet, "/api/v1/groups", token).status, 200);
  domain::Document app{"app", std::string(kClient), "", {}};
  app.body = {{"id", kClient}, {"status", "INACTIVE"}, {"signOnMode", "OPENID_CONNECT"}};
  put(app);
  EXPECT_EQ(call(kGet, "/api/v1/groups", token).status, 401);
}

TEST_F(BearerTest, DpopSchemeWithATokenThatIsNotDpopBound) {  // okta-compat.md §11.29
  grant("okta.groups.read");
  role("READ_ONLY_ADMIN");
  auto res = call(kGet, "/api/v1/groups", "DPoP " + mint({"okta.groups.read"}));
  EXPECT_EQ(res.status, 401);
  EXPECT_NE(res.body.find("E0000011"), std::string::npos);
  EXPECT_EQ(header(res, "WWW-Authenticate"),
            "DPoP algs=\"RS256 RS384 RS512 ES256 ES384 ES512\", error=\"invalid_token\", "
            "error_description=\"The access token is not DPoP bound.\"");
}

TEST_F(BearerTest, DpopBoundTokenSentAsBearerNeedsAProof) {
  grant("okta.groups.read");
  role("READ_ONLY_ADMIN");
  auto token = mint({"okta.groups.read"}, "", "AT.d", 3600, {{"cnf", json::object{{"jkt", "abc"}}}});
  auto res = call(kGet, "/api/v1/groups", "Bearer " + token);
  EXPECT_EQ(res.status, 400);  // okta-compat.md §3 table
  EXPECT_EQ(header(res, "WWW-Authenticate"),
            "Bearer authorization_uri=\"http://gh.test/oauth2/v1/authorize\", realm=\"http://gh.test\", "
            "error=\"invalid_request\", error_description=\"The resource request requires a DPoP proof.\"");
}

TEST_F(BearerTest, SswsIsUnchanged) {
  EXPECT_EQ(call(kGet, "/api/v1/groups", "SSWS " + ssws_).status, 200);
  EXPECT_EQ(call(kPost, "/api/v1/groups", "SSWS " + ssws_, kNewGroup).status, 200);
  auto res = call(kGet, "/api/v1/groups", "SSWS gth_api_" + std::string(49, 'a'));
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(header(res, "WWW-Authenticate").find("error="), std::string::npos);
}

}  // namespace
}  // namespace gh::api
