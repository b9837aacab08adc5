// Verifier: JWT access tokens against a fake issuer (JWK set over a fake transport), the JWKS
// refresh limit, the key-fixed algorithm, time claims, scopes and DPoP proofs.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "core/random.hpp"
#include "gatehouse/client/keys.hpp"
#include "gatehouse/client/verifier.hpp"
#include "jose/jws.hpp"
#include "unit/sdk/fake_transport.hpp"

namespace gh::sdk {
namespace {
using namespace std::chrono;
namespace json = boost::json;
using testing::FakeTransport;
using testing::json_response;

constexpr auto kIssuer = "https://as.example/oauth2/aus1";
constexpr auto kAudience = "api://orders";
constexpr std::int64_t kNow = 1'700'000'000;

struct SdkVerifier : ::testing::Test {
  core::FakeClock clock{core::from_epoch_ms(kNow * 1000)};
  core::SeededRandom random{3};
  jose::Jwk k1 = *generate_key(true, "k1");
  jose::Jwk k2 = *generate_key(false, "k2");
  bool publish_k2 = false;
  std::shared_ptr<FakeTransport> t = std::make_shared<FakeTransport>([this](const HttpRequest& r) {
    if (r.url == "https://as.example/.well-known/oauth-authorization-server/oauth2/aus1")
      return json_response(200, json::serialize(json::object{
                                    {"issuer", kIssuer},
                                    {"token_endpoint", "https://as.example/oauth2/aus1/v1/token"},
                                    {"jwks_uri", "https://as.example/oauth2/aus1/v1/keys"}}));
    if (r.url == "https://as.example/oauth2/aus1/v1/keys") {
      json::array keys{k1.to_public_json(), json::object{{"kty", "oct"}, {"k", "AAAA"}, {"kid", "hmac"}}};
      if (publish_k2) keys.push_back(k2.to_public_json());
      return json_response(200, json::serialize(json::object{{"keys", keys}}));
    }
    return json_response(404, "{}");
  });

  std::unique_ptr<Verifier> make(std::vector<std::string> scopes = {"orders.read"}) {
    VerifierOptions o;
    o.issuer = kIssuer;
    o.audience = kAudience;
    o.required_scopes = std::move(scopes);
    return std::move(*Verifier::create(std::move(o), t, &clock));
  }

  json::object claims() {
    return {{"iss", kIssuer}, {"aud", kAudience}, {"sub", "0oa1"}, {"cid", "0oa1"},
            {"iat", kNow}, {"exp", kNow + 3600}, {"scp", json::array{"orders.read", "x"}}};
  }
  std::string sign(const json::object& c, const jose::Jwk& key, jose::Alg alg = jose::Alg::RS256) {
    json::object h{{"kid", key.kid()}};
    return *jose::sign(alg, key, h, json::serialize(c));
  }
};

TEST_F(SdkVerifier, AcceptsAValidTokenAndReadsItsClaims) {
  auto v = make();
  auto c = v->verify({"GET", "https://rs/x", "Bearer " + sign(claims(), k1), ""});
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->client_id, "0oa1");
  EXPECT_EQ(c->scopes, (std::vector<std::string>{"orders.read", "x"}));
  EXPECT_EQ(v->jwks_fetches(), 1);
  ASSERT_TRUE(v->verify_token(sign(claims(), k1)));
  EXPECT_EQ(v->jwks_fetches(), 1);  // cached
}

TEST_F(SdkVerifier, ReadsTheRfc9068ScopeStringAndAudienceArrays) {
  auto c = claims();
  c.erase("scp");
  c["scope"] = "a orders.read";
  c["aud"] = json::array{"other", kAudience};
  ASSERT_TRUE(make()->verify_token(sign(c, k1)));
}

TEST_F(SdkVerifier, RefusesWrongIssuerAudienceTimesAndScopes) {
  auto v = make();
  auto refused = [&](json::object c, Errc want, const char* why) {
    auto r = v->verify_token(sign(c, k1));
    ASSERT_FALSE(r) << why;
    EXPECT_EQ(r.error().code, make_error_code(want)) << why << ": " << r.error().message();
  };
  auto c = claims();
  c["iss"] = "https://as.example/oauth2/other";
  refused(c, Errc::invalid_token, "issuer");
  c = claims();
  c["aud"] = "api://else";
  refused(c, Errc::invalid_token, "audience");
  c = claims();
  c["exp"] = kNow - 61;  // beyond the 60 s skew
  refused(c, Errc::invalid_token, "expired");
  c["exp"] = kNow - 30;  // within the skew
  EXPECT_TRUE(v->verify_token(sign(c, k1)));
  c = claims();
  c.erase("exp");
  refused(c, Errc::invalid_token, "no exp");
  c = claims();
  c["nbf"] = kNow + 120;
  refused(c, Errc::invalid_token, "nbf");
  c = claims();
  c["iat"] = kNow + 120;
  refused(c, Errc::invalid_token, "iat in the future");
  c = claims();
  c["scp"] = json::array{"orders.write"};
  refused(c, Errc::insufficient_scope, "scope");
  auto r = v->verify({"GET", "https://rs/x", "Bearer " + sign(c, k1), ""});
  EXPECT_EQ(r.error().status, 403);
  EXPECT_EQ(v->www_authenticate(r.error()), R"(Bearer realm="api://orders", error="insufficient_scope", scope="orders.read")");
  EXPECT_EQ(v->verify({"GET", "https://rs/x", "", ""}).error().code, make_error_code(Errc::missing_token));
  EXPECT_EQ(v->verify({"GET", "https://rs/x", "Basic abc", ""}).error().code, make_error_code(Errc::missing_token));
}

TEST_F(SdkVerifier, TheAlgorithmIsTheKeysNeverTheHeaders) {
  auto v = make();
  // Signed correctly, but with PS256 where the key (RSA, no "alg") means RS256.
  auto r = v->verify_token(sign(claims(), k1, jose::Alg::PS256));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::invalid_token));
  // A header naming the "oct" key the issuer also publishes: that key is never used.
  std::string tampered = *jose::sign(jose::Alg::RS256, k1, json::object{{"kid", "hmac"}}, json::serialize(claims()));
  EXPECT_FALSE(v->verify_token(tampered));
}

TEST_F(SdkVerifier, UnknownKidRefetchesAtMostOncePerMinute) {
  auto v = make();
  ASSERT_TRUE(v->verify_token(sign(claims(), k1)));
  EXPECT_EQ(v->jwks_fetches(), 1);
  auto with_k2 = sign(claims(), k2, jose::Alg::ES256);
  EXPECT_FALSE(v->verify_token(with_k2));  // unknown kid, but the set was fetched just now
  EXPECT_EQ(v->jwks_fetches(), 1);         // within a minute of the first fetch: no refetch
  clock.advance(seconds(61));
  publish_k2 = true;  // the issuer rotates
  ASSERT_TRUE(v->verify_token(with_k2));
  EXPECT_EQ(v->jwks_fetches(), 2);
  clock.advance(seconds(10));
  EXPECT_FALSE(v->verify_token(*jose::sign(jose::Alg::ES256, *generate_key(false, "k9"), json::object{{"kid", "k9"}},
                                           json::serialize(claims()))));
  EXPECT_EQ(v->jwks_fetches(), 2);  // a flood of made-up kids costs one fetch per minute
}

TEST_F(SdkVerifier, DpopBoundTokensNeedAMatchingProof) {
  auto v = make();
  auto dk = *generate_key(false);
  auto c = claims();
  c["cnf"] = json::object{{"jkt", dk.thumbprint()}};
  auto at = sign(c, k1);
  auto now = clock.now();
  auto url = "https://rs.example/orders?x=1";
  auto proof = *dpop_proof(dk, "GET", url, now, random, {}, at);
  auto ok = v->verify({"GET", url, "DPoP " + at, proof});
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(*ok->jkt, dk.thumbprint());
  auto detail = [&](IncomingRequest r) {
    auto res = v->verify(r);
    return res ? std::string("accepted") : res.error().detail;
  };
  EXPECT_EQ(detail({"GET", url, "DPoP " + at, proof}), "jti replayed");        // RFC 9449 §11.1
  EXPECT_EQ(detail({"GET", url, "Bearer " + at, ""}), "DPoP-bound token sent as Bearer");
  EXPECT_EQ(detail({"GET", url, "DPoP " + at, ""}), "no DPoP header");
  EXPECT_EQ(detail({"POST", url, "DPoP " + at, *dpop_proof(dk, "GET", url, now, random, {}, at)}), "htm");
  EXPECT_EQ(detail({"GET", url, "DPoP " + at, *dpop_proof(dk, "GET", "https://rs.example/other", now, random, {}, at)}), "htu");
  EXPECT_EQ(detail({"GET", url, "DPoP " + at, *dpop_proof(dk, "GET", url, now - seconds(301), random, {}, at)}), "iat");
  EXPECT_EQ(detail({"GET", url, "DPoP " + at, *dpop_proof(dk, "GET", url, now, random, {}, "other")}), "ath");
  auto other = *generate_key(false);
  EXPECT_EQ(detail({"GET", url, "DPoP " + at, *dpop_proof(other, "GET", url, now, random, {}, at)}), "cnf.jkt");
  auto unbound = sign(claims(), k1);
  EXPECT_EQ(detail({"GET", url, "DPoP " + unbound, *dpop_proof(dk, "GET", url, now, random, {}, unbound)}),
            "token is not DPoP-bound");
}

}  // namespace
}  // namespace gh::sdk
