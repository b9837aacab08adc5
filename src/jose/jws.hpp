#pragma once
// JWS Compact Serialization (RFC 7515 §7.1): decode, sign, verify.
// The algorithm is always fixed by the caller (the registered key or server configuration) and
// never taken from the header (RFC 8725 §3.1); "none" and HS* are always refused.
#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "jose/alg.hpp"
#include "jose/jwk.hpp"

namespace gh::jose {

// Compact JWSs longer than this are refused before any decoding (assertions, DPoP proofs and
// access tokens are a few KiB).
inline constexpr std::size_t kMaxCompactSize = 64 * 1024;

// A decoded, NOT yet verified JWS.
struct Jws {
  boost::json::object header;  // the JOSE header (RFC 7515 §4)
  std::string payload;         // decoded payload octets
  std::string signature;       // decoded signature octets (empty for an unsecured JWS)
  std::string signing_input;   // ASCII(BASE64URL(header) '.' BASE64URL(payload)), RFC 7515 §5.1
};

// Splits and decodes a compact JWS without checking the signature. Duplicate header members
// keep the lexically last value (RFC 7515 §5.2 step 4). Errors: jws_too_large, malformed_jws
// (not exactly three parts, empty header), bad_base64, bad_json, header_not_object. Thread-safe.
Result<Jws> decode(std::string_view compact);

// The header's "kid" (RFC 7515 §4.1.4): nullopt when absent; bad_header_param if not a string.
Result<std::optional<std::string_view>> find_kid(const Jws& jws);

// Refuses a header that carries a key or a key location: "jwk", "jku", "x5u", "x5c"
// (RFC 7515 §4.1.2-§4.1.6; RFC 8725 §3.10: following them is SSRF, trusting them is forgery).
// Separate from verify() because DPoP proofs (RFC 9449 §4.2) need "jwk". Errors: embedded_key.
Result<void> check_header_no_embedded_keys(const boost::json::object& header);

// Checks a decoded JWS against `key` with the caller-fixed algorithm `expected`:
// "crit" → crit_unsupported (RFC 7515 §4.1.11); "alg" missing → missing_alg, not a string →
// bad_header_param, "none" → alg_none, HS* → alg_hmac, any other name than `expected` →
// alg_mismatch or unsupported_alg; key unfit for `expected` → key_alg_mismatch / bad_key_use;
// signature → bad_signature. Thread-safe.
Result<void> verify_signature(const Jws& jws, const Jwk& key, Alg expected);

// decode() then verify_signature(); returns the verified JWS.
Result<Jws> verify(std::string_view compact, const Jwk& key, Alg expected);

// Signs `payload` with a private `key`. Sets header "alg" to `alg`; a different "alg" already in
// `header` → alg_mismatch. Other members (kid, typ, ...) are the caller's. Errors:
// not_private_key, key_alg_mismatch, bad_key_use, crypto_failed. Thread-safe.
Result<std::string> sign(Alg alg, const Jwk& key, boost::json::object header,
                         std::string_view payload);

// sign(alg, key, {{"kid", key.kid()}}, payload) with the header written directly (the access
// token's hot path: no JSON tree, no temporaries); the same bytes, the same errors.
Result<std::string> sign_with_kid(Alg alg, const Jwk& key, std::string_view payload);

}  // namespace gh::jose
