// The token endpoint with client_credentials at the org AS and at custom authorization servers
// (RFC 6749 §4.4, §5; okta-compat.md §4.1, §4.2, §11.20).
#include "jose/jws.hpp"
#include "oauth_fixture.hpp"

namespace gh::oauth::testing {
namespace {

constexpr std::string_view kOrgToken = "/oauth2/v1/token";

class TokenEndpointTest : public OAuthFixture {
 protected:
  TokenEndpointTest() : rsa_(client_key(jose::Alg::RS256, "k-rsa")) { add_signing_key("", jose::Alg::RS256); }

  // A private_key_jwt app with a registered RS256 key.
  std::string jwt_app() {
    auto cid = add_app("private_key_jwt");
    add_key(cid, rsa_);
    return cid;
  }
  Call org_token(const std::string& cid, std::string scope_param) {
    auto a = assertion(cid, rsa_);
    return post(std::string(kOrgToken), "grant_type=client_credentials" + scope_param +
                                            "&client_assertion_type=" + enc(kJwtBearer) + "&client_assertion=" + a);
  }
  Call custom_token(const std::string& as_id, const std::string& cid, const std::string& secret,
                    std::string scope_param) {
    return post("/oauth2/" + as_id + "/v1/token", "grant_type=client_credentials" + scope_param, basic(cid, secret));
  }

  const jose::Jwk& rsa_;
};

TEST_F(TokenEndpointTest, OrgAuthorizationServerScopeRules) {
  auto cid = jwt_app();
  add_grant(cid, "okta.users.read");
  add_grant(cid, "okta.groups.read");
  add_grant(cid, "okta.apps.read", "INACTIVE");
  auto secret_app = add_app("client_secret_basic");
  auto secret = add_secret(secret_app);
  add_grant(secret_app, "okta.users.read");
  struct Case {
    std::string name, scope_param;
    int status;
    std::string error, granted;
  };
  const Case cases[] = {
      {"one granted scope", "&scope=okta.users.read", 200, "", "okta.users.read"},
      {"two granted scopes", "&scope=okta.users.read%20okta.groups.read", 200, "", "okta.users.read okta.groups.read"},
      {"plus as space", "&scope=okta.groups.read+okta.users.read", 200, "", "okta.groups.read okta.users.read"},
      {"repeated scope token", "&scope=okta.users.read%20okta.users.read", 200, "", "okta.users.read"},
      {"no scope", "", 400, "invalid_scope", ""},
      {"empty scope", "&scope=", 400, "invalid_scope", ""},
      {"ungranted okta scope is never narrowed", "&scope=okta.users.read%20okta.logs.read", 400, "invalid_scope", ""},
      {"INACTIVE grant", "&scope=okta.apps.read", 400, "invalid_scope", ""},
      {"custom scope", "&scope=widgets.read", 400, "invalid_scope", ""},
      {"openid", "&scope=openid", 400, "invalid_scope", ""},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = org_token(cid, c.scope_param);
    EXPECT_EQ(r.res.status, c.status) << r.res.body;
    EXPECT_EQ(r.error(), c.error);
    if (c.status == 200) {
      EXPECT_EQ(str(r.body["scope"]), c.granted);
    }
  }
  EXPECT_EQ(org_token(cid, "").body["error_description"], "No scopes were requested.");
  // Service apps must use private_key_jwt at the org AS (okta-compat.md §4 table).
  auto r = post(std::string(kOrgToken), "grant_type=client_credentials&scope=okta.users.read", basic(secret_app, secret));
  EXPECT_EQ(r.res.status, 401);
  EXPECT_EQ(r.error(), "invalid_client");
}

TEST_F(TokenEndpointTest, OrgTokenClaims) {
  auto cid = jwt_app();
  add_grant(cid, "okta.users.read");
  add_grant(cid, "okta.groups.manage");
  auto r = org_token(cid, "&scope=okta.users.read%20okta.groups.manage");
  ASSERT_EQ(r.res.status, 200) << r.res.body;
  EXPECT_EQ(r.body["token_type"], "Bearer");
  EXPECT_EQ(r.body["expires_in"], 3600);
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  EXPECT_EQ(r.header("Pragma"), "no-cache");
  EXPECT_EQ(r.body.size(), 4u);  // no refresh_token, no id_token
  auto jwt = std::string(r.body["access_token"].as_string());
  auto h = jwt_header(jwt);
  EXPECT_EQ(h.size(), 2u);  // {kid, alg}, no typ
  EXPECT_EQ(h["alg"], "RS256");
  auto key = keyring_.active(*org_, "");
  ASSERT_TRUE(key);
  EXPECT_EQ(str(h["kid"]), key->kid());
  EXPECT_TRUE(jose::verify(jwt, *key, jose::Alg::RS256));
  auto c = jwt_claims(jwt);
  EXPECT_EQ(c["ver"], 1);
  EXPECT_TRUE(c["jti"].as_string().starts_with("AT."));
  EXPECT_EQ(str(c["iss"]), kOrgUrl);
  EXPECT_EQ(str(c["aud"]), kOrgUrl);
  EXPECT_EQ(c["iat"], now_s());
  EXPECT_EQ(c["exp"], now_s() + 3600);
  EXPECT_EQ(str(c["cid"]), cid);
  EXPECT_EQ(str(c["sub"]), cid);
  EXPECT_EQ(c["scp"], (json::array{"okta.users.read", "okta.groups.manage"}));
  EXPECT_FALSE(c.contains("uid"));
  EXPECT_FALSE(c.contains("cnf"));
}

TEST_F(TokenEndpointTest, CustomAuthorizationServerPolicyEvaluation) {
  add_auth_server("aus1", json::array{"api://widgets"}, {"widgets.read", "widgets.write", "gadgets.read"});
  auto a = add_app("client_secret_basic");
  auto a_secret = add_secret(a);
  auto b = add_app("client_secret_post");
  auto b_secret = add_secret(b);
  // Priority 1: only for app a; its first rule is INACTIVE, the next one allows widgets.* only.
  auto p1 = add_policy("aus1", 1, json::array{json::string(a)});
  add_rule(p1, 1, json::array{"client_credentials"}, json::array{"*"}, 60, "INACTIVE");
  add_rule(p1, 3, json::array{"client_credentials"}, json::array{"widgets.read", "widgets.write"}, 10);
  add_rule(p1, 2, json::array{"authorization_code"}, json::array{"*"}, 20);
  // An INACTIVE policy for everyone at priority 0 is skipped.
  auto p0 = add_policy("aus1", 0, json::array{"ALL_CLIENTS"}, "INACTIVE");
  add_rule(p0, 1, json::array{"client_credentials"}, json::array{"*"});

  struct Case {
    std::string name;
    bool use_a;
    std::string scope_param;
    int status;
    std::string error;
    std::int64_t expires_in = 0;
  };
  const Case cases[] = {
      {"rule allows scopes", true, "&scope=widgets.read", 200, "", 600},
      {"rule allows both scopes", true, "&scope=widgets.read%20widgets.write", 200, "", 600},
      {"scope outside the rule", true, "&scope=gadgets.read", 400, "access_denied"},
      {"scope unknown on the AS", true, "&scope=okta.users.read", 400, "invalid_scope"},
      {"no scope", true, "", 400, "invalid_scope"},
      {"no policy for the client", false, "&scope=widgets.read", 401, "access_denied"},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = c.use_a ? custom_token("aus1", a, a_secret, c.scope_param)
                     : post("/oauth2/aus1/v1/token", "grant_type=client_credentials" + c.scope_param +
                                                         "&client_id=" + b + "&client_secret=" + b_secret);
    EXPECT_EQ(r.res.status, c.status) << r.res.body;
    EXPECT_EQ(r.error(), c.error);
    if (c.status == 200) {
      EXPECT_EQ(r.body["expires_in"], c.expires_in);
    }
  }
  // A later ALL_CLIENTS policy now matches b; a still gets its own (first) policy only.
  auto p2 = add_policy("aus1", 2, json::array{"ALL_CLIENTS"});
  add_rule(p2, 1, json::array{"client_credentials"}, json::array{"*"}, 30);
  auto r = post("/oauth2/aus1/v1/token", "grant_type=client_credentials&scope=gadgets.read&client_id=" + b +
                                             "&client_secret=" + b_secret);
  EXPECT_EQ(r.res.status, 200) << r.res.body;
  EXPECT_EQ(r.body["expires_in"], 1800);
  EXPECT_EQ(custom_token("aus1", a, a_secret, "&scope=gadgets.read").error(), "access_denied");
}

TEST_F(TokenEndpointTest, CustomTokenClaims) {
  add_auth_server("aus2", json::array{"api://one"}, {"widgets.read", "widgets.write"});
  auto p = add_policy("aus2", 1, json::array{"ALL_CLIENTS"});
  add_rule(p, 1, json::array{"client_credentials"}, json::array{"*"}, 15);
  auto claim = [&](std::string name, json::object extra) {
    json::object body{{"name", name}, {"status", "ACTIVE"}, {"claimType", "RESOURCE"}, {"valueType", "EXPRESSION"},
                      {"alwaysIncludeInToken", false}, {"conditions", {{"scopes", json::array{}}}}};
    merge(body, extra);
    put(domain::kind::as_claim, id("ocl"), "aus2", std::move(body));
  };
  claim("tenant", {{"value", "\"acme\""}, {"alwaysIncludeInToken", true}});
  claim("client", {{"value", "app.clientId"}, {"conditions", {{"scopes", json::array{"widgets.read"}}}}});
  claim("writer", {{"value", "\"yes\""}, {"conditions", {{"scopes", json::array{"widgets.write"}}}}});
  claim("off", {{"value", "\"x\""}, {"alwaysIncludeInToken", true}, {"status", "INACTIVE"}});
  claim("identity", {{"value", "\"x\""}, {"alwaysIncludeInToken", true}, {"claimType", "IDENTITY"}});
  claim("email", {{"value", "user.email"}, {"alwaysIncludeInToken", true}});
  claim("sub", {{"value", "\"spoof\""}, {"alwaysIncludeInToken", true}});
  auto cid = add_app("client_secret_basic");
  auto secret = add_secret(cid);
  auto r = custom_token("aus2", cid, secret, "&scope=widgets.read");
  ASSERT_EQ(r.res.status, 200) << r.res.body;
  EXPECT_EQ(r.body["expires_in"], 900);
  auto jwt = std::string(r.body["access_token"].as_string());
  auto key = keyring_.active(*org_, "aus2");
  ASSERT_TRUE(key);
  EXPECT_EQ(jwt_header(jwt)["alg"], "ES256");  // the AS key fixes the algorithm
  EXPECT_TRUE(jose::verify(jwt, *key, jose::Alg::ES256));
  auto c = jwt_claims(jwt);
  EXPECT_EQ(str(c["iss"]), std::string(kOrgUrl) + "/oauth2/aus2");
  EXPECT_EQ(c["aud"], "api://one");
  EXPECT_EQ(c["exp"], now_s() + 900);
  EXPECT_EQ(str(c["sub"]), cid);
  EXPECT_EQ(c["scp"], json::array{"widgets.read"});
  EXPECT_EQ(c["tenant"], "acme");
  EXPECT_EQ(str(c["client"]), cid);
  EXPECT_FALSE(c.contains("writer"));
  EXPECT_FALSE(c.contains("off"));
  EXPECT_FALSE(c.contains("identity"));
  EXPECT_FALSE(c.contains("email"));

  // Several audiences → an array.
  add_auth_server("aus3", json::array{"api://a", "api://b"}, {"widgets.read"});
  auto p3 = add_policy("aus3", 1, json::array{"ALL_CLIENTS"});
  add_rule(p3, 1, json::array{"client_credentials"}, json::array{"*"});
  auto r3 = custom_token("aus3", cid, secret, "&scope=widgets.read");
  ASSERT_EQ(r3.res.status, 200) << r3.res.body;
  EXPECT_EQ(jwt_claims(r3.body["access_token"].as_string())["aud"], (json::array{"api://a", "api://b"}));
}

TEST_F(TokenEndpointTest, RequestShapeErrors) {
  add_auth_server("default", json::array{"api://default"}, {"widgets.read"});
  auto p = add_policy("default", 1, json::array{"ALL_CLIENTS"});
  add_rule(p, 1, json::array{"client_credentials"}, json::array{"*"});
  auto cid = add_app("client_secret_basic");
  auto secret = add_secret(cid);
  auto dpop_app = add_app("client_secret_basic", "ACTIVE", true);
  auto dpop_secret = add_secret(dpop_app);
  add_auth_server("ausoff", json::array{"api://off"}, {"widgets.read"}, "INACTIVE");
  const std::string path = "/oauth2/default/v1/token";
  struct Case {
    std::string name, path, form, content_type;
    bool auth;
    int status;
    std::string error;
    std::string dpop = {};
  };
  const std::string ok = "grant_type=client_credentials&scope=widgets.read";
  const Case cases[] = {
      {"ok", path, ok, "application/x-www-form-urlencoded", true, 200, ""},
      {"charset parameter", path, ok, "application/x-www-form-urlencoded;charset=UTF-8", true, 200, ""},
      {"DPoP header ignored for a Bearer app", path, ok, "application/x-www-form-urlencoded", true, 200, "", "e30.e30.sig"},
      {"json body", path, R"({"grant_type":"client_credentials"})", "application/json", true, 400, "invalid_request"},
      {"no content type", path, ok, "", true, 400, "invalid_request"},
      {"bad encoding", path, ok + "&x=%zz", "application/x-www-form-urlencoded", true, 400, "invalid_request"},
      {"duplicate grant_type", path, ok + "&grant_type=client_credentials", "application/x-www-form-urlencoded", true,
       400, "invalid_request"},
      {"missing grant_type", path, "scope=widgets.read", "application/x-www-form-urlencoded", true, 400,
       "invalid_request"},
      {"password grant", path, "grant_type=password&scope=widgets.read", "application/x-www-form-urlencoded", true,
       400, "unsupported_grant_type"},
      {"unknown AS", "/oauth2/ausnope/v1/token", ok, "application/x-www-form-urlencoded", true, 404, "not_found"},
      {"INACTIVE AS", "/oauth2/ausoff/v1/token", ok, "application/x-www-form-urlencoded", true, 404, "not_found"},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = post(c.path, c.form, c.auth ? basic(cid, secret) : "", c.content_type, c.dpop);
    EXPECT_EQ(r.res.status, c.status) << r.res.body;
    EXPECT_EQ(r.error(), c.error);
    EXPECT_EQ(r.res.content_type, "application/json");
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
  }
  // A DPoP-bound app's proof is validated (token_endpoint_dpop_test.cpp has every rule).
  auto r = post(path, ok, basic(dpop_app, dpop_secret), "application/x-www-form-urlencoded", "e30.e30.sig");
  EXPECT_EQ(r.res.status, 400);
  EXPECT_EQ(r.error(), "invalid_dpop_proof");
  EXPECT_EQ(r.body["error_description"], "'typ' must be 'dpop+jwt' in the DPoP proof JWT.");
  // Wrong method.
  auto g = get(path);
  EXPECT_EQ(g.res.status, 405);
  EXPECT_EQ(g.header("Allow"), "POST");
}

}  // namespace
}  // namespace gh::oauth::testing
