// DPoP at the token endpoint (RFC 9449 §5, §6, §8; okta-compat.md §1.9-1.12, §4.1, §11.28) and
// the token endpoint's per-client rate limit (§11.30), through oauth::Endpoints.
#include "oauth/dpop/proof.hpp"
#include "oauth_fixture.hpp"
#include "testing/dpop_proofs.hpp"

namespace gh::oauth::testing {
namespace {
using gh::testing::ProofSpec;

constexpr std::string_view kOrgToken = "/oauth2/v1/token";
constexpr std::string_view kDefaultToken = "/oauth2/default/v1/token";

class TokenEndpointDpopTest : public OAuthFixture {
 protected:
  TokenEndpointDpopTest() : rsa_(client_key(jose::Alg::RS256, "k-rsa")), proof_key_(client_key(jose::Alg::ES256, "k-pop")) {
    add_signing_key("", jose::Alg::RS256);
    add_auth_server("default", json::array{"api://default"}, {"widgets.read"});
    auto pid = add_policy("default", 1, json::array{"ALL_CLIENTS"});
    add_rule(pid, 1, json::array{"client_credentials"}, json::array{"*"});
  }

  // A private_key_jwt app like Okta's SDK uses, with okta.groups.read granted.
  std::string key_app(bool dpop) {
    auto cid = add_app("private_key_jwt", "ACTIVE", dpop);
    add_key(cid, rsa_);
    add_grant(cid, "okta.groups.read");
    return cid;
  }
  std::string form_for(const std::string& cid, const std::string& assertion) {
    return "grant_type=client_credentials&scope=okta.groups.read&client_assertion_type=" + enc(kJwtBearer) +
           "&client_assertion=" + assertion;
  }
  ProofSpec spec(std::string_view path, std::string nonce = {}) {
    ProofSpec s;
    s.htu = std::string(kOrgUrl) + std::string(path);
    s.iat = now_s();
    s.nonce = std::move(nonce);
    return s;
  }
  std::string proof(std::string_view path, std::string nonce = {}) {
    return gh::testing::dpop_proof(proof_key_, jose::Alg::ES256, spec(path, std::move(nonce)));
  }
  // POST with any number of DPoP headers.
  Call send(std::string_view path, std::string form, std::vector<std::string> proofs, std::string authorization = {}) {
    http::Request req;
    req.method = http::Method::post;
    req.path = std::string(path);
    body_ = std::move(form);
    auth_ = std::move(authorization);
    proofs_ = std::move(proofs);
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    if (!auth_.empty()) req.headers.emplace_back("Authorization", auth_);
    for (auto& p : proofs_) req.headers.emplace_back("DPoP", p);
    req.body = body_;
    req.remote_addr = "192.0.2.10";
    return finish(endpoints_->handle(req, *org_, req.path));
  }
  Call org_token(const std::string& cid, std::vector<std::string> proofs) {
    return send(kOrgToken, form_for(cid, assertion(cid, rsa_)), std::move(proofs));
  }
  // The nonce dance of Okta's SDK (okta-compat.md §1.10): no nonce, then the one handed out.
  std::string nonce_for(const std::string& cid) {
    auto first = org_token(cid, {proof(kOrgToken)});
    EXPECT_EQ(first.res.status, 400) << first.res.body;
    EXPECT_EQ(first.error(), "use_dpop_nonce");
    return first.header("DPoP-Nonce");
  }

  const jose::Jwk& rsa_;
  const jose::Jwk& proof_key_;
  std::vector<std::string> proofs_;
};

TEST_F(TokenEndpointDpopTest, NonceDanceThenADpopBoundToken) {
  auto cid = key_app(true);
  auto first = org_token(cid, {proof(kOrgToken)});
  ASSERT_EQ(first.res.status, 400) << first.res.body;
  EXPECT_EQ(first.error(), "use_dpop_nonce");
  EXPECT_EQ(first.body["error_description"], "Authorization server requires nonce in DPoP proof.");
  auto nonce = first.header("DPoP-Nonce");
  EXPECT_FALSE(nonce.empty());
  EXPECT_TRUE(first.header("WWW-Authenticate").empty());  // oauth4webapi would throw a challenge error

  auto ok = org_token(cid, {proof(kOrgToken, nonce)});
  ASSERT_EQ(ok.res.status, 200) << ok.res.body;
  EXPECT_EQ(ok.body["token_type"], "DPoP");  // RFC 9449 §5
  auto claims = jwt_claims(ok.body["access_token"].as_string());
  EXPECT_EQ(claims["cnf"], (json::object{{"jkt", proof_key_.thumbprint()}}));  // RFC 9449 §6.1, RFC 7638

  // Introspection reports the binding (RFC 9449 §6.2).
  auto at = std::string(ok.body["access_token"].as_string());
  auto intro_assertion = assertion(cid, rsa_, {{"aud", std::string(kOrgUrl) + "/oauth2/v1/introspect"}});
  auto intro = post("/oauth2/v1/introspect", "token=" + at + "&client_assertion_type=" + enc(kJwtBearer) +
                                               "&client_assertion=" + intro_assertion);
  ASSERT_EQ(intro.res.status, 200) << intro.res.body;
  EXPECT_EQ(intro.body["active"], true);
  EXPECT_EQ(intro.body["token_type"], "DPoP");
  EXPECT_EQ(intro.body["cnf"], (json::object{{"jkt", proof_key_.thumbprint()}}));
}

TEST_F(TokenEndpointDpopTest, ProofRulesAtTheTokenEndpoint) {
  auto cid = key_app(true);
  auto nonce = nonce_for(cid);
  auto with = [&](auto change) {
    auto s = spec(kOrgToken, nonce);
    change(s);
    return gh::testing::dpop_proof(proof_key_, jose::Alg::ES256, s);
  };
  const std::string other_server_nonce =
      dpop::NonceSource(std::string(32, 'z')).current(now_s());
  struct Case {
    std::string name;
    std::vector<std::string> proofs;
    std::string error, description;
  };
  const Case cases[] = {
      {"no proof", {}, "invalid_dpop_proof", "The DPoP proof JWT header is missing."},
      {"two proofs", {proof(kOrgToken, nonce), proof(kOrgToken, nonce)}, "invalid_dpop_proof",
       "Multiple DPoP proof JWT headers are not allowed."},
      {"not a JWT", {"not-a-jwt"}, "invalid_dpop_proof", "The DPoP proof JWT cannot be parsed."},
      {"no typ", {"e30.e30.c2ln"}, "invalid_dpop_proof", "'typ' must be 'dpop+jwt' in the DPoP proof JWT."},
      {"htm GET", {with([](ProofSpec& s) { s.htm = "GET"; })}, "invalid_dpop_proof",
       "'htm' claim in the DPoP proof JWT is invalid."},
      {"htu of the default AS", {with([](ProofSpec& s) { s.htu = std::string(kOrgUrl) + "/oauth2/default/v1/token"; })},
       "invalid_dpop_proof", "'htu' claim in the DPoP proof JWT is invalid."},
      {"htu another host", {with([](ProofSpec& s) { s.htu = "http://gh.evil/oauth2/v1/token"; })},
       "invalid_dpop_proof", "'htu' claim in the DPoP proof JWT is invalid."},
      {"htu another port", {with([](ProofSpec& s) { s.htu = "http://gh.test:8080/oauth2/v1/token"; })},
       "invalid_dpop_proof", "'htu' claim in the DPoP proof JWT is invalid."},
      {"private key in jwk",
       {with([&](ProofSpec& s) {
         auto jwk = proof_key_.to_public_json();
         jwk["d"] = "AAAA";
         s.header = {{"jwk", jwk}};
       })},
       "invalid_dpop_proof", "The 'jwk' in the DPoP proof JWT header must not contain private key material."},
      {"iat an hour ago", {with([&](ProofSpec& s) { s.iat = now_s() - 3600; })}, "invalid_dpop_proof",
       "The DPoP proof JWT is issued more than five minutes in the past."},
      {"iat an hour ahead", {with([&](ProofSpec& s) { s.iat = now_s() + 3600; })}, "invalid_dpop_proof",
       "The DPoP proof JWT is issued in the future."},
      {"nonce of another server", {with([&](ProofSpec& s) { s.nonce = other_server_nonce; })}, "use_dpop_nonce",
       "Authorization server requires nonce in DPoP proof."},
      {"made-up nonce", {with([](ProofSpec& s) { s.nonce = "abc"; })}, "use_dpop_nonce",
       "Authorization server requires nonce in DPoP proof."},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = org_token(cid, c.proofs);
    EXPECT_EQ(r.res.status, 400) << r.res.body;
    EXPECT_EQ(r.error(), c.error);
    EXPECT_EQ(str(r.body["error_description"]), c.description);
    EXPECT_EQ(!r.header("DPoP-Nonce").empty(), c.error == "use_dpop_nonce");
    if (c.error == "use_dpop_nonce") {
      EXPECT_EQ(r.header("DPoP-Nonce"), nonce);  // the current one
    }
  }
  EXPECT_EQ(org_token(cid, {proof(kOrgToken, nonce)}).res.status, 200);  // the nonce still works
}

TEST_F(TokenEndpointDpopTest, ProofsAreSingleUseAndNoncesExpire) {
  auto cid = key_app(true);
  auto nonce = nonce_for(cid);
  auto p = proof(kOrgToken, nonce);
  EXPECT_EQ(org_token(cid, {p}).res.status, 200);
  auto replay = org_token(cid, {p});  // a new assertion, the same proof
  EXPECT_EQ(replay.res.status, 400);
  EXPECT_EQ(replay.error(), "invalid_dpop_proof");
  EXPECT_EQ(str(replay.body["error_description"]), "The DPoP proof JWT has already been used.");
  // Two hours later the nonce is refused with a fresh one (stateless rotation, §11.28).
  clock_.advance(std::chrono::hours(2));
  auto stale = org_token(cid, {proof(kOrgToken, nonce)});
  EXPECT_EQ(stale.error(), "use_dpop_nonce");
  auto fresh = stale.header("DPoP-Nonce");
  EXPECT_NE(fresh, nonce);
  EXPECT_EQ(org_token(cid, {proof(kOrgToken, fresh)}).res.status, 200);
}

TEST_F(TokenEndpointDpopTest, CustomAuthorizationServerBindsToo) {
  auto cid = add_app("client_secret_basic", "ACTIVE", true);
  auto secret = add_secret(cid);
  const std::string form = "grant_type=client_credentials&scope=widgets.read";
  auto first = send(kDefaultToken, form, {proof(kDefaultToken)}, basic(cid, secret));
  ASSERT_EQ(first.error(), "use_dpop_nonce") << first.res.body;
  auto ok = send(kDefaultToken, form, {proof(kDefaultToken, first.header("DPoP-Nonce"))}, basic(cid, secret));
  ASSERT_EQ(ok.res.status, 200) << ok.res.body;
  EXPECT_EQ(ok.body["token_type"], "DPoP");
  EXPECT_EQ(str(jwt_claims(ok.body["access_token"].as_string())["cnf"].at("jkt")), proof_key_.thumbprint());
  // A proof made for the org AS is not one for the custom AS.
  auto wrong = send(kDefaultToken, form, {proof(kOrgToken, first.header("DPoP-Nonce"))}, basic(cid, secret));
  EXPECT_EQ(wrong.error(), "invalid_dpop_proof");
}

TEST_F(TokenEndpointDpopTest, BearerAppsIgnoreTheDpopHeader) {
  auto cid = key_app(false);
  for (auto& proofs : std::vector<std::vector<std::string>>{{proof(kOrgToken)}, {"garbage"}, {"a", "b"}, {}}) {
    auto r = org_token(cid, proofs);
    ASSERT_EQ(r.res.status, 200) << r.res.body;
    EXPECT_EQ(r.body["token_type"], "Bearer");  // okta-compat.md §1.9
    EXPECT_FALSE(jwt_claims(r.body["access_token"].as_string()).contains("cnf"));
    EXPECT_TRUE(r.header("DPoP-Nonce").empty());
  }
}

// okta-compat.md §1.12, §11.30: past the client's bucket, 429 with rate headers, and neither the
// assertion's nor the proof's jti is consumed, so the SDK's retry of the same request works.
TEST_F(TokenEndpointDpopTest, RateLimitComesBeforeJtisAreConsumed) {
  endpoints_ = make_endpoints(Limits{2, 150, 250});
  auto cid = key_app(true);
  auto nonce = nonce_for(cid);  // 1st request
  auto a2 = assertion(cid, rsa_);
  EXPECT_EQ(send(kOrgToken, form_for(cid, a2), {proof(kOrgToken, nonce)}).res.status, 200);  // 2nd
  auto a3 = assertion(cid, rsa_);
  auto p3 = proof(kOrgToken, nonce);
  auto limited = send(kOrgToken, form_for(cid, a3), {p3});
  EXPECT_EQ(limited.res.status, 429) << limited.res.body;
  EXPECT_EQ(limited.error(), "too_many_requests");
  EXPECT_EQ(limited.header("X-Rate-Limit-Limit"), "2");
  EXPECT_EQ(limited.header("X-Rate-Limit-Remaining"), "0");
  EXPECT_EQ(limited.header("X-Rate-Limit-Reset"), std::to_string(now_s() + 30));  // one token per 30 s
  // Another client has its own bucket.
  auto other = key_app(false);
  EXPECT_EQ(org_token(other, {}).res.status, 200);
  // After the reset the very same request succeeds: nothing was consumed by the 429.
  clock_.advance(std::chrono::seconds(30));
  auto retried = send(kOrgToken, form_for(cid, a3), {p3});
  ASSERT_EQ(retried.res.status, 200) << retried.res.body;
  EXPECT_EQ(retried.header("X-Rate-Limit-Limit"), "2");
  EXPECT_EQ(retried.header("X-Rate-Limit-Remaining"), "0");
  // And it is single-use from then on.
  clock_.advance(std::chrono::seconds(30));
  EXPECT_EQ(send(kOrgToken, form_for(cid, a3), {p3}).error(), "invalid_client");
}

}  // namespace
}  // namespace gh::oauth::testing
