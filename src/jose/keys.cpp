#include "jose/keys.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstring>

#include "jose/errc.hpp"
#include "jose/jwk.hpp"
#include "jose/key_codec.hpp"

namespace gh::jose {
namespace {

// Everything PEM_read_bio hands back, freed (and the DER wiped) on scope exit.
struct PemBlock {
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;
  PemBlock() = default;
  PemBlock(const PemBlock&) = delete;
  PemBlock& operator=(const PemBlock&) = delete;
  ~PemBlock() {
    OPENSSL_free(name);
    OPENSSL_free(header);
    if (data != nullptr) OPENSSL_clear_free(data, static_cast<std::size_t>(len));
  }
};

Result<PkeyPtr> checked(EVP_PKEY* raw) {
  PkeyPtr key{raw};
  if (!key) {
    ERR_clear_error();
    return Errc::crypto_failed;
  }
  return key;
}

// Only keys a Jwk can hold are accepted from storage.
Result<void> check_supported(EVP_PKEY& key) {
  auto info = detail::inspect(key);
  if (!info) return info.error();
  if (!info->is_private) return Errc::bad_pem;
  if (info->kty == KeyType::rsa && info->bits < kMinRsaBits) return Errc::key_too_small;
  if (info->kty == KeyType::rsa && info->bits > kMaxRsaBits) return Errc::bad_key;
  return {};
}

}  // namespace

Result<PkeyPtr> generate_rsa(int bits) {
  if (bits < kMinRsaBits) return Errc::key_too_small;  // RFC 7518 §3.3
  if (bits > kMaxRsaBits) return Errc::bad_key;
  return checked(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(bits)));
}

Result<PkeyPtr> generate_ec(Curve crv) {
  const char* group = nullptr;
  switch (crv) {
    case Curve::p256: group = "P-256"; break;
    case Curve::p384: group = "P-384"; break;
    case Curve::p521: group = "P-521"; break;
    default: return Errc::bad_key;
  }
  return checked(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", group));
}

Result<PkeyPtr> generate_ed25519() {
  return checked(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
}

Result<PkeyPtr> generate_for_alg(Alg alg) {
  switch (key_type_for(alg)) {
    case KeyType::rsa: return generate_rsa(kMinRsaBits);
    case KeyType::ec: return generate_ec(curve_for(alg));
    case KeyType::okp: return generate_ed25519();
  }
  return Errc::unsupported_alg;
}

Result<core::SecretString> to_pkcs8_pem(EVP_PKEY& key) {
  auto info = detail::inspect(key);
  if (!info) return info.error();
  if (!info->is_private) return Errc::not_private_key;
  BioPtr bio{BIO_new(BIO_s_secmem())};  // wiped on free
  // PEM_write_bio_PrivateKey writes PKCS#8 PrivateKeyInfo (RFC 5208 §5, RFC 7468 §10).
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), &key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return Errc::crypto_failed;
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0 || data == nullptr) return Errc::crypto_failed;
  return core::SecretString{std::string(data, static_cast<std::size_t>(len))};
}

Result<PkeyPtr> from_pkcs8_pem(std::string_view pem) {
  if (pem.size() > 64 * 1024) return Errc::bad_pem;
  BioPtr bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  if (!bio) return Errc::crypto_failed;
  PemBlock block;
  // PEM_read_bio never decrypts, so it never prompts; only the "PRIVATE KEY" label
  // (unencrypted PKCS#8, RFC 7468 §10) with no RFC 1421 headers is accepted.
  if (PEM_read_bio(bio.get(), &block.name, &block.header, &block.data, &block.len) != 1 ||
      std::strcmp(block.name, "PRIVATE KEY") != 0 || block.header[0] != '\0') {
    ERR_clear_error();
    return Errc::bad_pem;
  }
  PemBlock extra;  // exactly one block
  if (PEM_read_bio(bio.get(), &extra.name, &extra.header, &extra.data, &extra.len) == 1)
    return Errc::bad_pem;
  ERR_clear_error();
  const unsigned char* p = block.data;
  PKCS8_PRIV_KEY_INFO* p8 = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, block.len);
  if (p8 == nullptr || p != block.data + block.len) {
    PKCS8_PRIV_KEY_INFO_free(p8);
    ERR_clear_error();
    return Errc::bad_pem;
  }
  PkeyPtr key{EVP_PKCS82PKEY(p8)};
  PKCS8_PRIV_KEY_INFO_free(p8);
  ERR_clear_error();
  if (!key) return Errc::bad_pem;
  if (auto ok = check_supported(*key); !ok) return ok.error();
  return key;
}

Result<std::string> to_public_pem(EVP_PKEY& key) {
  BioPtr bio{BIO_new(BIO_s_mem())};
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), &key) != 1) return Errc::crypto_failed;
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0 || data == nullptr) return Errc::crypto_failed;
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace gh::jose
