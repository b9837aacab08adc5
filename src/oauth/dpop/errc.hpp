#pragma once
// Why a DPoP proof was refused (RFC 9449 §4.3, §7.1, §8; okta-compat.md §3, §4.1, §11.27-29):
// one value per rule, so the code names the failure. description() gives the client-safe text
// (Okta's OERR wording where it has one); callers turn a code into their wire error.
#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>

#include <string_view>
#include <type_traits>

namespace gh::oauth::dpop {

enum class Errc {
  ok = 0,
  missing_header = 1,  // no DPoP header, or an empty one (§4.3 (1))
  multiple_headers,    // more than one DPoP header (§4.3 (1))
  malformed,           // not a compact JWS with JSON header and payload (§4.3 (2))
  bad_typ,             // typ is not dpop+jwt (§4.3 (4))
  bad_alg,             // alg missing, none, symmetric or not in the supported list (§4.3 (5))
  unsupported_crit,    // a crit header: no extension is understood (RFC 7515 §4.1.11)
  missing_jwk,         // no jwk object in the header (§4.2)
  private_key_in_jwk,  // the jwk carries d, p, q, dp, dq, qi, oth or k (§4.3 (7))
  bad_jwk,             // the jwk is not a usable public key for alg (§4.3 (5), (6))
  bad_signature,       // the signature does not verify with the jwk (§4.3 (6))
  bad_jti,             // jti missing, not a string, empty or too long (§4.2)
  bad_htm,             // htm missing or not the request's method (§4.3 (8))
  bad_htu,             // htu missing, not a URL, or not the request's URL (§4.3 (9))
  bad_iat,             // iat missing or not an integer (§4.2)
  iat_in_future,       // iat later than the accepted window (§4.3 (11))
  iat_too_old,         // iat earlier than the accepted window (§4.3 (11))
  missing_nonce,       // the server requires a nonce and there is none (§8)
  bad_nonce,           // a nonce this server did not issue, or that expired (§8)
  bad_ath,             // ath missing or not the hash of the access token (§4.3 (10))
  key_mismatch,        // the proof key is not the one the token is bound to (§7.1, §6.1)
  replayed,            // the jti was already used (§11.1)
  replay_cache_full,   // too many live proofs to remember another: overload, retry later
};

const boost::system::error_category& dpop_category() noexcept;
inline boost::system::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), dpop_category()};
}

// The client-facing error_description for `e` (RFC 6749 §5.2 characters only).
std::string_view description(Errc e) noexcept;
std::string_view description(const boost::system::error_code& ec) noexcept;

}  // namespace gh::oauth::dpop

template <>
struct boost::system::is_error_code_enum<gh::oauth::dpop::Errc> : std::true_type {};
