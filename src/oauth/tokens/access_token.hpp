#pragma once
// Access tokens as JWTs (okta-compat.md §4.2; DESIGN.md "Tokens"): header {kid, alg} without
// typ, claims ver, jti, iss, aud, iat, exp, cid, scp[], sub, cnf (DPoP-bound), then custom claims.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "jose/jwk.hpp"
#include "oauth/errors.hpp"

namespace gh::oauth {

struct AccessTokenSpec {
  std::string issuer;
  boost::json::value audience;   // a string, or an array for several audiences
  std::string client_id;         // cid, and sub for client_credentials
  std::string subject;           // sub; client_id when empty
  std::vector<std::string> scopes;
  std::int64_t issued_at = 0;    // epoch seconds
  std::int64_t expires_at = 0;   // epoch seconds
  boost::json::object extra;     // custom claims; reserved names are never overridden
  std::string jkt;               // DPoP-bound: cnf.jkt (RFC 9449 §6.1); "" for Bearer tokens
};

struct MintedToken {
  std::string jwt;
  std::string jti;
};

// Signs an access token with the private `key`, whose own "alg" (or type) fixes the algorithm.
// jti = "AT." + 43 base62 characters from `random`. Errors: server_error when the key cannot
// sign. Thread-safe if `random` is.
Result<MintedToken> mint_access_token(const jose::Jwk& key, const AccessTokenSpec& claims,
                                      core::Random& random);

// Claim names a custom claim may not take (okta-compat.md §4.2 reserved claims).
bool is_reserved_claim(std::string_view name);

}  // namespace gh::oauth
