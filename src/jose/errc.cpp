#include "jose/errc.hpp"

namespace gh::jose {
namespace {
const char* describe(Errc e) {
  switch (e) {
    case Errc::ok: return "ok";
    case Errc::malformed_jws: return "malformed JWS compact serialization";
    case Errc::jws_too_large: return "JWS too large";
    case Errc::bad_base64: return "malformed base64url in JWS";
    case Errc::bad_json: return "JWS header is not valid JSON";
    case Errc::header_not_object: return "JWS header is not a JSON object";
    case Errc::bad_header_param: return "JWS header parameter has the wrong type";
    case Errc::missing_alg: return "JWS header has no alg";
    case Errc::unsupported_alg: return "unsupported algorithm";
    case Errc::alg_none: return "alg none is not accepted";
    case Errc::alg_hmac: return "HMAC algorithms are not accepted";
    case Errc::alg_mismatch: return "algorithm differs from the expected one";
    case Errc::key_alg_mismatch: return "key cannot be used with this algorithm";
    case Errc::crit_unsupported: return "crit header parameter is not supported";
    case Errc::embedded_key: return "key or key URL embedded in the JWS header";
    case Errc::bad_signature: return "signature verification failed";
    case Errc::bad_key: return "malformed key";
    case Errc::missing_key_member: return "key member missing";
    case Errc::unsupported_kty: return "unsupported key type";
    case Errc::unsupported_crv: return "unsupported curve";
    case Errc::private_key_material: return "public key contains private key material";
    case Errc::not_private_key: return "a private key is required";
    case Errc::key_too_small: return "RSA key shorter than 2048 bits";
    case Errc::bad_key_use: return "key use is not sig";
    case Errc::bad_jwks: return "malformed JWK set";
    case Errc::missing_kid: return "key in set has no kid";
    case Errc::duplicate_kid: return "duplicate kid in key set";
    case Errc::kid_not_found: return "no key with this kid";
    case Errc::bad_pem: return "malformed PEM private key";
    case Errc::crypto_failed: return "cryptographic library failure";
  }
  return "unknown";
}

class JoseCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "gh.jose"; }
  std::string message(int ev) const override { return describe(static_cast<Errc>(ev)); }
};
}  // namespace

const boost::system::error_category& jose_category() noexcept {
  static const JoseCategory c;
  return c;
}

}  // namespace gh::jose
