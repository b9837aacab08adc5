#pragma once
// jose::Errc: one value per way a JWS or JWK can be refused, as precise as jwt_verify_lib's
// Status, so the code itself names the failure. Callers translate these at their boundary
// (e.g. into invalid_client) and keep the code as the logged cause (STYLE.md §3).
#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>
#include <type_traits>

namespace gh::jose {

enum class Errc {
  ok = 0,
  // Compact serialization (RFC 7515 §7.1) and its parts.
  malformed_jws = 1,  // not three dot-separated parts, or an empty header
  jws_too_large,      // over kMaxCompactSize
  bad_base64,         // a part is not unpadded base64url (RFC 7515 §2)
  bad_json,           // header is not JSON
  header_not_object,  // header is JSON but not an object (RFC 7515 §4)
  bad_header_param,   // a registered header parameter has the wrong JSON type
  // Algorithms (RFC 7518 §3; RFC 8725 §2.1, §3.1).
  missing_alg,       // header has no "alg" (RFC 7515 §4.1.1)
  unsupported_alg,   // unknown algorithm name
  alg_none,          // "none" is never accepted (RFC 8725 §3.2)
  alg_hmac,          // HS* is never accepted: keys here are asymmetric (RFC 8725 §3.1)
  alg_mismatch,      // header alg differs from the one fixed by the caller
  key_alg_mismatch,  // the key cannot be used with this algorithm (type, curve or its "alg")
  crit_unsupported,  // "crit" present: no extension is understood (RFC 7515 §4.1.11)
  embedded_key,      // jwk/jku/x5u/x5c in the header (RFC 8725 §3.10)
  bad_signature,     // signature does not verify, or has the wrong length
  // Keys (RFC 7517, RFC 7518 §6, RFC 8037 §2).
  bad_key,               // malformed key member, or an inconsistent key
  missing_key_member,    // a member required for this kty/crv is absent
  unsupported_kty,       // kty other than RSA, EC, OKP (including "oct")
  unsupported_crv,       // crv other than P-256/384/521 or Ed25519
  private_key_material,  // a public key carries d, p, q, dp, dq, qi, oth or k
  not_private_key,       // signing needs a private key
  key_too_small,         // RSA modulus under 2048 bits (RFC 7518 §3.3)
  bad_key_use,           // "use" present and not "sig" (RFC 7517 §4.2)
  // Key sets (RFC 7517 §5).
  bad_jwks,       // not {"keys":[...]}
  missing_kid,    // a key in a set has no kid
  duplicate_kid,  // two keys in a set share a kid
  kid_not_found,  // no key with this kid
  // Storage encodings and the library itself.
  bad_pem,        // not a PKCS#8 PEM private key of a supported type
  crypto_failed,  // OpenSSL failed where it should not (allocation, internal error)
};

const boost::system::error_category& jose_category() noexcept;
inline boost::system::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), jose_category()};
}

}  // namespace gh::jose

template <>
struct boost::system::is_error_code_enum<gh::jose::Errc> : std::true_type {};
