// DPoP-bound access tokens at the management API in process (RFC 9449 §7; okta-compat.md §1.10,
// §1.12, §3 table, §11.29): the proof's key, method, URL, ath and single use, the statuses and
// WWW-Authenticate challenges of each refusal, and rate limiting before the proof is consumed.
#include "access_token_fixture.hpp"
#include "jose/keys.hpp"
#include "oauth/dpop/proof.hpp"
#include "testing/dpop_proofs.hpp"

namespace gh::api {
namespace {
namespace json = boost::json;
using gh::testing::ProofSpec;
using testing::kClient;

constexpr auto kGet = http::Method::get;
constexpr std::string_view kAlgs = "DPoP algs=\"RS256 RS384 RS512 ES256 ES384 ES512\", ";
constexpr std::string_view kProofRequired =
    "Bearer authorization_uri=\"http://gh.test/oauth2/v1/authorize\", realm=\"http://gh.test\", "
    "error=\"invalid_request\", error_description=\"The resource request requires a DPoP proof.\"";

const jose::Jwk& pop_key() {
  static const jose::Jwk key = jose::Jwk::from_pkey(jose::generate_ec(jose::Curve::p256).value(), "").value();
  return key;
}
const jose::Jwk& other_key() {
  static const jose::Jwk key = jose::Jwk::from_pkey(jose::generate_ec(jose::Curve::p256).value(), "").value();
  return key;
}

class DpopResourceTest : public testing::AccessTokenFixture {
 protected:
  DpopResourceTest() {
    grant("okta.groups.read");
    role("READ_ONLY_ADMIN");
    token_ = bound_token({"okta.groups.read"});
  }
  std::string bound_token(std::vector<std::string> scopes, std::string jti = "AT.dpop") {
    return mint(std::move(scopes), "", std::move(jti), 3600, {{"cnf", json::object{{"jkt", pop_key().thumbprint()}}}});
  }
  // A proof as Okta's SDK sends it at the resource: htm, htu (no query), iat, jti, ath; no nonce.
  std::string proof(std::string htm = "GET", std::string htu = "http://gh.test/api/v1/groups",
                    const jose::Jwk& key = pop_key(), std::string token = {}) {
    ProofSpec s;
    s.htm = std::move(htm);
    s.htu = std::move(htu);
    s.iat = now_s();
    s.access_token = token.empty() ? token_ : token;
    return gh::testing::dpop_proof(key, jose::Alg::ES256, s);
  }
  http::Response dpop_call(std::vector<std::string> proofs, std::string path = "/api/v1/groups",
                           http::Method m = kGet) {
    return call(m, std::move(path), "DPoP " + token_, "", std::move(proofs));
  }
  static std::string refused(std::string_view description) {
    return std::string(kAlgs) + "error=\"invalid_dpop_proof\", error_description=\"" + std::string(description) + "\"";
  }

  std::string token_;
};

TEST_F(DpopResourceTest, AcceptsABoundTokenWithItsProof) {
  auto res = dpop_call({proof()});
  EXPECT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(call(kGet, "/api/v1/groups", "dpop " + token_, "", {proof()}).status, 200);  // §11.3
  // The htu may carry the query, and Okta's SDK's "//api/v1" (okta-compat.md §1.2, §11.27).
  EXPECT_EQ(dpop_call({proof("GET", "http://gh.test/api/v1/groups?limit=5")}).status, 200);
  EXPECT_EQ(dpop_call({proof("GET", "http://gh.test//api/v1/groups")}).status, 200);
}

TEST_F(DpopResourceTest, RefusalsFollowTheContractTable) {
  auto another_token = bound_token({"okta.groups.read"}, "AT.other");
  auto replayed = proof();
  ASSERT_EQ(dpop_call({replayed}).status, 200);
  struct Case {
    std::string name;
    std::vector<std::string> proofs;
    int status;
    std::string challenge;
  };
  const Case cases[] = {
      {"no proof", {}, 400, std::string(kProofRequired)},
      {"two proofs", {proof(), proof()}, 400, refused("Multiple DPoP proof JWT headers are not allowed.")},
      {"not a JWT", {"garbage"}, 400, refused("The DPoP proof JWT cannot be parsed.")},
      {"a proof for another key", {proof("GET", "http://gh.test/api/v1/groups", other_key())}, 400,
       refused("The access_token is not bound to the provided DPoP proof.")},
      {"a proof for another method", {proof("POST")}, 400, refused("'htm' claim in the DPoP proof JWT is invalid.")},
      {"a proof for another path", {proof("GET", "http://gh.test/api/v1/users")}, 400,
       refused("'htu' claim in the DPoP proof JWT is invalid.")},
      {"a proof for another host", {proof("GET", "http://evil.test/api/v1/groups")}, 400,
       refused("'htu' claim in the DPoP proof JWT is invalid.")},
      {"a proof for another port", {proof("GET", "http://gh.test:8443/api/v1/groups")}, 400,
       refused("'htu' claim in the DPoP proof JWT is invalid.")},
      {"ath of another token", {proof("GET", "http://gh.test/api/v1/groups", pop_key(), another_token)}, 400,
       refused("'ath' claim in the DPoP proof does not match the presented access_token.")},
      {"a replayed proof", {replayed}, 400, refused("The DPoP proof JWT has already been used.")},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto res = dpop_call(c.proofs);
    EXPECT_EQ(res.status, c.status) << res.body;
    EXPECT_EQ(header(res, "WWW-Authenticate"), c.challenge);
    EXPECT_EQ(res.content_type, "application/json");  // the envelope (okta-compat.md §10)
  }
  // A proof without ath.
  ProofSpec s;
  s.htm = "GET";
  s.htu = "http://gh.test/api/v1/groups";
  s.iat = now_s();
  auto no_ath = dpop_call({gh::testing::dpop_proof(pop_key(), jose::Alg::ES256, s)});
  EXPECT_EQ(no_ath.status, 400);
  EXPECT_EQ(header(no_ath, "WWW-Authenticate"),
            refused("'ath' claim in the DPoP proof does not match the presented access_token."));
}

TEST_F(DpopResourceTest, TokenProblemsAre401WithTheDpopChallenge) {
  struct Case {
    std::string name, authorization, description;
  };
  const Case cases[] = {
      {"garbage token", "DPoP garbage", "The access token is invalid."},
      {"undefined", "DPoP undefined", "The access token is invalid."},
      {"not DPoP-bound (§11.29)", "DPoP " + mint({"okta.groups.read"}), "The access token is not DPoP bound."},
      {"expired", "DPoP " + mint({"okta.groups.read"}, "", "AT.old", -10, {{"cnf", json::object{{"jkt", pop_key().thumbprint()}}}}),
       "The token has expired."},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto res = call(kGet, "/api/v1/groups", c.authorization, "", {proof()});
    EXPECT_EQ(res.status, 401);
    EXPECT_NE(res.body.find("E0000011"), std::string::npos);
    EXPECT_EQ(header(res, "WWW-Authenticate"),
              std::string(kAlgs) + "error=\"invalid_token\", error_description=\"" + c.description + "\"");
  }
  // The bound token as Bearer (okta-compat.md §3 table).
  auto bearer = call(kGet, "/api/v1/groups", "Bearer " + token_);
  EXPECT_EQ(bearer.status, 400);
  EXPECT_EQ(header(bearer, "WWW-Authenticate"), kProofRequired);
}

TEST_F(DpopResourceTest, ScopeAndRolesApplyAsForBearer) {
  auto res = dpop_call({proof("POST")}, "/api/v1/groups", http::Method::post);
  EXPECT_EQ(res.status, 403);
  auto wa = header(res, "WWW-Authenticate");
  EXPECT_TRUE(wa.starts_with(kAlgs)) << wa;  // RFC 9449 §7.1: the scheme of the request
  EXPECT_NE(wa.find("error=\"insufficient_scope\""), std::string::npos);
  EXPECT_NE(wa.find("scope=\"okta.groups.manage\""), std::string::npos);
}

TEST_F(DpopResourceTest, RateLimitIsCheckedBeforeTheProofIsConsumed) {
  deps_.limits.per_minute = {1200, 2, 1200, 1200, 1200};  // groups: 2 per minute
  api_ = make_management_api();
  EXPECT_EQ(dpop_call({proof()}).status, 200);
  EXPECT_EQ(dpop_call({proof()}).status, 200);
  auto p = proof();
  auto limited = dpop_call({p});
  EXPECT_EQ(limited.status, 429);
  EXPECT_NE(limited.body.find("E0000047"), std::string::npos);
  EXPECT_EQ(header(limited, "X-Rate-Limit-Remaining"), "0");
  EXPECT_EQ(header(limited, "X-Rate-Limit-Reset"), std::to_string(now_s() + 30));
  clock_.advance(std::chrono::seconds(30));
  EXPECT_EQ(dpop_call({p}).status, 200);  // Okta's SDK retries with the same proof (§1.12)
  clock_.advance(std::chrono::seconds(30));
  auto again = dpop_call({p});
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(header(again, "WWW-Authenticate"), refused("The DPoP proof JWT has already been used."));
}

}  // namespace
}  // namespace gh::api
