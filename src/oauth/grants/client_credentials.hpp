#pragma once
// The client credentials grant (RFC 6749 §4.4; okta-compat.md §4, §4.1, §4.2).
#include <memory>

#include "oauth/grants/grant_handler.hpp"

namespace gh::oauth {

// Org AS (as.id ""): only okta.* scopes the app holds an ACTIVE scope_grant for (else 400
// invalid_scope, never narrowed); service apps must authenticate with private_key_jwt (else
// 401 invalid_client); tokens live 3600 s, aud = iss = ORG.
// Custom AS: scopes must exist on the AS; the access policy and rule decide (access_policy.hpp).
// Both: no scope → 400 invalid_scope "No scopes were requested."; an app whose grant_types
// lacks client_credentials → 400 unauthorized_client. Thread-safe.
class ClientCredentialsGrant final : public GrantHandler {
 public:
  std::string_view grant_type() const override { return "client_credentials"; }
  Result<TokenResponse> handle(const TokenRequest& req, const AuthenticatedClient& c,
                               const RequestContext& ctx) const override;
};

inline constexpr std::int64_t kOrgAsTokenLifetime = 3600;  // okta-compat.md §4.1: exactly 1 h

}  // namespace gh::oauth
