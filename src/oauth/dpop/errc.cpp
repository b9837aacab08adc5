#include "oauth/dpop/errc.hpp"

#include <string>

namespace gh::oauth::dpop {
namespace {

std::string_view name_of(Errc e) noexcept {
  switch (e) {
    case Errc::ok: return "ok";
    case Errc::missing_header: return "missing_header";
    case Errc::multiple_headers: return "multiple_headers";
    case Errc::malformed: return "malformed";
    case Errc::bad_typ: return "bad_typ";
    case Errc::bad_alg: return "bad_alg";
    case Errc::unsupported_crit: return "unsupported_crit";
    case Errc::missing_jwk: return "missing_jwk";
    case Errc::private_key_in_jwk: return "private_key_in_jwk";
    case Errc::bad_jwk: return "bad_jwk";
    case Errc::bad_signature: return "bad_signature";
    case Errc::bad_jti: return "bad_jti";
    case Errc::bad_htm: return "bad_htm";
    case Errc::bad_htu: return "bad_htu";
    case Errc::bad_iat: return "bad_iat";
    case Errc::iat_in_future: return "iat_in_future";
    case Errc::iat_too_old: return "iat_too_old";
    case Errc::missing_nonce: return "missing_nonce";
    case Errc::bad_nonce: return "bad_nonce";
    case Errc::bad_ath: return "bad_ath";
    case Errc::key_mismatch: return "key_mismatch";
    case Errc::replayed: return "replayed";
    case Errc::replay_cache_full: return "replay_cache_full";
  }
  return "unknown";
}

class DpopCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "gh.dpop"; }
  std::string message(int ev) const override { return std::string(name_of(static_cast<Errc>(ev))); }
};

}  // namespace

const boost::system::error_category& dpop_category() noexcept {
  static const DpopCategory c;
  return c;
}

// OERR texts (okta-oauth2-error-codes.json, invalid_dpop_proof_* family) where Okta has one.
std::string_view description(Errc e) noexcept {
  switch (e) {
    case Errc::ok: return "";
    case Errc::missing_header: return "The DPoP proof JWT header is missing.";
    case Errc::multiple_headers: return "Multiple DPoP proof JWT headers are not allowed.";
    case Errc::malformed: return "The DPoP proof JWT cannot be parsed.";
    case Errc::bad_typ: return "'typ' must be 'dpop+jwt' in the DPoP proof JWT.";
    case Errc::bad_alg: return "The DPoP proof JWT signature algorithm is invalid.";
    case Errc::unsupported_crit: return "The DPoP proof JWT header must not carry 'crit'.";
    case Errc::missing_jwk: return "The DPoP proof JWT header must carry the public key as 'jwk'.";
    case Errc::private_key_in_jwk: return "The 'jwk' in the DPoP proof JWT header must not contain private key material.";
    case Errc::bad_jwk: return "The 'jwk' in the DPoP proof JWT header is not a supported public key for its 'alg'.";
    case Errc::bad_signature: return "The DPoP proof JWT signature is invalid.";
    case Errc::bad_jti: return "'jti' claim in the DPoP proof JWT is invalid.";
    case Errc::bad_htm: return "'htm' claim in the DPoP proof JWT is invalid.";
    case Errc::bad_htu: return "'htu' claim in the DPoP proof JWT is invalid.";
    case Errc::bad_iat: return "'iat' claim in the DPoP proof JWT is invalid.";
    case Errc::iat_in_future: return "The DPoP proof JWT is issued in the future.";
    case Errc::iat_too_old: return "The DPoP proof JWT is issued more than five minutes in the past.";
    case Errc::missing_nonce:
    case Errc::bad_nonce: return "Authorization server requires nonce in DPoP proof.";
    case Errc::bad_ath: return "'ath' claim in the DPoP proof does not match the presented access_token.";
    case Errc::key_mismatch: return "The access_token is not bound to the provided DPoP proof.";
    case Errc::replayed: return "The DPoP proof JWT has already been used.";
    case Errc::replay_cache_full: return "Too many DPoP proofs are in use; retry later.";
  }
  return "The DPoP proof JWT is invalid.";
}

std::string_view description(const boost::system::error_code& ec) noexcept {
  if (ec.category() != dpop_category()) return "The DPoP proof JWT is invalid.";
  return description(static_cast<Errc>(ec.value()));
}

}  // namespace gh::oauth::dpop
