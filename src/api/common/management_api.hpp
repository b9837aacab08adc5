#pragma once
// The management API (/api/v1/...): authentication, authorization, routing, error envelope.
#include <string_view>

#include "api/common/audit.hpp"
#include "api/common/authn.hpp"
#include "api/common/rate_limit.hpp"
#include "api/common/routes.hpp"
#include "core/token_bucket.hpp"
#include "oauth/verify/access_token_verifier.hpp"

namespace gh::api {

class ManagementApi {
 public:
  // `verifier` and `proofs` are built by the composition root: the verifier is the OAuth
  // endpoints' own (tokens of the org AS are verified by one engine wherever they are presented).
  ManagementApi(Deps& deps, oauth::AccessTokenVerifier& verifier, oauth::dpop::ResourceProofs& proofs);
  // `path` is relative to the org (starts with "/api/v1"). Blocking when the method writes.
  http::Response handle(http::Request& req, model::OrgModel& org, std::string_view path);
  TokenUseTracker& token_uses() { return uses_; }
  // The per-org family buckets and the failed-authentication buckets per address (§11.30,
  // §11.31), for the server to share between nodes (issue 18).
  RateLimiter& rate_limiter() { return limiter_; }
  core::TokenBuckets& auth_failures() { return auth_failures_; }

 private:
  ApiError throttle_failure(ApiError failure, const http::Request& req);

  Deps& deps_;
  ApiRouter router_;
  TokenUseTracker uses_;
  oauth::AccessTokenVerifier& verifier_;
  oauth::dpop::ResourceProofs& proofs_;  // DPoP proofs at /api/v1 (RFC 9449 §7), single use
  RateLimiter limiter_;
  audit::ViolationThrottle violations_;
  core::TokenBuckets auth_failures_;  // failed authentications per source address (§11.31)  // system.org.rate_limit.violation events (issue #4)
};

// Logs (log_refusal) and renders errors for requests that have no org context.
http::Response error_response(const ApiError& e, const http::Request& req);

}  // namespace gh::api
