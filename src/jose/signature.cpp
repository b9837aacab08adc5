#include "jose/signature.hpp"

#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include <cstring>
#include <vector>

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

// A DER length (X.690 §8.1.3: short form, or 0x81 and one byte for 128..255; an ECDSA
// signature is never longer) at p[i]; false if malformed.
bool der_length(std::string_view der, std::size_t& i, std::size_t& len) {
  if (i >= der.size()) return false;
  auto b = static_cast<unsigned char>(der[i++]);
  if (b < 0x80) {
    len = b;
  } else if (b == 0x81 && i < der.size() && static_cast<unsigned char>(der[i]) >= 0x80) {
    len = static_cast<unsigned char>(der[i++]);
  } else {
    return false;
  }
  return len <= der.size() - i;
}

// One INTEGER (X.690 §8.3) of Ecdsa-Sig-Value at der[i], non-negative, written big-endian into
// the n bytes at o, left-padded with zeros; false if malformed or longer than n.
bool der_integer(std::string_view der, std::size_t& i, unsigned char* o, std::size_t n) {
  std::size_t len = 0;
  if (i >= der.size() || der[i++] != 0x02 || !der_length(der, i, len) || len == 0) return false;
  auto v = der.substr(i, len);
  i += len;
  if (static_cast<unsigned char>(v[0]) & 0x80) return false;  // negative
  while (v.size() > 1 && v[0] == 0) v.remove_prefix(1);
  if (v.size() > n) return false;
  std::memset(o, 0, n - v.size());
  std::memcpy(o + (n - v.size()), v.data(), v.size());
  return true;
}

// RFC 7518 §3.4: the JWS value is R||S, each left-padded to the coordinate size. The DER is
// OpenSSL's own Ecdsa-Sig-Value (RFC 3279 §2.2.3: SEQUENCE { r INTEGER, s INTEGER }), read
// here directly: d2i_ECDSA_SIG and two BIGNUMs cost ~4k instructions a token (issue 20).
Result<std::string> der_to_raw(std::string_view der, std::size_t n) {
  std::string out(2 * n, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  std::size_t i = 0, len = 0;
  if (der.empty() || der[i++] != 0x30 || !der_length(der, i, len) || i + len != der.size() ||
      !der_integer(der, i, o, n) || !der_integer(der, i, o + n, n) || i != der.size())
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

// SHA-2 implementations fetched once: the EVP_sha*() handles make OpenSSL 3 look the
// implementation up by name on every use (bench/micro/sign_bench.cpp measures the difference).
const EVP_MD* fetched_digest(Alg alg) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  static EVP_MD* const sha384 = EVP_MD_fetch(nullptr, "SHA2-384", nullptr);
  static EVP_MD* const sha512 = EVP_MD_fetch(nullptr, "SHA2-512", nullptr);
  const EVP_MD* md = digest_for(alg);
  if (md == EVP_sha256()) return sha256;
  if (md == EVP_sha384()) return sha384;
  if (md == EVP_sha512()) return sha512;
  return nullptr;
}

// One-shot EVP_DigestSign: EdDSA (RFC 8032 signs the message itself, no pre-hash).
Result<std::string> digest_sign(Alg alg, EVP_PKEY& key, std::string_view data) {
  MdCtxPtr ctx{EVP_MD_CTX_new()};
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digest_for(alg), nullptr, &key) != 1)
    return Errc::crypto_failed;
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

enum class Op { sign, verify };

// RS*, PS* and ES*: hash, then EVP_PKEY_sign or EVP_PKEY_verify on a context prepared once per
// thread, key and operation. Initialising a context costs OpenSSL 3 several lookups by name (a
// quarter of an ECDSA P-256 signature, ~4% of a private_key_jwt token); an initialised context
// signs or verifies any number of digests. A cache holds a reference to each key, so a cached
// EVP_PKEY* cannot be freed and reused for another key. One bounded cache per operation, each
// starting again when full: signing sees the server's few keys; verification sees the public
// keys of clients and DPoP proofs (memoised by key_memo, so one client's key is one EVP_PKEY),
// chosen by whoever calls, and their churn must not evict the signing contexts.
EVP_PKEY_CTX* prepared_context(Op op, Alg alg, EVP_PKEY& key) {
  struct Entry {
    EVP_PKEY* key;
    Alg alg;
    PkeyCtxPtr ctx;
  };
  thread_local std::vector<Entry> caches[2];
  auto& cache = caches[op == Op::sign ? 0 : 1];
  for (auto& e : cache)
    if (e.key == &key && e.alg == alg) return e.ctx.get();
  PkeyCtxPtr ctx{EVP_PKEY_CTX_new(&key, nullptr)};
  if (!ctx) return nullptr;
  if ((op == Op::sign ? EVP_PKEY_sign_init(ctx.get()) : EVP_PKEY_verify_init(ctx.get())) != 1)
    return nullptr;
  if (is_pss(alg) && !configure_pss(ctx.get(), alg)) return nullptr;
  if (EVP_PKEY_CTX_set_signature_md(ctx.get(), digest_for(alg)) != 1) return nullptr;
  if (cache.size() >= 64) cache.clear();
  cache.push_back({&key, alg, std::move(ctx)});
  return cache.back().ctx.get();
}

// The digest of `data` for `alg` (not EdDSA) into `out`; its length, or 0 on failure.
unsigned int digest_of(Alg alg, std::string_view data, unsigned char (&out)[EVP_MAX_MD_SIZE]) {
  const EVP_MD* md = fetched_digest(alg);
  unsigned int len = 0;
  if (!md || EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1) return 0;
  return len;
}

// The signature: DER for ECDSA, the final signature otherwise.
Result<std::string> sign_der(Alg alg, EVP_PKEY& key, std::string_view data) {
  if (alg == Alg::EdDSA) return digest_sign(alg, key, data);
  EVP_PKEY_CTX* ctx = prepared_context(Op::sign, alg, key);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = digest_of(alg, data, digest);
  if (!ctx || digest_len == 0) return Errc::crypto_failed;
  std::size_t len = 0;
  if (EVP_PKEY_sign(ctx, nullptr, &len, digest, digest_len) != 1) return Errc::crypto_failed;
  std::string sig(len, '\0');
  if (EVP_PKEY_sign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, digest, digest_len) != 1)
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
  int rc = 0;
  if (alg == Alg::EdDSA) {
    // RFC 8032 verifies the message itself: one-shot EVP_DigestVerify.
    MdCtxPtr ctx{EVP_MD_CTX_new()};
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, &key) != 1) {
      ERR_clear_error();
      return Errc::crypto_failed;
    }
    rc = EVP_DigestVerify(ctx.get(), bytes(sig), sig.size(), bytes(data), data.size());
  } else {
    EVP_PKEY_CTX* ctx = prepared_context(Op::verify, alg, key);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = digest_of(alg, data, digest);
    if (!ctx || digest_len == 0) {
      ERR_clear_error();
      return Errc::crypto_failed;
    }
    rc = EVP_PKEY_verify(ctx, bytes(sig), sig.size(), digest, digest_len);
  }
  ERR_clear_error();  // a failed verify leaves entries on this thread's error queue
  if (rc != 1) return Errc::bad_signature;
  return {};
}

}  // namespace gh::jose::detail
