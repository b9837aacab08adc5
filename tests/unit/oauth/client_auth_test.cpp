// Client authentication at the token endpoint (RFC 6749 §2.3, RFC 7523; okta-compat.md §4.1,
// §11.19, §11.20), driven through oauth::Endpoints with documents in a real store.
#include <atomic>
#include <thread>

#include "crypto/mac.hpp"
#include "jose/keys.hpp"
#include "oauth/client_auth/replay_cache.hpp"
#include "oauth_fixture.hpp"

namespace gh::oauth::testing {
namespace {

constexpr std::string_view kToken = "/oauth2/default/v1/token";

class ClientAuthTest : public OAuthFixture {
 protected:
  ClientAuthTest() {
    assertion_aud_ = endpoint();
    add_auth_server("default", json::array{"api://default"}, {"widgets.read"});
    auto pid = add_policy("default", 1, json::array{"ALL_CLIENTS"});
    add_rule(pid, 1, json::array{"client_credentials"}, json::array{"*"});
  }
  std::string form(std::string extra = {}) { return "grant_type=client_credentials&scope=widgets.read" + extra; }
  std::string jwt_form(const std::string& assertion, std::string extra = {}) {
    return form("&client_assertion_type=" + enc(kJwtBearer) + "&client_assertion=" + assertion + extra);
  }
  std::string endpoint() const { return std::string(kOrgUrl) + std::string(kToken); }
};

TEST_F(ClientAuthTest, ClientSecretBasicAndPost) {
  auto basic_app = add_app("client_secret_basic");
  auto basic_secret = add_secret(basic_app);
  auto post_app = add_app("client_secret_post");
  auto post_secret = add_secret(post_app);
  auto inactive_secret_app = add_app("client_secret_basic");
  auto inactive_secret = add_secret(inactive_secret_app, "INACTIVE");
  auto inactive_app = add_app("client_secret_basic", "INACTIVE");
  auto inactive_app_secret = add_secret(inactive_app);
  auto tampered = basic_secret;
  tampered.back() = tampered.back() == 'a' ? 'b' : 'a';  // checksum no longer matches

  struct Case {
    std::string name, form, authorization;
    int status;
    std::string error;
    bool basic_challenge = false;
  };
  const Case cases[] = {
      {"basic ok", form(), basic(basic_app, basic_secret), 200, ""},
      {"basic scheme case-insensitive", form(), "bAsIc " + basic(basic_app, basic_secret).substr(6), 200, ""},
      {"basic id and secret form-urlencoded", form(),
       "Basic " + core::base64_encode(basic_app + ":" + basic_secret), 200, ""},
      {"basic with matching client_id", form("&client_id=" + basic_app), basic(basic_app, basic_secret), 200, ""},
      {"basic with other client_id", form("&client_id=" + post_app), basic(basic_app, basic_secret), 401,
       "invalid_client", true},
      {"basic wrong secret", form(), basic(basic_app, post_secret), 401, "invalid_client", true},
      {"basic tampered secret", form(), basic(basic_app, tampered), 401, "invalid_client", true},
      {"basic bad base64", form(), "Basic !!!notbase64", 401, "invalid_client", true},
      {"basic no colon", form(), "Basic " + core::base64_encode(basic_app), 401, "invalid_client", true},
      {"basic bad escape", form(), "Basic " + core::base64_encode("%zz:" + basic_secret), 401, "invalid_client", true},
      {"basic unknown client", form(), basic("0oaunknown", basic_secret), 401, "invalid_client", true},
      {"basic INACTIVE secret", form(), basic(inactive_secret_app, inactive_secret), 401, "invalid_client", true},
      {"basic INACTIVE app", form(), basic(inactive_app, inactive_app_secret), 401, "invalid_client", true},
      {"basic for a post client", form(), basic(post_app, post_secret), 401, "invalid_client", true},
      {"post ok", form("&client_id=" + post_app + "&client_secret=" + post_secret), "", 200, ""},
      {"post wrong secret", form("&client_id=" + post_app + "&client_secret=" + basic_secret), "", 401, "invalid_client"},
      {"post without client_id", form("&client_secret=" + post_secret), "", 401, "invalid_client"},
      {"post for a basic client", form("&client_id=" + basic_app + "&client_secret=" + basic_secret), "", 401,
       "invalid_client"},
      {"two methods", form("&client_id=" + post_app + "&client_secret=" + post_secret), basic(basic_app, basic_secret),
       400, "invalid_request"},
      {"secret and assertion", form("&client_id=" + post_app + "&client_secret=" + post_secret +
                                    "&client_assertion_type=" + enc(kJwtBearer) + "&client_assertion=x.y.z"),
       "", 400, "invalid_request"},
      {"duplicate client_id", form("&client_id=" + post_app + "&client_id=" + post_app + "&client_secret=" + post_secret),
       "", 400, "invalid_request"},
      {"duplicate scope", form("&scope=widgets.read"), basic(basic_app, basic_secret), 400, "invalid_request"},
      {"no credentials", form(), "", 401, "invalid_client"},
      {"client_id alone", form("&client_id=" + post_app), "", 401, "invalid_client"},
      {"bearer is not client auth", form(), "Bearer abc", 401, "invalid_client"},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = post(std::string(kToken), c.form, c.authorization);
    EXPECT_EQ(r.res.status, c.status) << r.res.body;
    EXPECT_EQ(r.error(), c.error);
    EXPECT_EQ(r.header("WWW-Authenticate").starts_with("Basic"), c.basic_challenge);
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    if (c.status != 200) {
      // §11.21: never echo request values.
      for (auto* v : {&basic_app, &post_app, &basic_secret, &post_secret})
        EXPECT_EQ(r.res.body.find(*v), std::string::npos);
    }
  }
  auto none = post(std::string(kToken), form());
  EXPECT_EQ(none.body["error_description"], "No client credentials found.");
}

TEST_F(ClientAuthTest, AssertionRules) {
  auto& rsa = client_key(jose::Alg::RS256, "k-rsa");
  auto& ec = client_key(jose::Alg::ES256, "k-ec");
  auto& other = client_key(jose::Alg::RS256, "k-other");  // never registered
  auto& off = client_key(jose::Alg::RS256, "k-off");
  auto cid = add_app("private_key_jwt");
  add_key(cid, rsa);
  add_key(cid, ec);
  add_key(cid, off, "INACTIVE");
  auto inactive_app = add_app("private_key_jwt", "INACTIVE");
  add_key(inactive_app, rsa);
  auto secret_app = add_app("client_secret_basic");
  add_key(secret_app, rsa);
  auto now = now_s();
  auto token_url = endpoint();
  auto issuer = std::string(kOrgUrl) + "/oauth2/default";

  // alg none and HS256 keyed with the registered public key (RFC 8725 §3.1, §3.2).
  auto claims = json::serialize(json::object{{"aud", token_url}, {"jti", "j-none"}, {"iat", now},
                                             {"exp", now + 300}, {"iss", cid}, {"sub", cid}});
  auto unsigned_jwt = core::base64url_encode(R"({"alg":"none","typ":"JWT","kid":"k-rsa"})") + "." +
                      core::base64url_encode(claims) + ".";
  auto hs_input = core::base64url_encode(R"({"alg":"HS256","typ":"JWT","kid":"k-rsa"})") + "." +
                  core::base64url_encode(claims);
  auto hs_jwt = hs_input + "." +
                core::base64url_encode(crypto::hmac_sha256(json::serialize(rsa.to_public_json()), hs_input));
  auto hs_pem_jwt = hs_input + "." +
                    core::base64url_encode(crypto::hmac_sha256(jose::to_public_pem(*rsa.pkey()).value(), hs_input));
  // The header claims RS384 while the registered key fixes RS256.
  auto rs384_key = jose::Jwk::from_pkey(jose::from_pkcs8_pem(jose::to_pkcs8_pem(*rsa.pkey()).value().reveal()).value(),
                                        "k-rsa", jose::Alg::RS384).value();

  struct Case {
    std::string name, assertion;
    int status = 401;
    std::string error = "invalid_client";
    std::string extra_form = {};
  };
  const Case cases[] = {
      {"valid RS256", assertion(cid, rsa), 200, ""},
      {"valid ES256", assertion(cid, ec, {}, {}, jose::Alg::ES256), 200, ""},
      {"aud = issuer", assertion(cid, rsa, {{"aud", issuer}}), 200, ""},
      {"typ absent", assertion(cid, rsa, {}, {{"typ", nullptr}}), 200, ""},
      {"typ jwt lower case", assertion(cid, rsa, {}, {{"typ", "jwt"}}), 200, ""},
      {"no iat", assertion(cid, rsa, {{"iat", nullptr}}), 200, ""},
      {"client_id matches", assertion(cid, rsa), 200, "", "&client_id=" + cid},
      {"client_id differs", assertion(cid, rsa), 401, "invalid_client", "&client_id=" + secret_app},
      {"exp missing", assertion(cid, rsa, {{"exp", nullptr}})},
      {"exp not a number", assertion(cid, rsa, {{"exp", "soon"}})},
      {"expired beyond skew", assertion(cid, rsa, {{"exp", now - 61}, {"iat", now - 400}})},
      {"expired within skew", assertion(cid, rsa, {{"exp", now - 60}, {"iat", now - 400}}), 200, ""},
      {"exp too far", assertion(cid, rsa, {{"exp", now + 3601}})},
      {"exp one hour", assertion(cid, rsa, {{"exp", now + 3600}}), 200, ""},
      // The one NumericDate policy (jose/numeric_date.hpp, tested there): a fraction is floored.
      {"exp non-integer", assertion(cid, rsa, {{"exp", double(now + 300) + 0.5}}), 200, ""},
      {"iat future within skew", assertion(cid, rsa, {{"iat", now + 60}}), 200, ""},
      {"iat future beyond skew", assertion(cid, rsa, {{"iat", now + 61}})},
      {"nbf future within skew", assertion(cid, rsa, {{"nbf", now + 60}}), 200, ""},
      {"nbf future beyond skew", assertion(cid, rsa, {{"nbf", now + 61}})},
      {"wrong aud", assertion(cid, rsa, {{"aud", std::string(kOrgUrl) + "/oauth2/v1/token"}})},
      {"aud array", assertion(cid, rsa, {{"aud", json::array{token_url}}})},
      {"aud missing", assertion(cid, rsa, {{"aud", nullptr}})},
      {"jti missing", assertion(cid, rsa, {{"jti", nullptr}})},
      {"jti empty", assertion(cid, rsa, {{"jti", ""}})},
      {"iss differs from sub", assertion(cid, rsa, {{"sub", secret_app}})},
      {"iss missing", assertion(cid, rsa, {{"iss", nullptr}})},
      {"iss unknown", assertion(cid, rsa, {{"iss", "0oanobody"}, {"sub", "0oanobody"}})},
      {"typ at+jwt", assertion(cid, rsa, {}, {{"typ", "at+jwt"}})},
      {"typ dpop+jwt", assertion(cid, rsa, {}, {{"typ", "dpop+jwt"}})},
      {"crit", assertion(cid, rsa, {}, {{"crit", json::array{"exp"}}, {"exp", 1}})},
      {"crit b64", assertion(cid, rsa, {}, {{"crit", json::array{"b64"}}, {"b64", true}})},
      {"alg none", unsigned_jwt},
      {"HS256 with the public JWK as secret", hs_jwt},
      {"HS256 with the public PEM as secret", hs_pem_jwt},
      {"header alg differs from the key", assertion(cid, rs384_key, {}, {}, jose::Alg::RS384)},
      {"jwk header", assertion(cid, rsa, {}, {{"jwk", rsa.to_public_json()}})},
      {"jku header", assertion(cid, rsa, {}, {{"jku", "https://attacker.example/jwks"}})},
      {"x5u header", assertion(cid, rsa, {}, {{"x5u", "https://attacker.example/cert"}})},
      {"x5c header", assertion(cid, rsa, {}, {{"x5c", json::array{"MIIB"}}})},
      {"kid unknown", assertion(cid, other)},
      {"kid missing", assertion(cid, rsa, {}, {{"kid", nullptr}})},
      {"signed by another key under a known kid", assertion(cid, other, {}, {{"kid", "k-rsa"}})},
      {"key INACTIVE", assertion(cid, off)},
      {"app INACTIVE", assertion(inactive_app, rsa)},
      {"app registered client_secret_basic", assertion(secret_app, rsa)},
      {"malformed", "not-a-jwt"},
      {"bad assertion type", assertion(cid, rsa), 400, "invalid_request", "&client_assertion_type=urn:x"},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::string f;
    if (c.name == "bad assertion type")
      f = form("&client_assertion=" + c.assertion + "&client_assertion_type=urn%3Ax");
    else
      f = jwt_form(c.assertion, c.extra_form);
    auto r = post(std::string(kToken), f);
    EXPECT_EQ(r.res.status, c.status) << r.res.body;
    EXPECT_EQ(r.error(), c.error) << r.res.body;
    EXPECT_EQ(r.res.body.find(cid), std::string::npos);  // §11.21
  }
}

TEST_F(ClientAuthTest, AssertionJtiIsSingleUse) {
  auto& rsa = client_key(jose::Alg::RS256, "k-rsa");
  auto cid = add_app("private_key_jwt");
  add_key(cid, rsa);
  auto a = assertion(cid, rsa, {{"jti", "once"}});
  EXPECT_EQ(post(std::string(kToken), jwt_form(a)).res.status, 200);
  auto replay = post(std::string(kToken), jwt_form(a));
  EXPECT_EQ(replay.res.status, 401);
  EXPECT_EQ(replay.error(), "invalid_client");
  // Another assertion with the same jti is a replay too, until the first one's exp (+ skew).
  EXPECT_EQ(post(std::string(kToken), jwt_form(assertion(cid, rsa, {{"jti", "once"}}))).res.status, 401);
  clock_.advance(std::chrono::seconds(300 + 61));
  EXPECT_EQ(post(std::string(kToken), jwt_form(assertion(cid, rsa, {{"jti", "once"}}))).res.status, 200);
}

TEST_F(ClientAuthTest, TenConcurrentCopiesOfOneAssertionExactlyOneSucceeds) {
  auto& rsa = client_key(jose::Alg::RS256, "k-rsa");
  auto cid = add_app("private_key_jwt");
  add_key(cid, rsa);
  auto a = assertion(cid, rsa);
  auto body = jwt_form(a);
  ReplayCache jtis;
  ClientAuthenticator auth(env_, jtis);
  auto params = http::Params::parse(body).value();
  AuthServer as{"default", std::string(kOrgUrl), std::string(kOrgUrl) + "/oauth2/default"};  // endpoint("token") is endpoint()
  ASSERT_EQ(as.endpoint("token"), endpoint());
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i)
    threads.emplace_back([&] {
      std::shared_lock lk(org_->mutex());
      auto r = auth.authenticate({params, "", as, "token"}, *org_);
      (r ? ok : refused)++;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), 9);
}

TEST(ReplayCache, PrunesExpiredEntries) {
  ReplayCache cache;
  EXPECT_TRUE(cache.insert_unique("a", 100, 0));
  EXPECT_FALSE(cache.insert_unique("a", 100, 50));
  EXPECT_TRUE(cache.insert_unique("b", 200, 60));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.insert_unique("c", 300, 150));  // prunes a
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.insert_unique("a", 400, 160));  // expired key usable again
}

}  // namespace
}  // namespace gh::oauth::testing
