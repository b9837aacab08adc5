#pragma once
// Private keys for private_key_jwt and DPoP, and the JWTs the client signs with them.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "gatehouse/client/error.hpp"
#include "jose/jwk.hpp"

namespace gh::sdk {

// A private key from PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----") or a private JWK (JSON text).
// `kid` overrides the JWK's kid (needed when the PEM carries none and the server has several
// keys). RSA (RS256) and EC (ES256/384/512) keys. Errors: bad_key.
Result<jose::Jwk> load_private_key(std::string_view text, std::string kid = {});

// A new key pair for DPoP or a service app: EC P-256 (ES256) or RSA-2048 (RS256).
Result<jose::Jwk> generate_key(bool rsa, std::string kid = {});
// The PKCS#8 PEM of a private key (printed once by `gatehouse apps create`).
Result<std::string> private_key_pem(const jose::Jwk& key);

// `n` random octets, base64url (jti values).
std::string random_id(core::Random& random, std::size_t n = 24);

// The client assertion of private_key_jwt (RFC 7523 §3, okta-compat.md §4): iss = sub =
// client_id, aud = the token endpoint, jti unique, iat now and exp = iat + `lifetime` (at most
// one hour, okta-compat.md §4). Errors: bad_key.
Result<std::string> client_assertion(const jose::Jwk& key, std::string_view client_id,
                                     std::string_view token_endpoint, core::SysTime now,
                                     core::Random& random, std::chrono::seconds lifetime = std::chrono::seconds(300));

// A DPoP proof (RFC 9449 §4.2): typ dpop+jwt, the public key in "jwk", claims jti, htm, htu
// (without query and fragment), iat, and nonce and ath (base64url SHA-256 of the access token,
// §4.3) when given.
Result<std::string> dpop_proof(const jose::Jwk& key, std::string_view method, std::string_view url,
                               core::SysTime now, core::Random& random, std::string_view nonce = {},
                               std::string_view access_token = {});

// base64url(SHA-256(s)): the DPoP "ath" (RFC 9449 §4.2).
std::string sha256_b64url(std::string_view s);

}  // namespace gh::sdk
