#pragma once
// GET ORG/oauth2/v1/keys and ORG/oauth2/{asId}/v1/keys (RFC 7517 §5; okta-compat.md §4 "JWKS"):
// the ACTIVE, NEXT and recently EXPIRED public keys of the authorization server.
#include "http/message.hpp"
#include "model/org_model.hpp"
#include "oauth/auth_server.hpp"
#include "keys/signing_keys.hpp"

namespace gh::oauth {

inline constexpr int kJwksMaxAgeSeconds = 300;

// 200 {"keys":[...]} with Cache-Control: max-age. Caller holds org.mutex() shared. Thread-safe.
http::Response handle_jwks(keys::KeyRing& keyring, const model::OrgModel& org, const AuthServer& as);

}  // namespace gh::oauth
