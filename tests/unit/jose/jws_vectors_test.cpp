// RFC 7515 Appendix A.2-A.4 and RFC 8037 Appendix A.4-A.5 known-answer tests.
#include <gtest/gtest.h>

#include "jose/jws.hpp"
#include "jose_test_util.hpp"

namespace gh::jose {
namespace {

using testing::code;
using testing::code_of;
using testing::load_vector;
using testing::ok;
using testing::str;

struct VectorCase {
  std::string_view file;
};

constexpr VectorCase kVectors[] = {
    {"rfc7515_a2_rs256.json"},   // RFC 7515 A.2: RS256, deterministic
    {"rfc7515_a3_es256.json"},   // RFC 7515 A.3: ES256
    {"rfc7515_a4_es512.json"},   // RFC 7515 A.4: ES512 (P-521, 66-octet coordinates)
    {"rfc8037_a_ed25519.json"},  // RFC 8037 A.4/A.5: EdDSA, deterministic
};

TEST(JwsVectors, VerifyWithPublicKey) {
  for (const auto& c : kVectors) {
    SCOPED_TRACE(c.file);
    auto v = load_vector(std::string(c.file));
    auto priv = Jwk::parse_private(v.at("jwk").as_object());
    ASSERT_TRUE(priv) << priv.error().message();
    auto pub = Jwk::parse_public(priv->to_public_json());
    ASSERT_TRUE(pub) << pub.error().message();
    auto alg = parse_alg(str(v, "alg"));
    ASSERT_TRUE(alg);
    auto jws = verify(str(v, "jws"), *pub, *alg);
    ASSERT_TRUE(jws) << jws.error().message();
    EXPECT_EQ(jws->payload, testing::unb64(str(v, "payload_b64")));
    EXPECT_EQ(boost::json::serialize(jws->header),
              "{\"alg\":\"" + std::string(alg_name(*alg)) + "\"}");
  }
}

TEST(JwsVectors, DeterministicAlgorithmsReproduceTheExactJws) {
  for (const auto& c : kVectors) {
    SCOPED_TRACE(c.file);
    auto v = load_vector(std::string(c.file));
    auto key = Jwk::parse_private(v.at("jwk").as_object());
    ASSERT_TRUE(key) << key.error().message();
    auto alg = parse_alg(str(v, "alg")).value();
    auto signed_jws = sign(alg, *key, {}, testing::unb64(str(v, "payload_b64")));
    ASSERT_TRUE(signed_jws) << signed_jws.error().message();
    if (v.at("deterministic").as_bool()) {
      EXPECT_EQ(*signed_jws, str(v, "jws"));
    } else {  // ECDSA is randomized: our signature must verify instead
      EXPECT_EQ(code_of(verify(*signed_jws, *key, alg)), ok());
    }
  }
}

TEST(JwsVectors, VectorRefusedUnderAnyOtherExpectedAlgorithm) {
  // RFC 8725 §3.1: the caller's algorithm decides, so a valid JWS under another name fails.
  for (const auto& c : kVectors) {
    SCOPED_TRACE(c.file);
    auto v = load_vector(std::string(c.file));
    auto key = Jwk::parse_private(v.at("jwk").as_object()).value();
    auto alg = parse_alg(str(v, "alg")).value();
    for (Alg other : kAllAlgs) {
      if (other == alg) continue;
      SCOPED_TRACE(alg_name(other));
      EXPECT_EQ(code_of(verify(str(v, "jws"), key, other)), code(Errc::alg_mismatch));
    }
  }
}

TEST(JwsVectors, Rfc8037ThumbprintAndPublicKey) {
  auto v = load_vector("rfc8037_a_ed25519.json");
  auto key = Jwk::parse_private(v.at("jwk").as_object());
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(key->thumbprint(), str(v, "thumbprint"));  // RFC 8037 A.3
  const auto pub = key->to_public_json();              // RFC 8037 A.2
  EXPECT_EQ(boost::json::serialize(pub),
            "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_"
            "7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
}

}  // namespace
}  // namespace gh::jose
