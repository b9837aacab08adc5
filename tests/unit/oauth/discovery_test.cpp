// Discovery (OIDC Discovery §3, RFC 8414) and JWKS (RFC 7517 §5) of the org AS and custom
// authorization servers (okta-compat.md §4, §11.26).
#include "oauth_fixture.hpp"

namespace gh::oauth::testing {
namespace {

class DiscoveryTest : public OAuthFixture {
 protected:
  DiscoveryTest() {
    add_signing_key("", jose::Alg::ES256);
    add_auth_server("default", json::array{"api://default"}, {"widgets.read"});
    put(domain::kind::as_scope, id("scp"), "default", {{"name", "hidden"}, {"metadataPublish", "NO_CLIENTS"}});
    add_auth_server("ausoff", json::array{"api://off"}, {}, "INACTIVE");
  }
};

TEST_F(DiscoveryTest, DocumentsForEveryPathForm) {
  const std::string org(kOrgUrl);
  struct Case {
    std::string name, path, issuer, base;
  };
  const Case cases[] = {
      {"org oidc", "/.well-known/openid-configuration", org, org + "/oauth2/v1/"},
      {"org oauth", "/.well-known/oauth-authorization-server", org, org + "/oauth2/v1/"},
      {"custom oidc", "/oauth2/default/.well-known/openid-configuration", org + "/oauth2/default",
       org + "/oauth2/default/v1/"},
      {"custom oauth appended", "/oauth2/default/.well-known/oauth-authorization-server", org + "/oauth2/default",
       org + "/oauth2/default/v1/"},
      {"custom oauth inserted (RFC 8414 §3.1)", "/.well-known/oauth-authorization-server/oauth2/default",
       org + "/oauth2/default", org + "/oauth2/default/v1/"},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = get(c.path);
    ASSERT_EQ(r.res.status, 200) << r.res.body;
    EXPECT_EQ(r.res.content_type, "application/json");
    auto& d = r.body;
    EXPECT_EQ(str(d["issuer"]), c.issuer);
    EXPECT_EQ(str(d["token_endpoint"]), c.base + "token");
    EXPECT_EQ(str(d["jwks_uri"]), c.base + "keys");
    EXPECT_EQ(str(d["introspection_endpoint"]), c.base + "introspect");
    EXPECT_EQ(str(d["revocation_endpoint"]), c.base + "revoke");
    EXPECT_EQ(str(d["authorization_endpoint"]), c.base + "authorize");
    EXPECT_EQ(d["id_token_signing_alg_values_supported"], json::array{"RS256"});
    // okta-compat.md §11.26; the algorithms DPoP proofs are accepted with (§3 `algs`).
    EXPECT_EQ(d["dpop_signing_alg_values_supported"],
              (json::array{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}));
    for (auto* name : {"grant_types_supported", "token_endpoint_auth_methods_supported",
                       "introspection_endpoint_auth_methods_supported", "revocation_endpoint_auth_methods_supported",
                       "response_types_supported", "subject_types_supported", "scopes_supported",
                       "dpop_signing_alg_values_supported"}) {
      SCOPED_TRACE(name);
      ASSERT_TRUE(d.contains(name));
      EXPECT_TRUE(d[name].is_array());
    }
    auto& methods = d["token_endpoint_auth_methods_supported"].as_array();
    for (auto* m : {"client_secret_basic", "client_secret_post", "private_key_jwt"})
      EXPECT_NE(std::find(methods.begin(), methods.end(), json::value(m)), methods.end());
    auto& grants = d["grant_types_supported"].as_array();
    EXPECT_NE(std::find(grants.begin(), grants.end(), json::value("client_credentials")), grants.end());
    auto& scopes = d["scopes_supported"].as_array();
    if (c.issuer == org) {
      EXPECT_NE(std::find(scopes.begin(), scopes.end(), json::value("okta.users.read")), scopes.end());
    } else {
      EXPECT_EQ(scopes, json::array{"widgets.read"});  // NO_CLIENTS scopes are not published
    }
  }
}

TEST_F(DiscoveryTest, UnknownOrInactiveServerIs404Json) {
  for (std::string path : {"/oauth2/ausnope/.well-known/openid-configuration",
                           "/.well-known/oauth-authorization-server/oauth2/ausoff", "/oauth2/ausoff/v1/keys",
                           "/oauth2/ausnope/v1/keys", "/.well-known/nothing", "/oauth2/v1/authorize"}) {
    SCOPED_TRACE(path);
    auto r = get(path);
    EXPECT_EQ(r.res.status, 404);
    EXPECT_EQ(r.res.content_type, "application/json");
    EXPECT_EQ(r.error(), "not_found");
  }
  EXPECT_EQ(post("/.well-known/openid-configuration", "").res.status, 405);
}

TEST_F(DiscoveryTest, JwksOfEachServer) {
  for (std::string as_id : {"", "default"}) {
    SCOPED_TRACE(as_id);
    auto r = get(as_id.empty() ? "/oauth2/v1/keys" : "/oauth2/" + as_id + "/v1/keys");
    ASSERT_EQ(r.res.status, 200) << r.res.body;
    EXPECT_TRUE(r.header("Cache-Control").starts_with("max-age="));
    auto& keys = r.body["keys"].as_array();
    ASSERT_EQ(keys.size(), 1u);
    auto& k = keys[0].as_object();
    EXPECT_EQ(str(k.at("kid")), keyring_.active(*org_, as_id)->kid());
    EXPECT_EQ(k.at("use"), "sig");
    EXPECT_FALSE(k.contains("d"));  // never private members
  }
  auto h = get("/oauth2/v1/keys", http::Method::head);
  EXPECT_EQ(h.res.status, 200);
}

}  // namespace
}  // namespace gh::oauth::testing
