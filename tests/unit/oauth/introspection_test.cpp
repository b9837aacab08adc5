// POST /oauth2[/asId]/v1/introspect in process (RFC 7662, okta-compat.md §4.3): the answers a
// client gets for its own, others', dead and garbage tokens.
#include "oauth/introspection/introspection.hpp"

#include <gtest/gtest.h>

#include "testing/org_fixture.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <mutex>

#include "api/common/renderer.hpp"
#include "api/orgs/bootstrap.hpp"
#include "core/base64.hpp"
#include "core/time_format.hpp"
#include "crypto/credential.hpp"
#include "jose/jws.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "testing/temp_dir.hpp"

namespace gh::oauth {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

// What oauth::Endpoints sends for a handler's answer (refusals rendered).
http::Response answer(Result<http::Response> r) { return r ? std::move(*r) : render(r.error()); }

class IntrospectionTest : public gh::testing::OrgFixture {
 protected:
  IntrospectionTest()
      : OrgFixture(5),
        env_{directory_, *store_, clock_, random_, pepper_, keyring_},
        client_auth_(env_, assertion_jtis_),
        verifier_(keyring_, clock_),
        introspection_(client_auth_, verifier_, clock_, Limits{}) {
    auto b = api::bootstrap_org(random_, pepper_, sealer_, now(), "", "First",
                                {{"login", "a@x.io"}, {"email", "a@x.io"}, {"firstName", "A"}, {"lastName", "D"}},
                                "x", 1);
    EXPECT_TRUE(store_->create_org(b.org, b.changes));
    org_ = &directory_.add(std::make_unique<model::OrgModel>(*store_->load_org(core::OrgId{b.org.id}), "http://gh.test", renderer_));
    secret_a_ = add_app("0oaclienta", "client_secret_basic");
    secret_b_ = add_app("0oaclientb", "client_secret_post");
    put({"scope_grant", "oag1", "0oaclienta", {{"status", "ACTIVE"}, {"scopeId", "okta.groups.read"}}});
  }
  std::int64_t now_s() const { return now() / 1000; }
  void put(domain::Document d) {
    store::ChangeSet cs{store::PutDocument{std::move(d)}};
    ASSERT_TRUE(store_->commit(org_->id(), cs));
    std::unique_lock lk(org_->mutex());
    org_->apply(cs);
  }
  std::string add_app(std::string id, std::string method) {
    domain::Document app{"app", id, "", {}};
    app.body = {{"id", id},
                {"status", "ACTIVE"},
                {"signOnMode", "OPENID_CONNECT"},
                {"credentials", {{"oauthClient", {{"client_id", id}, {"token_endpoint_auth_method", method}}}}}};
    put(app);
    auto secret = crypto::generate_credential(random_, crypto::CredentialKind::client_secret);
    auto mac = pepper_.mac(secret.reveal());
    domain::Document s{"client_secret", "ocs" + id, id, {}};
    s.body = {{"status", "ACTIVE"},
              {"_gh", {{"mac", core::base64url_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()))}}}};
    put(s);
    return std::string(secret.reveal());
  }
  std::string mint(std::string cid, std::string_view as_id = "", std::string jti = "AT.1", std::int64_t ttl = 3600) {
    auto iss = as_id.empty() ? org_->url() : org_->url() + "/oauth2/" + std::string(as_id);
    json::object c{{"ver", 1},         {"jti", jti},          {"iss", iss},
                   {"aud", as_id.empty() ? org_->url() : std::string("api://default")},
                   {"iat", now_s()},   {"exp", now_s() + ttl}, {"cid", cid},
                   {"scp", json::array{"okta.groups.read", "okta.users.read"}}, {"sub", cid}};
    auto key = keyring_.active(*org_, as_id);
    return *jose::sign(*key->alg(), *key, {{"kid", key->kid()}}, json::serialize(c));
  }
  // As client A (client_secret_basic) unless `form` carries other credentials.
  http::Response introspect(std::string form, std::string_view as_id = "", bool basic_a = true) {
    http::Request req;
    req.method = http::Method::post;
    body_ = std::move(form);
    req.body = body_;
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    basic_ = "Basic " + core::base64_encode("0oaclienta:" + secret_a_);
    if (basic_a) req.headers.emplace_back("Authorization", basic_);
    return answer(introspection_.handle(req, *org_, as_id));
  }
  static std::string header(const http::Response& r, std::string_view name) {
    for (auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }

  Env env_;
  ReplayCache assertion_jtis_;
  ClientAuthenticator client_auth_;
  AccessTokenVerifier verifier_;
  Introspection introspection_;
  model::OrgModel* org_ = nullptr;
  std::string secret_a_, secret_b_, body_, basic_;
};

TEST_F(IntrospectionTest, OwnActiveTokenShowsItsClaims) {
  auto res = introspect("token=" + mint("0oaclienta") + "&token_type_hint=access_token");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.content_type, "application/json");
  EXPECT_EQ(header(res, "Cache-Control"), "no-store");
  auto o = json::parse(res.body).as_object();
  EXPECT_EQ(o.at("active"), true);
  EXPECT_EQ(o.at("token_type"), "Bearer");
  EXPECT_EQ(o.at("scope"), "okta.groups.read");  // okta.users.read has no ACTIVE grant (any more)
  EXPECT_EQ(o.at("client_id"), "0oaclienta");
  EXPECT_EQ(o.at("sub"), "0oaclienta");
  EXPECT_EQ(o.at("aud"), "http://gh.test");  // a string, as in the token (§11.25)
  EXPECT_EQ(o.at("iss"), "http://gh.test");
  EXPECT_EQ(o.at("jti"), "AT.1");
  EXPECT_EQ(o.at("exp").as_int64() - o.at("iat").as_int64(), 3600);
  EXPECT_FALSE(o.contains("uid"));
}

TEST_F(IntrospectionTest, CustomAuthorizationServerTokens) {
  auto token = mint("0oaclienta", "default");
  auto res = introspect("token=" + token, "default");
  ASSERT_EQ(res.status, 200);
  auto o = json::parse(res.body).as_object();
  EXPECT_EQ(o.at("active"), true);
  EXPECT_EQ(o.at("aud"), "api://default");
  EXPECT_EQ(o.at("iss"), "http://gh.test/oauth2/default");
  EXPECT_EQ(o.at("scope"), "okta.groups.read okta.users.read");  // custom AS scopes as issued
  EXPECT_EQ(introspect("token=" + token).body, R"({"active":false})");  // not the org AS's token
}

TEST_F(IntrospectionTest, AnythingNotActiveIsExactlyActiveFalse) {
  put({"revoked_token", "AT.rev", "0oaclienta", {{"exp", now_s() + 3600}}});
  auto expired = mint("0oaclienta", "", "AT.exp", 60);
  clock_.advance(61s);
  struct Case {
    std::string name, form;
  };
  const Case cases[] = {
      {"another client's token", "token=" + mint("0oaclientb")},
      {"revoked", "token=" + mint("0oaclienta", "", "AT.rev")},
      {"expired", "token=" + expired},
      {"garbage", "token=abc"},
      {"an API token", "token=gth_api_" + std::string(49, 'a')},
      {"hint says refresh token", "token=xyz&token_type_hint=refresh_token"},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto res = introspect(c.form);
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.body, R"({"active":false})");
    EXPECT_EQ(header(res, "Cache-Control"), "no-store");
  }
  // token_type_hint is advisory (§11.24): a wrong hint still finds an active token.
  auto res = introspect("token=" + mint("0oaclienta", "", "AT.2") + "&token_type_hint=refresh_token");
  EXPECT_NE(res.body.find(R"("active":true)"), std::string::npos);
}

TEST_F(IntrospectionTest, ClientPostAuthenticationWorksToo) {
  auto res = introspect("client_id=0oaclientb&client_secret=" + secret_b_ + "&token=" + mint("0oaclientb"), "", false);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_NE(res.body.find(R"("active":true)"), std::string::npos);
}

TEST_F(IntrospectionTest, RequestAndClientErrors) {
  auto res = introspect("token=" + mint("0oaclienta"), "", false);  // no client credentials
  EXPECT_EQ(res.status, 401);
  EXPECT_NE(res.body.find("invalid_client"), std::string::npos);
  res = introspect("client_id=0oaclientb&client_secret=" + secret_a_ + "&token=x", "", false);
  EXPECT_EQ(res.status, 401);
  res = introspect("token=x", "ausunknown");  // unknown AS
  EXPECT_EQ(res.status, 404);
  res = introspect("token_type_hint=access_token");
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("invalid_request"), std::string::npos);
  res = introspect("token=a&token=b");
  EXPECT_EQ(res.status, 400);
  http::Request json_req;
  json_req.method = http::Method::post;
  json_req.body = R"({"token":"x"})";
  json_req.headers.emplace_back("Content-Type", "application/json");
  EXPECT_EQ(answer(introspection_.handle(json_req, *org_, "")).status, 400);
}

// The body written as text is byte for byte what the boost::json object it replaced serialised
// (issue 20), with and without the optional members, an audience array and strings to escape.
TEST(IntrospectionJson, SameBytesAsTheJsonObject) {
  auto expected = [](const AccessTokenClaims& c, std::string_view scope) {
    json::object o{{"active", true},  {"token_type", c.jkt ? "DPoP" : "Bearer"}, {"scope", scope},
                   {"client_id", c.cid}, {"exp", c.exp}, {"iat", c.iat}, {"sub", c.sub},
                   {"aud", c.aud},       {"iss", c.iss}, {"jti", c.jti}};
    if (c.nbf) o["nbf"] = *c.nbf;
    if (c.uid) o["uid"] = *c.uid;
    if (c.jkt) o["cnf"] = json::object{{"jkt", *c.jkt}};
    return json::serialize(o);
  };
  AccessTokenClaims c;
  c.jti = "AT.abc";
  c.cid = "0oa1";
  c.sub = "0oa1";
  c.iss = "http://gh.test/oauth2/default";
  c.aud = "api://default";
  c.iat = 1'796'663'944;
  c.exp = 1'796'667'544;
  EXPECT_EQ(active_introspection_json(c, "a b"), expected(c, "a b"));
  EXPECT_EQ(active_introspection_json(c, ""), expected(c, ""));
  c.aud = json::array{"api://one", "api://t\"wo"};
  c.nbf = -5;
  c.uid = "00u\n1";
  c.jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
  c.sub = "a\\b\x01";
  EXPECT_EQ(active_introspection_json(c, "okta.users.read"), expected(c, "okta.users.read"));
}

}  // namespace
}  // namespace gh::oauth
