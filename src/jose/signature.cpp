#include "jose/signature.hpp"

#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "jose/errc.hpp"
#include "jose/openssl_ptr.hpp"

namespace gh::jose::detail {
namespace {

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// RFC 7518 §3.3-§3.5: SHA-2 size follows the algorithm suffix. EdDSA hashes internally
// (RFC 8032 §5.1), so OpenSSL takes no digest for it.
const EVP_MD* digest_for(Alg alg) {
  switch (alg) {
    case Alg::RS256:
    case Alg::PS256:
    case Alg::ES256: return EVP_sha256();
    case Alg::RS384:
    case Alg::PS384:
    case Alg::ES384: return EVP_sha384();
    case Alg::RS512:
    case Alg::PS512:
    case Alg::ES512: return EVP_sha512();
    case Alg::EdDSA: return nullptr;
  }
  return nullptr;
}

bool is_pss(Alg alg) { return alg == Alg::PS256 || alg == Alg::PS384 || alg == Alg::PS512; }
bool is_ecdsa(Alg alg) { return alg == Alg::ES256 || alg == Alg::ES384 || alg == Alg::ES512; }

// RFC 7518 §3.5: MGF1 with the same hash, salt length equal to the hash output size.
bool configure_pss(EVP_PKEY_CTX* pctx, Alg alg) {
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, digest_for(alg)) > 0;
}

// RFC 7518 §3.4: the JWS value is R||S, each left-padded to the coordinate size.
Result<std::string> der_to_raw(std::string_view der, std::size_t n) {
  const unsigned char* p = bytes(der);
  EcdsaSigPtr sig{d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()))};
  if (!sig) return Errc::crypto_failed;
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string out(2 * n, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(r, o, static_cast<int>(n)) < 0 ||
      BN_bn2binpad(s, o + n, static_cast<int>(n)) < 0)
    return Errc::crypto_failed;
  return out;
}

Result<std::string> raw_to_der(std::string_view raw, std::size_t n) {
  // RFC 7518 §3.4: a signature of any other length is invalid.
  if (raw.size() != 2 * n) return Errc::bad_signature;
  BnPtr r{BN_bin2bn(bytes(raw), static_cast<int>(n), nullptr)};
  BnPtr s{BN_bin2bn(bytes(raw) + n, static_cast<int>(n), nullptr)};
  EcdsaSigPtr sig{ECDSA_SIG_new()};
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
    return Errc::crypto_failed;
  (void)r.release();  // owned by sig now
  (void)s.release();
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return Errc::crypto_failed;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

// EVP_DigestSign output: DER for ECDSA, the final signature otherwise.
Result<std::string> sign_der(Alg alg, EVP_PKEY& key, std::string_view data) {
  MdCtxPtr ctx{EVP_MD_CTX_new()};
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, digest_for(alg), nullptr, &key) != 1)
    return Errc::crypto_failed;
  if (is_pss(alg) && !configure_pss(pctx, alg)) return Errc::crypto_failed;
  std::size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, bytes(data), data.size()) != 1)
    return Errc::crypto_failed;
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, bytes(data),
                     data.size()) != 1)
    return Errc::crypto_failed;
  sig.resize(len);
  return sig;
}

}  // namespace

std::size_t ecdsa_coordinate_size(Alg alg) noexcept {
  switch (alg) {
    case Alg::ES256: return 32;
    case Alg::ES384: return 48;
    case Alg::ES512: return 66;
    default: return 0;
  }
}

Result<std::string> sign_bytes(Alg alg, EVP_PKEY& key, std::string_view data) {
  auto signed_data = sign_der(alg, key, data);
  ERR_clear_error();  // leave this thread's OpenSSL error queue empty on every path
  if (!signed_data || !is_ecdsa(alg)) return signed_data;
  return der_to_raw(*signed_data, ecdsa_coordinate_size(alg));
}

Result<void> verify_bytes(Alg alg, EVP_PKEY& key, std::string_view data, std::string_view sig) {
  std::string der;
  if (is_ecdsa(alg)) {
    auto converted = raw_to_der(sig, ecdsa_coordinate_size(alg));
    if (!converted) return converted.error();
    der = std::move(*converted);
    sig = der;
  }
  MdCtxPtr ctx{EVP_MD_CTX_new()};
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, digest_for(alg), nullptr, &key) != 1 ||
      (is_pss(alg) && !configure_pss(pctx, alg))) {
    ERR_clear_error();
    return Errc::crypto_failed;
  }
  int rc = EVP_DigestVerify(ctx.get(), bytes(sig), sig.size(), bytes(data), data.size());
  ERR_clear_error();  // a failed verify leaves entries on this thread's error queue
  if (rc != 1) return Errc::bad_signature;
  return {};
}

}  // namespace gh::jose::detail
