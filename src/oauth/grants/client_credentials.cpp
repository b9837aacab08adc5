// https://www.rfc-editor.org/rfc/rfc6749#section-4.4
#include "oauth/grants/client_credentials.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "oauth/grants/access_policy.hpp"
#include "oauth/tokens/access_token.hpp"
#include "oauth/verify/integration_scopes.hpp"

namespace gh::oauth {
namespace {
struct Grant {
  boost::json::value audience;
  std::int64_t lifetime = 0;
  boost::json::object extra;
};

// okta-compat.md §4.1 "Scopes", org AS: every scope is okta.* with an ACTIVE grant of the app;
// an API service integration instance's also declared by its integration now (issue 15,
// oauth/verify/integration_scopes.hpp).
Result<Grant> validate_org_as(const TokenRequest& req, const AuthenticatedClient& c,
                              const RequestContext& ctx) {
  auto& instance = c.record->integration;
  // okta-compat.md §4 table: service apps use private_key_jwt at the org AS
  // (OERR unsupported_auth_method_client_creds); API service integrations use client_secret_basic.
  if (c.record->is_service && !instance && c.method != "private_key_jwt")
    return invalid_client("Client Credentials requests to the Org Authorization Server must use the "
                          "private_key_jwt token_endpoint_auth_method.");
  // Issue 15: the operator revoked every install of the integration.
  if (instance && instance_revoked(ctx.env.directory, *instance))
    return invalid_client("The client is not authorized to request tokens.");
  if (req.scopes.empty()) return invalid_scope("No scopes were requested.");
  auto grants = ctx.org.children_parsed(domain::kind::scope_grant, c.client_id);
  for (auto& s : req.scopes) {
    // An instance: a grant in force of a scope declared now (may_use_scope); an app: a grant.
    bool granted = s.starts_with("okta.") &&
                   (instance ? may_use_scope(ctx.env.directory, ctx.org, c.client_id, s)
                             : std::any_of(grants.begin(), grants.end(),
                                           [&](auto* g) { return g->child->active && g->child->match == s; }));
    // OERR illegal_scope / illegal_custom_scope; never silently narrowed.
    if (!granted) return invalid_scope("One or more requested scopes are not granted to the client.");
  }
  return Grant{boost::json::string(ctx.as.issuer), kOrgAsTokenLifetime, {}};
}

// okta-compat.md §4.1 "Scopes", custom AS.
Result<Grant> validate_custom_as(const TokenRequest& req, const AuthenticatedClient& c,
                                 const RequestContext& ctx) {
  if (req.scopes.empty()) return invalid_scope("No scopes were requested.");
  auto as = as_token_settings(ctx.org, ctx.as.id, ctx.as.doc->body);  // typed, once per model version
  if (auto ok = check_scopes_exist(*as, req.scopes); !ok) return ok.error();
  auto decision = evaluate_access_policy(*as, c.client_id, "client_credentials", req.scopes);
  if (!decision) return decision.error();
  return Grant{audience_of(*as, ctx.as.issuer), decision->access_token_lifetime,
               resource_claims(*as, c.client_id, req.scopes)};
}

}  // namespace

Result<TokenResponse> ClientCredentialsGrant::handle(const TokenRequest& req, const AuthenticatedClient& c,
                                                     const RequestContext& ctx) const {
  // RFC 6749 §5.2 unauthorized_client: the grant type is not registered for the client.
  if (!c.record->allows_grant_type(grant_type()))
    return unauthorized_client("The client is not authorized to use the provided grant type.");
  // Issue 15: an API service integration instance calls Okta's management API only, so its
  // tokens come from the org AS (okta-compat.md §4 table), never from a custom AS whose policy
  // happens to include every client.
  if (c.record->integration && !ctx.as.is_org())
    return unauthorized_client("API service integrations get tokens from the org authorization server only.");
  auto grant = ctx.as.is_org() ? validate_org_as(req, c, ctx) : validate_custom_as(req, c, ctx);
  if (!grant) return grant.error();
  auto key = ctx.env.keyring.active(ctx.org, ctx.as.id);
  if (!key) {
    spdlog::error("no ACTIVE signing key org={} as={}", ctx.org.org().id, ctx.as.id);
    return server_error();
  }
  auto now = core::epoch_ms(ctx.env.clock.now()) / 1000;
  AccessTokenSpec claims{ctx.as.issuer, std::move(grant->audience), c.client_id, {}, req.scopes,
                         now, now + grant->lifetime, std::move(grant->extra), std::string(ctx.dpop_jkt)};
  auto token = mint_access_token(*key, claims, ctx.env.random);
  if (!token) return token.error();
  TokenResponse out;
  if (!ctx.dpop_jkt.empty()) out.token_type = "DPoP";  // RFC 9449 §5
  out.expires_in = grant->lifetime;
  out.access_token = std::move(token->jwt);
  for (auto& s : req.scopes) out.scope += (out.scope.empty() ? "" : " ") + s;
  spdlog::debug("token issued org={} as={} client_id={} jti={}", ctx.org.org().id, ctx.as.id, c.client_id,
                token->jti);
  return out;
}

}  // namespace gh::oauth
