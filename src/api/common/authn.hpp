#pragma once
// Authenticating /api/v1 requests (okta-compat.md §3, §11.2–§11.5).
#include <string_view>

#include "api/common/api_error.hpp"
#include "api/common/context.hpp"
#include "api/common/token_use.hpp"
#include "oauth/dpop/resource_request.hpp"
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
// - DPoP (RFC 9449 §7): the same token rules, with a `DPoP … error="invalid_token"` challenge; a
//   token that is not DPoP-bound → 401 E0000011 (§11.29); no proof → 400 with the Bearer
//   `invalid_request` challenge; a proof that fails (another key, method or URL, bad ath, …) →
//   400 with `DPoP algs=…, error="invalid_dpop_proof"` (§3 table). The proof's URL is ORG +
//   `path_in_org`; its jti is left in Principal::dpop_proof for the caller to consume.
Result<Principal> authenticate(const http::Request& req, std::string_view path_in_org,
                                               const model::OrgModel& org, const Deps& deps,
                                               TokenUseTracker& uses, oauth::AccessTokenVerifier& verifier,
                                               const oauth::dpop::ResourceProofs& proofs);

// The refusal of a DPoP proof (okta-compat.md §3 table): 400 with the DPoP challenge naming
// the failure; replay_cache_full (overload) → 429 E0000047; store::Errc::unavailable (the shared
// single-use ledger of many nodes could not answer) → 503 E0000010, as for the store.
ApiError dpop_proof_refused(const boost::system::error_code& ec);

// 403 E0000006 with the RFC 6750 §3.1 `insufficient_scope` challenge naming the scope `needed`
// maps to and the request path `resource` (okta-compat.md §3, §10); the DPoP scheme's challenge
// when the request used it (RFC 9449 §7.1).
ApiError insufficient_scope(std::string_view org_url, domain::Permission needed, std::string_view resource,
                            bool dpop = false);

}  // namespace gh::api
