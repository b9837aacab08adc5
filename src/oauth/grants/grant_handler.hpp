#pragma once
// The seam between the token endpoint and the grants (STYLE.md §2): one GrantHandler per
// grant_type, dispatched by key.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/url.hpp"
#include "model/org_model.hpp"
#include "oauth/auth_server.hpp"
#include "oauth/client_auth/client_auth.hpp"
#include "oauth/env.hpp"
#include "oauth/errors.hpp"

namespace gh::oauth {

// A parsed token request (RFC 6749 §4.4.2). Views point into the request; valid for the call.
struct TokenRequest {
  const http::Params& form;
  std::string_view grant_type;
  bool has_scope = false;
  std::vector<std::string> scopes;  // RFC 6749 §3.3 scope-tokens, in order, duplicates dropped
};

// RFC 6749 §5.1.
struct TokenResponse {
  std::string token_type = "Bearer";
  std::int64_t expires_in = 0;
  std::string access_token;
  std::string scope;  // space-joined granted scopes
};

// What a grant may read: the org's model (lock held shared by the caller), the authorization
// server addressed, the shared environment and, for DPoP-bound apps, the thumbprint of the
// validated proof's key ("" otherwise): tokens are then bound to it (RFC 9449 §6).
struct RequestContext {
  const model::OrgModel& org;
  const AuthServer& as;
  Env& env;
  std::string_view dpop_jkt;
};

class GrantHandler {
 public:
  virtual ~GrantHandler() = default;
  virtual std::string_view grant_type() const = 0;  // "client_credentials"
  virtual bool allows_public_clients() const { return false; }
  // Issues tokens for an authenticated client. Errors are OAuth errors for the wire.
  // Thread-safe: handlers are immutable after construction.
  virtual Result<TokenResponse> handle(const TokenRequest& req, const AuthenticatedClient& c,
                                       const RequestContext& ctx) const = 0;
};

}  // namespace gh::oauth
