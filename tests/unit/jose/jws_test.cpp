// JWS sign/verify for every algorithm, and every way a compact JWS is refused.
#include "jose/jws.hpp"

#include <gtest/gtest.h>

#include "crypto/mac.hpp"
#include "jose_test_util.hpp"

namespace gh::jose {
namespace {

namespace json = boost::json;
using testing::b64;
using testing::code;
using testing::code_of;
using testing::ok;
using testing::private_key_for;
using testing::public_key_for;

constexpr std::string_view kPayload = R"({"iss":"client","sub":"client","jti":"j1"})";

TEST(Jws, SignThenVerifyRoundTripsForEveryAlgorithm) {
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(alg_name(alg));
    auto compact = sign(alg, private_key_for(alg), {{"kid", "k1"}, {"typ", "JWT"}}, kPayload);
    ASSERT_TRUE(compact) << compact.error().message();
    auto jws = verify(*compact, public_key_for(alg), alg);
    ASSERT_TRUE(jws) << jws.error().message();
    EXPECT_EQ(jws->payload, kPayload);
    EXPECT_EQ(json::serialize(jws->header),
              R"({"alg":")" + std::string(alg_name(alg)) + R"(","kid":"k1","typ":"JWT"})");
    auto kid = find_kid(*jws);
    ASSERT_TRUE(kid);
    EXPECT_EQ(kid->value_or(""), "k1");
  }
}

TEST(Jws, SignWithKidWritesTheSameHeaderAsSign) {
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(alg_name(alg));
    const Jwk& key = private_key_for(alg);
    auto direct = sign_with_kid(alg, key, kPayload);
    ASSERT_TRUE(direct) << direct.error().message();
    auto via_json = sign(alg, key, {{"kid", key.kid()}}, kPayload).value();
    // The signing input (header and payload) is the same bytes; signatures differ for ECDSA/PSS.
    EXPECT_EQ(direct->substr(0, direct->rfind('.')), via_json.substr(0, via_json.rfind('.')));
    EXPECT_TRUE(verify(*direct, public_key_for(alg), alg));
  }
  EXPECT_EQ(code_of(sign_with_kid(Alg::ES256, public_key_for(Alg::ES256), kPayload)), code(Errc::not_private_key));
  EXPECT_EQ(code_of(sign_with_kid(Alg::ES384, private_key_for(Alg::ES256), kPayload)), code(Errc::key_alg_mismatch));
}

TEST(Jws, EcdsaSignaturesAreRAndSPaddedToTheCoordinateSize) {
  // RFC 7518 §3.4: R||S, each left-padded. About one signature in 128 has an r or s one byte
  // short (a leading zero octet) and half need DER's 0x00 sign octet: 300 signatures per curve
  // cover both (P-521's DER also uses the long length form).
  for (Alg alg : {Alg::ES256, Alg::ES384, Alg::ES512}) {
    SCOPED_TRACE(alg_name(alg));
    const std::size_t n = alg == Alg::ES256 ? 32 : alg == Alg::ES384 ? 48 : 66;
    const Jwk pub = public_key_for(alg);
    for (int i = 0; i < 300; ++i) {
      auto compact = sign(alg, private_key_for(alg), {}, kPayload).value();
      auto jws = verify(compact, pub, alg);
      ASSERT_TRUE(jws) << i;
      ASSERT_EQ(jws->signature.size(), 2 * n);
    }
  }
}

TEST(Jws, EverySingleBitFlipOfTheSignatureIsRejected) {
  // jwt_verify_lib's fuzzJwtSignatureBits: no flipped bit may still verify.
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(alg_name(alg));
    const Jwk pub = public_key_for(alg);
    auto compact = sign(alg, private_key_for(alg), {}, kPayload).value();
    const std::string sig = decode(compact).value().signature;
    for (std::size_t bit = 0; bit < sig.size() * 8; ++bit) {
      auto r = verify(testing::with_signature(compact, testing::flip_bit(sig, bit)), pub, alg);
      ASSERT_EQ(code_of(r), code(Errc::bad_signature)) << "bit " << bit;
    }
  }
}

TEST(Jws, TamperedPayloadOrHeaderIsRejected) {
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(alg_name(alg));
    const Jwk pub = public_key_for(alg);
    auto compact = sign(alg, private_key_for(alg), {{"kid", "k1"}}, kPayload).value();
    auto parts = decode(compact).value();
    std::string sig_b64 = compact.substr(compact.rfind('.') + 1);
    std::string other_payload = b64(R"({"iss":"client","sub":"admin","jti":"j1"})");
    std::string header_b64 = compact.substr(0, compact.find('.'));
    EXPECT_EQ(code_of(verify(header_b64 + "." + other_payload + "." + sig_b64, pub, alg)),
              code(Errc::bad_signature));
    std::string other_header = b64(R"({"alg":")" + std::string(alg_name(alg)) + R"(","kid":"k2"})");
    EXPECT_EQ(code_of(verify(other_header + "." + b64(kPayload) + "." + sig_b64, pub, alg)),
              code(Errc::bad_signature));
  }
}

TEST(Jws, SignatureFromAnotherKeyOfTheSameTypeIsRejected) {
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(alg_name(alg));
    auto other = Jwk::from_pkey(generate_for_alg(alg).value()).value();
    auto compact = sign(alg, other, {}, kPayload).value();
    EXPECT_EQ(code_of(verify(compact, public_key_for(alg), alg)), code(Errc::bad_signature));
  }
}

TEST(Jws, OneKeyVerifiesUnderEachOfItsAlgorithmsAndAgainAfterRefusals) {
  // Verification contexts are prepared once per thread, key and algorithm (signature.cpp): one
  // RSA key object serves RS* and PS* without one algorithm's context answering for another,
  // and a refusal leaves the context fit for the next signature.
  const Jwk pub = public_key_for(Alg::RS256);
  const Alg rsa[] = {Alg::RS256, Alg::RS384, Alg::RS512, Alg::PS256};
  for (Alg alg : rsa) {
    SCOPED_TRACE(alg_name(alg));
    auto compact = sign(alg, private_key_for(alg), {}, kPayload).value();
    ASSERT_TRUE(verify(compact, pub, alg));
    for (Alg other : rsa) {
      if (other == alg) continue;
      EXPECT_FALSE(verify(compact, pub, other)) << alg_name(other);
    }
    const std::string sig = decode(compact).value().signature;
    EXPECT_EQ(code_of(verify(testing::with_signature(compact, testing::flip_bit(sig, 7)), pub, alg)),
              code(Errc::bad_signature));
    EXPECT_TRUE(verify(compact, pub, alg));
  }
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(alg_name(alg));
    const Jwk key = public_key_for(alg);
    auto compact = sign(alg, private_key_for(alg), {}, kPayload).value();
    const std::string sig = decode(compact).value().signature;
    EXPECT_FALSE(verify(testing::with_signature(compact, testing::flip_bit(sig, 0)), key, alg));
    EXPECT_TRUE(verify(compact, key, alg));
  }
}

TEST(Jws, HmacWithThePublicKeyAsSecretIsRefused) {
  // RFC 8725 §2.1 / §3.1: the classic RS256 → HS256 confusion. The attacker MACs with the
  // public key's PEM (or its JWK JSON); the key and the caller fix RS256, so it is refused.
  const Jwk pub = public_key_for(Alg::RS256);
  const std::string pem = to_public_pem(*pub.pkey()).value();
  const std::string jwk_json = json::serialize(pub.to_public_json());
  for (const std::string& secret : {pem, jwk_json}) {
    std::string input = b64(R"({"alg":"HS256","typ":"JWT"})") + "." + b64(kPayload);
    std::string compact = input + "." + b64(crypto::hmac_sha256(secret, input));
    EXPECT_EQ(code_of(verify(compact, pub, Alg::RS256)), code(Errc::alg_hmac));
  }
}

TEST(Jws, AlgorithmComesFromTheCallerNeverFromTheHeader) {
  struct Case {
    std::string_view name;
    Alg signed_with;
    Alg expected;
    Errc want;
  };
  const Case cases[] = {
      // Same RSA key, other padding: a header naming PS256 is refused when RS256 is fixed.
      {"ps256 header, rs256 fixed", Alg::PS256, Alg::RS256, Errc::alg_mismatch},
      {"rs512 header, rs256 fixed", Alg::RS512, Alg::RS256, Errc::alg_mismatch},
      {"es256 header, rs256 fixed", Alg::ES256, Alg::RS256, Errc::alg_mismatch},
      {"eddsa header, es256 fixed", Alg::EdDSA, Alg::ES256, Errc::alg_mismatch},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto compact = sign(c.signed_with, private_key_for(c.signed_with), {}, kPayload).value();
    EXPECT_EQ(code_of(verify(compact, private_key_for(c.expected), c.expected)), code(c.want));
  }
}

TEST(Jws, KeyThatDoesNotFitTheFixedAlgorithmIsRefused) {
  struct Case {
    std::string_view name;
    Alg key_alg;
    Alg expected;
  };
  const Case cases[] = {
      {"ec key, rs256", Alg::ES256, Alg::RS256},      {"rsa key, es256", Alg::RS256, Alg::ES256},
      {"p-256 key, es384", Alg::ES256, Alg::ES384},   {"p-521 key, es256", Alg::ES512, Alg::ES256},
      {"ed25519 key, es256", Alg::EdDSA, Alg::ES256}, {"rsa key, eddsa", Alg::PS256, Alg::EdDSA},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    // The header names the expected alg; the registered key cannot do it.
    std::string compact = b64(R"({"alg":")" + std::string(alg_name(c.expected)) + R"("})") + "." +
                          b64(kPayload) + "." + b64(std::string(64, 'x'));
    EXPECT_EQ(code_of(verify(compact, public_key_for(c.key_alg), c.expected)),
              code(Errc::key_alg_mismatch));
  }
}

TEST(Jws, KeyAlgMemberRestrictsTheAlgorithm) {
  // RFC 7517 §4.4: an RSA JWK with "alg":"RS256" is not usable for PS256.
  auto obj = private_key_for(Alg::RS256).to_public_json();
  obj["alg"] = "RS256";
  auto pub = Jwk::parse_public(obj).value();
  auto compact = sign(Alg::PS256, private_key_for(Alg::PS256), {}, kPayload).value();
  EXPECT_EQ(code_of(verify(compact, pub, Alg::PS256)), code(Errc::key_alg_mismatch));
  obj["use"] = "enc";
  obj.erase("alg");
  auto enc = Jwk::parse_public(obj).value();
  EXPECT_EQ(code_of(verify(compact, enc, Alg::PS256)), code(Errc::bad_key_use));
}

TEST(Jws, HeaderRulesAreEnforced) {
  const Jwk& key = private_key_for(Alg::ES256);
  const std::string sig = decode(sign(Alg::ES256, key, {}, kPayload).value()).value().signature;
  auto with_header = [&](std::string_view header_json, std::string_view sig_bytes) {
    return b64(header_json) + "." + b64(kPayload) + "." + b64(sig_bytes);
  };
  struct Case {
    std::string_view name;
    std::string compact;
    Errc want;
  };
  const Case cases[] = {
      // RFC 8725 §3.2: unsecured JWS, with or without a signature part.
      {"alg none, empty signature", with_header(R"({"alg":"none"})", ""), Errc::alg_none},
      {"alg none, with signature", with_header(R"({"alg":"none"})", sig), Errc::alg_none},
      {"alg HS512", with_header(R"({"alg":"HS512"})", sig), Errc::alg_hmac},
      {"alg lowercase", with_header(R"({"alg":"es256"})", sig), Errc::unsupported_alg},
      {"alg unknown", with_header(R"({"alg":"ES256K"})", sig), Errc::unsupported_alg},
      {"alg missing", with_header(R"({"kid":"k1"})", sig), Errc::missing_alg},
      {"alg not a string", with_header(R"({"alg":["ES256"]})", sig), Errc::bad_header_param},
      // RFC 7515 §4.1.11: crit is never understood (includes RFC 7797 b64).
      {"crit", with_header(R"({"alg":"ES256","crit":["exp"],"exp":1})", sig),
       Errc::crit_unsupported},
      {"crit b64", with_header(R"({"alg":"ES256","b64":false,"crit":["b64"]})", sig),
       Errc::crit_unsupported},
      {"empty signature", with_header(R"({"alg":"ES256"})", ""), Errc::bad_signature},
      // RFC 7518 §3.4: DER (or any non-64-octet value) is not a JOSE ES256 signature.
      {"short signature", with_header(R"({"alg":"ES256"})", sig.substr(0, 63)),
       Errc::bad_signature},
      {"long signature", with_header(R"({"alg":"ES256"})", sig + '\0'), Errc::bad_signature},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(code_of(verify(c.compact, key, Alg::ES256)), code(c.want));
  }
}

TEST(Jws, EmbeddedKeysAreRefusedBySeparateCheck) {
  struct Case {
    std::string_view name;
    std::string_view header;
    boost::system::error_code want;
  };
  const Case cases[] = {
      {"jwk", R"({"alg":"ES256","jwk":{"kty":"EC"}})", code(Errc::embedded_key)},
      {"jku", R"({"alg":"ES256","jku":"https://attacker.example/jwks"})", code(Errc::embedded_key)},
      {"x5u", R"({"alg":"ES256","x5u":"https://attacker.example/cert"})", code(Errc::embedded_key)},
      {"x5c", R"({"alg":"ES256","x5c":["MIIB"]})", code(Errc::embedded_key)},
      {"kid and typ only", R"({"alg":"ES256","kid":"k","typ":"JWT"})", ok()},
      {"x5t thumbprint is not a key", R"({"alg":"ES256","x5t#S256":"abc"})", ok()},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(code_of(check_header_no_embedded_keys(json::parse(c.header).as_object())), c.want);
  }
  // verify() itself does not refuse "jwk": the DPoP path (RFC 9449 §4.2) needs it.
  const Jwk& key = private_key_for(Alg::ES256);
  auto compact = sign(Alg::ES256, key, {{"jwk", key.to_public_json()}}, kPayload).value();
  EXPECT_EQ(code_of(verify(compact, key, Alg::ES256)), ok());
}

TEST(Jws, SignRefusesUnusableKeysAndHeaders) {
  struct Case {
    std::string_view name;
    Alg alg;
    Jwk key;
    json::object header;
    Errc want;
  };
  const Case cases[] = {
      {"public key", Alg::ES256, public_key_for(Alg::ES256), {}, Errc::not_private_key},
      {"rsa key for es256", Alg::ES256, private_key_for(Alg::RS256), {}, Errc::key_alg_mismatch},
      {"p-256 key for es512", Alg::ES512, private_key_for(Alg::ES256), {}, Errc::key_alg_mismatch},
      {"header names another alg",
       Alg::RS256,
       private_key_for(Alg::RS256),
       {{"alg", "PS256"}},
       Errc::alg_mismatch},
      {"header alg not a string",
       Alg::RS256,
       private_key_for(Alg::RS256),
       {{"alg", 1}},
       Errc::alg_mismatch},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(code_of(sign(c.alg, c.key, c.header, kPayload)), code(c.want));
  }
  // A header that already names the right alg keeps its member order.
  auto compact = sign(Alg::EdDSA, private_key_for(Alg::EdDSA),
                      {{"typ", "dpop+jwt"}, {"alg", "EdDSA"}}, kPayload);
  ASSERT_TRUE(compact);
  EXPECT_EQ(testing::unb64(compact->substr(0, compact->find('.'))),
            R"({"typ":"dpop+jwt","alg":"EdDSA"})");
}

TEST(Jws, FindKid) {
  struct Case {
    std::string_view name;
    std::string_view header;
    boost::system::error_code want;
    std::optional<std::string_view> kid;
  };
  const Case cases[] = {
      {"absent", R"({"alg":"RS256"})", ok(), std::nullopt},
      {"string", R"({"alg":"RS256","kid":"2011-04-29"})", ok(), "2011-04-29"},
      {"number", R"({"alg":"RS256","kid":7})", code(Errc::bad_header_param), std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto jws = decode(b64(c.header) + "." + b64("{}") + ".").value();
    auto kid = find_kid(jws);
    EXPECT_EQ(code_of(kid), c.want);
    if (kid) {
      EXPECT_EQ(*kid, c.kid);
    }
  }
}

}  // namespace
}  // namespace gh::jose
