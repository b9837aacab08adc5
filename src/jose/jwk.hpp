#pragma once
// JSON Web Keys (RFC 7517) for JWS: RSA, EC P-256/384/521 and OKP Ed25519, and JWK sets.
#include <openssl/evp.h>

#include <boost/json/object.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "jose/alg.hpp"
#include "jose/openssl_ptr.hpp"

namespace gh::jose {

inline constexpr int kMinRsaBits = 2048;  // RFC 7518 §3.3
inline constexpr int kMaxRsaBits = 8192;  // bounds verification cost; larger keys are bad_key

// One key: an OpenSSL key plus the JWK metadata kid/alg/use. Immutable; copies share the
// (reference-counted, read-only) EVP_PKEY, so a Jwk may be used from many threads at once.
class Jwk {
 public:
  // Parses a public JWK. Errors: private_key_material if any of d, p, q, dp, dq, qi, oth, k is
  // present (checked first); unsupported_kty (incl. "oct"); unsupported_crv; missing_key_member;
  // bad_key (malformed member, point not on the curve); key_too_small (RSA < 2048 bits);
  // bad_key / unsupported_alg / alg_none / alg_hmac / key_alg_mismatch for a bad "alg" member.
  static Result<Jwk> parse_public(const boost::json::object& jwk);
  // Parses a private JWK (for tests, the SDK and key import). Same errors, plus not_private_key
  // when "d" is absent and bad_key when the private part does not match the public part.
  static Result<Jwk> parse_private(const boost::json::object& jwk);
  // Wraps an existing key (e.g. from generate_* or from_pkcs8_pem). `alg`, when given, must fit
  // the key. Errors: unsupported_kty, unsupported_crv, key_too_small, bad_key, key_alg_mismatch.
  static Result<Jwk> from_pkey(PkeyPtr key, std::string kid = {}, std::optional<Alg> alg = {},
                               std::string use = "sig");

  Jwk(const Jwk& other);
  Jwk& operator=(const Jwk& other);
  Jwk(Jwk&&) noexcept = default;
  Jwk& operator=(Jwk&&) noexcept = default;
  ~Jwk() = default;

  KeyType kty() const noexcept { return kty_; }
  Curve crv() const noexcept { return crv_; }
  int bits() const noexcept { return bits_; }
  bool is_private() const noexcept { return is_private_; }
  const std::string& kid() const noexcept { return kid_; }  // empty when absent
  std::optional<Alg> alg() const noexcept { return alg_; }
  const std::string& use() const noexcept { return use_; }  // empty when absent
  EVP_PKEY* pkey() const noexcept { return pkey_.get(); }

  // Whether this key may sign or verify with `alg`: the family and curve fit (RFC 7518 §3),
  // the key's own "alg" (if any) equals `alg` (RFC 7517 §4.4), and "use" is absent or "sig"
  // (RFC 7517 §4.2). Errors: key_alg_mismatch, bad_key_use.
  Result<void> check_alg(Alg alg) const;

  // The public JWK: required members plus kid, use and alg when set. Never private members.
  boost::json::object to_public_json() const;
  // RFC 7638 thumbprint: base64url(SHA-256(canonical JSON of the required members only)).
  std::string thumbprint() const;

 private:
  Jwk() = default;
  static Result<Jwk> parse(const boost::json::object& jwk, bool want_private);

  PkeyPtr pkey_;
  KeyType kty_ = KeyType::rsa;
  Curve crv_ = Curve::none;
  int bits_ = 0;
  bool is_private_ = false;
  std::string kid_;
  std::optional<Alg> alg_;
  std::string use_;
  boost::json::object required_;  // RFC 7638 §3.2 members, in canonical order
};

// The algorithm a key is used with (RFC 8725 §3.1: from the key, never from a JWS header): its
// "alg" member, or by its type: RS256 for RSA (Okta's default), the curve's ES* for EC, EdDSA
// for OKP.
Alg signing_alg(const Jwk& key) noexcept;

// A JWK set (RFC 7517 §5) whose keys all have distinct, non-empty kids. Immutable.
class JwkSet {
 public:
  JwkSet() = default;
  // Parses {"keys":[...]} of public keys; every key must parse (no key is skipped) and have a
  // unique kid. Errors: bad_jwks, missing_kid, duplicate_kid, and any Jwk::parse_public error.
  static Result<JwkSet> parse_public(const boost::json::object& jwks);
  static Result<JwkSet> parse_public(std::string_view json);  // + bad_json
  // Errors: missing_kid, duplicate_kid.
  static Result<JwkSet> from_keys(std::vector<Jwk> keys);

  const Jwk* find(std::string_view kid) const noexcept;  // nullptr when absent
  Result<const Jwk*> get(std::string_view kid) const;    // kid_not_found when absent
  std::span<const Jwk> keys() const noexcept { return keys_; }
  // {"keys":[public JWKs]}, as served at a jwks_uri.
  boost::json::object to_public_json() const;

 private:
  std::vector<Jwk> keys_;
};

}  // namespace gh::jose
