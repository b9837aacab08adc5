#pragma once
// The token endpoint (RFC 6749 §3.2): ORG/oauth2/v1/token and ORG/oauth2/{asId}/v1/token.
// parse_form_body → client authentication → the client's rate limit → the assertion's jti →
// grant_type → DPoP (for DPoP-bound apps) → dispatch to the GrantHandler of grant_type →
// render (JSON, Cache-Control: no-store). Every error goes through oauth::render.
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/token_bucket.hpp"
#include "http/message.hpp"
#include "http/url.hpp"
#include "oauth/auth_server.hpp"
#include "oauth/client_auth/client_auth.hpp"
#include "oauth/dpop/token_request.hpp"
#include "oauth/grants/grant_handler.hpp"
#include "oauth/limits.hpp"

namespace gh::oauth {

class TokenEndpoint {
 public:
  // No grant is supported until one is added (the composition root adds client_credentials).
  TokenEndpoint(Env& env, ClientAuthenticator& auth, dpop::TokenRequestProofs& dpop, const Limits& limits = {});
  // Supports grant->grant_type() from now on. Not thread-safe: call before serving.
  void add_grant(std::unique_ptr<GrantHandler> grant);

  // Handles POST …/v1/token for `as`. Caller holds org.mutex() shared. Thread-safe.
  // Responses after successful client authentication carry X-Rate-Limit-* of the client's
  // bucket; past it, 429 too_many_requests (okta-compat.md §1.12, §11.30).
  Result<http::Response> handle(const http::Request& req, const model::OrgModel& org, const AuthServer& as) const;
  // The same, before rendering (for tests and other transports). `rate` receives the client's
  // bucket state and `client` the client's app once the client is authenticated.
  Result<TokenResponse> issue(const http::Request& req, const http::Params& form, const model::OrgModel& org,
                              const AuthServer& as, std::optional<RateHeaders>* rate,
                              const domain::Document** client = nullptr) const;
  // The per-client buckets (§11.30), for the server to share between nodes (issue 18).
  core::TokenBuckets& per_client_buckets() const { return per_client_; }

 private:
  Env& env_;
  ClientAuthenticator& auth_;
  dpop::TokenRequestProofs& dpop_;
  mutable core::TokenBuckets per_client_;  // internally synchronised
  bool limit_enabled_ = true;
  std::map<std::string, std::unique_ptr<GrantHandler>, std::less<>> grants_;
};

// 200 {"token_type","expires_in","access_token","scope"}, no-store (RFC 6749 §5.1).
http::Response render_token_response(const TokenResponse& r);

}  // namespace gh::oauth
