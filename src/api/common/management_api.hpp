#pragma once
// The management API (/api/v1/...): authentication, authorization, routing, error envelope.
#include <string_view>

#include "api/common/audit.hpp"
#include "api/common/authn.hpp"
#include "api/common/rate_limit.hpp"
#include "api/common/routes.hpp"
#include "oauth/verify/access_token_verifier.hpp"

namespace gh::api {

class ManagementApi {
 public:
  explicit ManagementApi(Deps& deps);
  // `path` is relative to the org (starts with "/api/v1"). Blocking when the method writes.
  http::Response handle(http::Request& req, model::OrgModel& org, std::string_view path);
  TokenUseTracker& token_uses() { return uses_; }
  oauth::AccessTokenVerifier& verifier() { return verifier_; }  // org AS tokens (Bearer)

 private:
  Deps& deps_;
  ApiRouter router_;
  TokenUseTracker uses_;
  oauth::AccessTokenVerifier verifier_;
  oauth::dpop::ResourceProofs proofs_;  // DPoP proofs at /api/v1 (RFC 9449 §7), single use
  RateLimiter limiter_;
  audit::ViolationThrottle violations_;  // system.org.rate_limit.violation events (issue #4)
};

// Logs (log_refusal) and renders errors for requests that have no org context.
http::Response error_response(const ApiError& e, const http::Request& req);

}  // namespace gh::api
