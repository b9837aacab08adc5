#pragma once
// Authenticating /api/v1 requests (okta-compat.md §3, §11.2–§11.5).
#include <string_view>
#include <variant>

#include "api/common/api_error.hpp"
#include "api/common/context.hpp"
#include "api/common/token_use.hpp"
#include "oauth/verify/access_token_verifier.hpp"

namespace gh::api {

// The challenge listing the accepted schemes, without error= (§11.2).
std::string auth_challenge(std::string_view org_url);

// Authenticates the request's Authorization header against `org`. The caller holds the org's
// mutex shared. Scheme names match case-insensitively (§11.3).
// - SSWS: the token must be well formed, known, not idle past the window, and its owner ACTIVE;
//   the principal gets the owner's current roles' permissions.
// - Bearer: an access token of the org AS only (`verifier` with as_id ""); anything wrong with it
//   → 401 E0000011 with a `Bearer … error="invalid_token"` challenge (okta-compat.md §3). The
//   principal's scopes are the token's scp still backed by an ACTIVE grant of the client, its
//   permissions those scopes ∩ the client's current roles' permissions. A DPoP-bound token sent
//   as Bearer → 400 with `error="invalid_request"` (§3 table).
// - DPoP: not supported yet (TODO #4) → 401 E0000011, `DPoP … error="invalid_token"` (§11.29).
std::variant<Principal, ApiError> authenticate(const http::Request& req, const model::OrgModel& org,
                                               const Deps& deps, TokenUseTracker& uses,
                                               oauth::AccessTokenVerifier& verifier);

// 403 E0000006 with the RFC 6750 §3.1 `insufficient_scope` challenge naming the scope `needed`
// maps to and the request path `resource` (okta-compat.md §3, §10).
ApiError insufficient_scope(std::string_view org_url, domain::Permission needed, std::string_view resource);

}  // namespace gh::api
