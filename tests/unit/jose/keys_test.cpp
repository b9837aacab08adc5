// Key generation and PKCS#8 PEM storage round trips.
#include "jose/keys.hpp"

#include <gtest/gtest.h>
#include <openssl/pem.h>

#include "jose/jws.hpp"
#include "jose_test_util.hpp"

namespace gh::jose {
namespace {

using testing::code;
using testing::code_of;
using testing::ok;

std::string pem_of(EVP_PKEY* key) { return std::string(to_pkcs8_pem(*key).value().reveal()); }

// PKCS#8 PEM written by OpenSSL directly, for keys to_pkcs8_pem itself refuses.
std::string raw_pem(EVP_PKEY* key, const EVP_CIPHER* cipher = nullptr, const char* pass = nullptr) {
  BioPtr bio{BIO_new(BIO_s_mem())};
  EXPECT_EQ(PEM_write_bio_PKCS8PrivateKey(bio.get(), key, cipher, nullptr, 0, nullptr,
                                          const_cast<char*>(pass)),
            1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

TEST(Keys, GeneratedKeysSurvivePemStorageAndSign) {
  struct Case {
    std::string_view name;
    Alg alg;
    KeyType kty;
    Curve crv;
  };
  const Case cases[] = {
      {"rsa-2048", Alg::RS256, KeyType::rsa, Curve::none},
      {"p-256", Alg::ES256, KeyType::ec, Curve::p256},
      {"p-384", Alg::ES384, KeyType::ec, Curve::p384},
      {"p-521", Alg::ES512, KeyType::ec, Curve::p521},
      {"ed25519", Alg::EdDSA, KeyType::okp, Curve::ed25519},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Jwk& original = testing::private_key_for(c.alg);
    EXPECT_EQ(original.kty(), c.kty);
    EXPECT_EQ(original.crv(), c.crv);
    const std::string pem = pem_of(original.pkey());
    EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u);
    auto loaded = from_pkcs8_pem(pem);
    ASSERT_TRUE(loaded) << loaded.error().message();
    auto reloaded = Jwk::from_pkey(std::move(*loaded), "k1", c.alg);
    ASSERT_TRUE(reloaded) << reloaded.error().message();
    EXPECT_TRUE(reloaded->is_private());
    EXPECT_EQ(reloaded->thumbprint(), original.thumbprint());
    auto compact = sign(c.alg, *reloaded, {{"kid", "k1"}}, "{}").value();
    EXPECT_EQ(code_of(verify(compact, testing::public_key_for(c.alg), c.alg)), ok());
  }
}

TEST(Keys, GenerateRefusesWeakOrUnknownParameters) {
  EXPECT_EQ(code_of(generate_rsa(1024)), code(Errc::key_too_small));
  EXPECT_EQ(code_of(generate_rsa(16384)), code(Errc::bad_key));
  EXPECT_EQ(code_of(generate_ec(Curve::ed25519)), code(Errc::bad_key));
  EXPECT_EQ(code_of(generate_ec(Curve::none)), code(Errc::bad_key));
  auto ed = generate_ed25519();
  ASSERT_TRUE(ed);
  EXPECT_EQ(Jwk::from_pkey(std::move(*ed)).value().crv(), Curve::ed25519);
}

TEST(Keys, FromPkcs8PemRefusals) {
  const Jwk& rsa = testing::private_key_for(Alg::RS256);
  const std::string pem = pem_of(rsa.pkey());
  std::string pkcs1 = pem;  // relabelled: only the PKCS#8 label is accepted
  for (auto pos = pkcs1.find("PRIVATE KEY"); pos != std::string::npos;
       pos = pkcs1.find("PRIVATE KEY", pos + 15))
    pkcs1.replace(pos, 11, "RSA PRIVATE KEY");
  std::string encrypted = raw_pem(rsa.pkey(), EVP_aes_256_cbc(), "passphrase");
  PkeyPtr small{EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024})};
  PkeyPtr x25519{EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519")};
  PkeyPtr ed448{EVP_PKEY_Q_keygen(nullptr, nullptr, "ED448")};
  PkeyPtr k1{EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1")};
  std::string truncated = pem.substr(0, pem.size() / 2) + "\n-----END PRIVATE KEY-----\n";
  struct Case {
    std::string_view name;
    std::string pem;
    boost::system::error_code want;
  };
  const Case cases[] = {
      {"pkcs8", pem, ok()},
      {"empty", "", code(Errc::bad_pem)},
      {"garbage", "not a pem", code(Errc::bad_pem)},
      {"public key", to_public_pem(*rsa.pkey()).value(), code(Errc::bad_pem)},
      {"pkcs1 label", pkcs1, code(Errc::bad_pem)},
      {"encrypted pkcs8", encrypted, code(Errc::bad_pem)},
      {"truncated", truncated, code(Errc::bad_pem)},
      {"two keys", pem + pem, code(Errc::bad_pem)},
      {"rsa 1024", raw_pem(small.get()), code(Errc::key_too_small)},
      {"x25519", raw_pem(x25519.get()), code(Errc::unsupported_crv)},
      {"ed448", raw_pem(ed448.get()), code(Errc::unsupported_crv)},
      {"secp256k1", raw_pem(k1.get()), code(Errc::unsupported_crv)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(code_of(from_pkcs8_pem(c.pem)), c.want);
  }
}

TEST(Keys, PublicKeysCannotBeExportedAsPrivatePem) {
  auto pub = testing::public_key_for(Alg::ES256);
  EXPECT_EQ(code_of(to_pkcs8_pem(*pub.pkey())), code(Errc::not_private_key));
}

TEST(Keys, FromPkeyValidatesTheKeyAndItsAlg) {
  EXPECT_EQ(code_of(Jwk::from_pkey(nullptr)), code(Errc::bad_key));
  EXPECT_EQ(code_of(Jwk::from_pkey(generate_ed25519().value(), "k", Alg::ES256)),
            code(Errc::key_alg_mismatch));
  PkeyPtr small{EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024})};
  EXPECT_EQ(code_of(Jwk::from_pkey(std::move(small))), code(Errc::key_too_small));
  auto jwk = Jwk::from_pkey(generate_ec(Curve::p384).value(), "k", Alg::ES384).value();
  auto pub = jwk.to_public_json();
  EXPECT_EQ(pub.at("alg").as_string(), "ES384");
  EXPECT_EQ(pub.at("use").as_string(), "sig");  // from_pkey defaults use to "sig"
  EXPECT_EQ(pub.at("crv").as_string(), "P-384");
  EXPECT_EQ(testing::unb64(pub.at("x").as_string()).size(), 48u);  // RFC 7518 §6.2.1.2
}

TEST(Keys, RsaPrivateJwkWithoutCrtMembersSigns) {
  // RFC 7518 §6.3.2: only "d" is required in an RSA private key.
  auto jwk = testing::load_vector("rfc7515_a2_rs256.json").at("jwk").as_object();
  for (std::string_view m : {"p", "q", "dp", "dq", "qi"}) jwk.erase(m);
  auto key = Jwk::parse_private(jwk).value();
  auto compact = sign(Alg::RS256, key, {}, "payload").value();
  EXPECT_EQ(code_of(verify(compact, Jwk::parse_public(key.to_public_json()).value(), Alg::RS256)),
            ok());
}

}  // namespace
}  // namespace gh::jose
