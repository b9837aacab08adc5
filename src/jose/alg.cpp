#include "jose/alg.hpp"

#include "jose/errc.hpp"

namespace gh::jose {

std::string_view alg_name(Alg alg) noexcept {
  switch (alg) {
    case Alg::RS256: return "RS256";
    case Alg::RS384: return "RS384";
    case Alg::RS512: return "RS512";
    case Alg::PS256: return "PS256";
    case Alg::PS384: return "PS384";
    case Alg::PS512: return "PS512";
    case Alg::ES256: return "ES256";
    case Alg::ES384: return "ES384";
    case Alg::ES512: return "ES512";
    case Alg::EdDSA: return "EdDSA";
  }
  return "";
}

Result<Alg> parse_alg(std::string_view name) {
  for (Alg a : kAllAlgs) {
    if (alg_name(a) == name) return a;
  }
  // RFC 8725 §3.2: never accept unsecured JWS; RFC 8725 §3.1: HMAC with a public key as the
  // secret is the classic algorithm-confusion attack, so HS* is refused outright.
  if (name == "none") return Errc::alg_none;
  if (name == "HS256" || name == "HS384" || name == "HS512") return Errc::alg_hmac;
  return Errc::unsupported_alg;
}

std::string_view kty_name(KeyType kty) noexcept {
  switch (kty) {
    case KeyType::rsa: return "RSA";
    case KeyType::ec: return "EC";
    case KeyType::okp: return "OKP";
  }
  return "";
}

std::string_view crv_name(Curve crv) noexcept {
  switch (crv) {
    case Curve::none: return "";
    case Curve::p256: return "P-256";
    case Curve::p384: return "P-384";
    case Curve::p521: return "P-521";
    case Curve::ed25519: return "Ed25519";
  }
  return "";
}

KeyType key_type_for(Alg alg) noexcept {
  switch (alg) {
    case Alg::ES256:
    case Alg::ES384:
    case Alg::ES512: return KeyType::ec;
    case Alg::EdDSA: return KeyType::okp;
    default: return KeyType::rsa;
  }
}

Curve curve_for(Alg alg) noexcept {
  switch (alg) {
    case Alg::ES256: return Curve::p256;
    case Alg::ES384: return Curve::p384;
    case Alg::ES512: return Curve::p521;
    case Alg::EdDSA: return Curve::ed25519;
    default: return Curve::none;
  }
}

}  // namespace gh::jose
