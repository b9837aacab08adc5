// DPoP proof validation (RFC 9449 §4.2, §4.3; okta-compat.md §3, §4.1, §11.27): every rule,
// malformed proofs, foreign hosts and ports, private key material, iat far off.
#include <gtest/gtest.h>

#include "../oauth_fixture.hpp"
#include "jose/keys.hpp"
#include "oauth/dpop/proof.hpp"
#include "testing/dpop_proofs.hpp"

namespace gh::oauth::dpop {
namespace {
namespace json = boost::json;
using gh::testing::ProofSpec;

constexpr std::int64_t kNow = 1'900'000'000;
constexpr std::string_view kUrl = "http://gh.test/oauth2/v1/token";

const jose::Jwk& rsa() { return oauth::testing::client_key(jose::Alg::RS256, "dp-rsa"); }
const jose::Jwk& other_rsa() { return oauth::testing::client_key(jose::Alg::RS256, "dp-other"); }
// An EC key whose JWK names no alg (as oauth4webapi and jose export them).
const jose::Jwk& ec_without_alg() {
  static const jose::Jwk key = jose::Jwk::from_pkey(jose::generate_ec(jose::Curve::p256).value(), "").value();
  return key;
}
const jose::Jwk& ed25519() {
  static const jose::Jwk key = jose::Jwk::from_pkey(jose::generate_ed25519().value(), "").value();
  return key;
}

ProofSpec spec(json::object claims = {}, json::object header = {}) {
  ProofSpec s;
  s.htu = std::string(kUrl);
  s.iat = kNow;
  s.claims = std::move(claims);
  s.header = std::move(header);
  return s;
}

std::string signed_by(const jose::Jwk& key, jose::Alg alg, const ProofSpec& s) {
  return gh::testing::dpop_proof(key, alg, s);
}
std::string proof(json::object claims = {}, json::object header = {}) {
  return signed_by(rsa(), jose::Alg::RS256, spec(std::move(claims), std::move(header)));
}

// A compact JWS with the given header and payload text, signed with `key` over exactly them.
std::string raw_jws(const json::object& header, std::string_view payload, const jose::Jwk& key = rsa()) {
  return jose::sign(jose::Alg::RS256, key, header, payload).value();
}

json::object public_jwk(const jose::Jwk& k) { return k.to_public_json(); }
json::object with(json::object o, std::string_view k, json::value v) {
  o[k] = std::move(v);
  return o;
}

TEST(DpopProof, TableOfRules) {
  auto jwk = public_jwk(rsa());
  auto big = std::string(9000, 'a');
  struct Case {
    std::string name;
    std::string compact;
    Errc want;
  };
  const Case cases[] = {
      {"valid RS256 (Okta's SDK: jwk carries kid and alg)", proof(), Errc::ok},
      {"valid ES256 without alg in the jwk", signed_by(ec_without_alg(), jose::Alg::ES256, spec()), Errc::ok},
      // §4.3 (2): a well-formed JWT
      {"not a JWT", "not-a-jwt", Errc::malformed},
      {"two parts", "eyJhbGciOiJSUzI1NiJ9.e30", Errc::malformed},
      {"empty signature", core::base64url_encode(R"({"typ":"dpop+jwt","alg":"RS256"})") + ".e30.", Errc::malformed},
      {"header not JSON", core::base64url_encode("{nope") + ".e30.c2ln", Errc::malformed},
      {"payload not JSON", raw_jws({{"typ", "dpop+jwt"}, {"jwk", jwk}}, "not json"), Errc::malformed},
      {"payload an array", raw_jws({{"typ", "dpop+jwt"}, {"jwk", jwk}}, "[1]"), Errc::malformed},
      {"over 8 KiB", proof({{"pad", big}}), Errc::malformed},
      // §4.3 (4): typ
      {"typ missing", proof({}, {{"typ", nullptr}}), Errc::bad_typ},
      {"typ JWT", proof({}, {{"typ", "JWT"}}), Errc::bad_typ},
      {"typ not a string", proof({}, {{"typ", 1}}), Errc::bad_typ},
      {"typ case-insensitive", proof({}, {{"typ", "DPoP+JWT"}}), Errc::ok},
      // §4.3 (5): alg asymmetric and supported, fit for the jwk
      {"alg none", proof({}, {{"alg", "none"}}), Errc::bad_alg},
      {"alg HS256", proof({}, {{"alg", "HS256"}}), Errc::bad_alg},
      {"alg PS256 (not advertised)", proof({}, {{"alg", "PS256"}}), Errc::bad_alg},
      {"alg unknown", proof({}, {{"alg", "XX999"}}), Errc::bad_alg},
      {"alg EdDSA (not advertised)", signed_by(ed25519(), jose::Alg::EdDSA, spec()), Errc::bad_alg},
      {"alg RS384 with a jwk whose alg is RS256", proof({}, {{"alg", "RS384"}}), Errc::bad_jwk},
      {"alg ES256 with an RSA jwk", proof({}, {{"alg", "ES256"}}), Errc::bad_jwk},
      {"crit", proof({}, {{"crit", json::array{"exp"}}}), Errc::unsupported_crit},
      // §4.2, §4.3 (7): the public key, never private material
      {"no jwk", proof({}, {{"jwk", nullptr}}), Errc::missing_jwk},
      {"jwk a string", proof({}, {{"jwk", "abc"}}), Errc::missing_jwk},
      {"jwk with d", proof({}, {{"jwk", with(jwk, "d", "AQAB")}}), Errc::private_key_in_jwk},
      {"jwk with p and q", proof({}, {{"jwk", with(with(jwk, "p", "AQAB"), "q", "AQAB")}}), Errc::private_key_in_jwk},
      {"symmetric jwk", proof({}, {{"jwk", json::object{{"kty", "oct"}, {"k", "c2VjcmV0"}}}}), Errc::private_key_in_jwk},
      {"jwk kty unknown", proof({}, {{"jwk", json::object{{"kty", "XYZ"}}}}), Errc::bad_jwk},
      {"jwk n missing", proof({}, {{"jwk", json::object{{"kty", "RSA"}, {"e", "AQAB"}}}}), Errc::bad_jwk},
      {"jwk use enc", proof({}, {{"jwk", with(jwk, "use", "enc")}}), Errc::bad_jwk},
      // §4.3 (6): signed by the jwk
      {"jwk of another key", proof({}, {{"jwk", public_jwk(other_rsa())}}), Errc::bad_signature},
      {"payload changed after signing",
       [] {
         auto p = proof();
         auto dot1 = p.find('.'), dot2 = p.rfind('.');
         json::object c{{"htm", "POST"}, {"htu", kUrl}, {"iat", kNow}, {"jti", "changed"}};
         return p.substr(0, dot1 + 1) + core::base64url_encode(json::serialize(c)) + p.substr(dot2);
       }(),
       Errc::bad_signature},
      // §4.2: jti
      {"jti missing", proof({{"jti", nullptr}}), Errc::bad_jti},
      {"jti empty", proof({{"jti", ""}}), Errc::bad_jti},
      {"jti a number", proof({{"jti", 7}}), Errc::bad_jti},
      {"jti too long", proof({{"jti", std::string(257, 'j')}}), Errc::bad_jti},
      // §4.3 (8): htm
      {"htm GET for POST", proof({{"htm", "GET"}}), Errc::bad_htm},
      {"htm lower case", proof({{"htm", "post"}}), Errc::bad_htm},
      {"htm missing", proof({{"htm", nullptr}}), Errc::bad_htm},
      // §4.3 (9), §11.27: htu without query and fragment
      {"htu with a query", proof({{"htu", std::string(kUrl) + "?a=b"}}), Errc::ok},
      {"htu with a fragment", proof({{"htu", std::string(kUrl) + "#x"}}), Errc::ok},
      {"htu upper-case scheme and host", proof({{"htu", "HTTP://GH.TEST/oauth2/v1/token"}}), Errc::ok},
      {"htu default port", proof({{"htu", "http://gh.test:80/oauth2/v1/token"}}), Errc::ok},
      {"htu with // (okta-compat.md §1.2)", proof({{"htu", "http://gh.test//oauth2//v1/token"}}), Errc::ok},
      {"htu trailing slash", proof({{"htu", std::string(kUrl) + "/"}}), Errc::ok},
      {"htu another host", proof({{"htu", "http://evil.test/oauth2/v1/token"}}), Errc::bad_htu},
      {"htu another port", proof({{"htu", "http://gh.test:8443/oauth2/v1/token"}}), Errc::bad_htu},
      {"htu another scheme", proof({{"htu", "https://gh.test/oauth2/v1/token"}}), Errc::bad_htu},
      {"htu another path", proof({{"htu", "http://gh.test/oauth2/default/v1/token"}}), Errc::bad_htu},
      {"htu path case matters", proof({{"htu", "http://gh.test/OAUTH2/v1/token"}}), Errc::bad_htu},
      {"htu relative", proof({{"htu", "/oauth2/v1/token"}}), Errc::bad_htu},
      {"htu with userinfo", proof({{"htu", "http://a@gh.test/oauth2/v1/token"}}), Errc::bad_htu},
      {"htu missing", proof({{"htu", nullptr}}), Errc::bad_htu},
      {"htu a number", proof({{"htu", 1}}), Errc::bad_htu},
      // §4.3 (11), okta-compat.md §4.1: iat within ±5 min
      {"iat 300 s ago", proof({{"iat", kNow - 300}}), Errc::ok},
      {"iat 301 s ago", proof({{"iat", kNow - 301}}), Errc::iat_too_old},
      {"iat far in the past", proof({{"iat", 1}}), Errc::iat_too_old},
      {"iat 300 s ahead", proof({{"iat", kNow + 300}}), Errc::ok},
      {"iat 301 s ahead", proof({{"iat", kNow + 301}}), Errc::iat_in_future},
      {"iat far in the future", proof({{"iat", kNow + 86400 * 365}}), Errc::iat_in_future},
      {"iat fractional", proof({{"iat", double(kNow) + 0.5}}), Errc::ok},
      {"iat a string", proof({{"iat", std::to_string(kNow)}}), Errc::bad_iat},
      {"iat missing", proof({{"iat", nullptr}}), Errc::bad_iat},
      // §8: a nonce claim is carried to the caller; it must be a string
      {"nonce a number", proof({{"nonce", 5}}), Errc::bad_nonce},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = check_proof(c.compact, {"POST", kUrl, kNow, std::nullopt});
    if (c.want == Errc::ok) {
      ASSERT_TRUE(r.has_value()) << r.error().message();
      EXPECT_FALSE(r->jkt.empty());
    } else {
      ASSERT_FALSE(r.has_value());
      EXPECT_EQ(r.error(), make_error_code(c.want)) << r.error().message();
      EXPECT_FALSE(description(r.error()).empty());
    }
  }
}

TEST(DpopProof, ReturnsThumbprintJtiIatAndNonce) {
  auto r = check_proof(proof({{"jti", "j-1"}, {"nonce", "n-1"}}), {"POST", kUrl, kNow, std::nullopt});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->jkt, rsa().thumbprint());  // RFC 7638 over the required members only
  EXPECT_EQ(r->jti, "j-1");
  EXPECT_EQ(r->iat, kNow);
  EXPECT_EQ(r->nonce, "n-1");
  // Members beyond the required ones (kid, alg, use) do not change the thumbprint (okta-compat.md §7.5).
  auto jwk = public_jwk(rsa());
  jwk["use"] = "sig";
  auto r2 = check_proof(proof({}, {{"jwk", jwk}}), {"POST", kUrl, kNow, std::nullopt});
  ASSERT_TRUE(r2.has_value());
  EXPECT_EQ(r2->jkt, r->jkt);
}

TEST(DpopProof, AthBindsTheProofToTheAccessToken) {
  const std::string token = "eyJ.token.sig";
  struct Case {
    std::string name, ath_of;
    bool present;
    Errc want;
  };
  const Case cases[] = {
      {"ath of the token", token, true, Errc::ok},
      {"ath of another token", "other", true, Errc::bad_ath},
      {"no ath", "", false, Errc::bad_ath},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto s = spec();
    s.htm = "GET";
    s.htu = "http://gh.test/api/v1/groups";
    if (c.present) s.access_token = c.ath_of;
    auto r = check_proof(signed_by(rsa(), jose::Alg::RS256, s),
                         {"GET", "http://gh.test/api/v1/groups", kNow, std::string_view(token)});
    if (c.want == Errc::ok) EXPECT_TRUE(r.has_value());
    else EXPECT_EQ(r.error(), make_error_code(c.want));
  }
  EXPECT_EQ(access_token_hash("abc"), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");  // RFC 9449 §4.2 method
}

TEST(DpopProof, TheRequestCarriesExactlyOneDpopHeader) {
  http::Request none;
  EXPECT_EQ(proof_header(none).error(), make_error_code(Errc::missing_header));
  http::Request empty;
  empty.headers.emplace_back("DPoP", "  ");
  EXPECT_EQ(proof_header(empty).error(), make_error_code(Errc::missing_header));
  http::Request two;
  two.headers.emplace_back("DPoP", "a.b.c");
  two.headers.emplace_back("dpop", "d.e.f");
  EXPECT_EQ(proof_header(two).error(), make_error_code(Errc::multiple_headers));
  http::Request one;
  one.headers.emplace_back("dPoP", "a.b.c");
  EXPECT_EQ(proof_header(one).value(), "a.b.c");
}

TEST(DpopProof, ReplayKeysSeparateOrgsKeysAndJtis) {
  Proof a{"jkt-a", "jti-1", 0, {}}, b{"jkt-b", "jti-1", 0, {}}, c{"jkt-a", "jti-2", 0, {}};
  EXPECT_EQ(replay_key("org1", a), replay_key("org1", a));
  EXPECT_NE(replay_key("org1", a), replay_key("org2", a));
  EXPECT_NE(replay_key("org1", a), replay_key("org1", b));
  EXPECT_NE(replay_key("org1", a), replay_key("org1", c));
  EXPECT_EQ(replay_key("org1", a).size(), 32u);
}

}  // namespace
}  // namespace gh::oauth::dpop
