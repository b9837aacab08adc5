#pragma once
// Authenticating /api/v1 requests (okta-compat.md §3, §11.2–§11.5).
#include <variant>

#include "api/common/api_error.hpp"
#include "api/common/context.hpp"
#include "api/common/token_use.hpp"

namespace gh::api {

// The challenge listing the accepted schemes, without error= (§11.2).
std::string auth_challenge(std::string_view org_url);

// Authenticates the request's Authorization header against `org`. The caller holds the org's
// mutex shared. SSWS: the token must be well formed, known, not idle past the window, and its
// owner ACTIVE; the principal gets the owner's current roles' permissions.
std::variant<Principal, ApiError> authenticate(const http::Request& req, const model::OrgModel& org,
                                               const Deps& deps, TokenUseTracker& uses);

}  // namespace gh::api
