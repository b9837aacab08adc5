#include "oauth/token_endpoint/token_events.hpp"

#include "domain/log_event.hpp"
#include "oauth/client_auth/client_auth.hpp"
#include "oauth/detail/json_access.hpp"
#include "oauth/form.hpp"

namespace gh::oauth {
namespace {

// Printable ASCII request text of bounded size (grant_type, scope): never a credential.
std::string printable(std::string_view s, std::size_t max) {
  std::string out;
  for (char c : s) {
    if (out.size() >= max) break;
    if (c >= 0x20 && c < 0x7f) out += c;
  }
  return out;
}

// The client the request names (claimed_client_id: Basic user name, client_id or the
// assertion's iss), only if that client exists in `org`: an unknown value could be anything, a
// mistyped secret included, and is not recorded.
const domain::Document* named_client(const http::Request& req, const http::Params* form, const model::OrgModel& org) {
  static const http::Params kNoForm{};
  auto id = claimed_client_id({form ? *form : kNoForm, req.header("Authorization"), {}, {}});
  return id.empty() ? nullptr : org.doc(domain::kind::app, id);
}
}  // namespace

void record_token_event(Env& env, const http::Request& req, const http::Params* params,
                        const model::OrgModel& org, const AuthServer& as, const Result<TokenResponse>& outcome) {
  if (!env.events) return;
  // The first step of the DPoP nonce exchange (RFC 9449 §8) is not a refusal.
  if (!outcome && outcome.error().error == "use_dpop_nonce") return;
  domain::LogEvent e;
  e.uuid = domain::new_event_uuid(env.random);
  e.published = core::epoch_ms(env.clock.now());
  const std::string prefix = as.is_org() ? "app.oauth2.token.grant" : "app.oauth2.as.token.grant";
  e.client.ip_address = req.remote_addr;
  e.client.user_agent = domain::sanitize_user_agent(req.header("User-Agent"));
  e.transaction_id = req.request_id;
  e.debug_data["requestId"] = req.request_id;
  e.debug_data["requestUri"] = req.path;
  if (params) {
    if (auto g = params->get("grant_type")) e.debug_data["grantType"] = printable(*g, 64);
    if (auto s = params->get("scope")) e.debug_data["requestedScopes"] = printable(*s, 1024);
  }
  if (auto* app = named_client(req, params, org)) {
    std::string label(detail::str_at(app->body, {"label"}));
    e.actor = {app->id, "PublicClientApp", app->id, label};
    e.client.id = app->id;
    e.target.push_back({app->id, "AppInstance", label, label, {}});
  } else {
    e.actor = {"unknown", "PublicClientApp", "unknown", "unknown"};
  }
  std::string as_name = as.is_org() ? "Org Authorization Server" : as.doc ? std::string(detail::str_at(as.doc->body, {"name"})) : as.id;
  e.target.push_back({as.is_org() ? org.org().id : as.id, "AuthorizationServer", as.issuer, as_name, {}});
  e.debug_data["authorizationServerName"] = as_name;
  if (outcome) {
    e.event_type = prefix + ".access_token";
    e.display_message = "OAuth2 access token is granted";
    e.debug_data["grantedScopes"] = outcome->scope;
    e.debug_data["tokenType"] = outcome->token_type;
  } else {
    e.event_type = prefix;
    e.display_message = "OAuth2 access token request refused";
    e.severity = domain::severity::warn;
    e.outcome_result = domain::outcome::failure;
    e.outcome_reason = outcome.error().error;  // the RFC 6749 §5.2 error code
    // okta-compat.md §11.21: descriptions never echo request values.
    e.debug_data["errorDescription"] = outcome.error().description;
  }
  env.events->push(org.org().id, e);
}

domain::LogEvent token_revocation_event(Env& env, const http::Request& req, const model::OrgModel& org,
                                        std::string_view as_id, std::string_view client_id, std::string_view jti) {
  domain::LogEvent e;
  e.uuid = domain::new_event_uuid(env.random);
  e.published = core::epoch_ms(env.clock.now());
  e.event_type = as_id.empty() ? "app.oauth2.token.revoke" : "app.oauth2.as.token.revoke";
  e.display_message = "OAuth2 access token revoked";
  e.client.ip_address = req.remote_addr;
  e.client.user_agent = domain::sanitize_user_agent(req.header("User-Agent"));
  e.client.id = std::string(client_id);
  e.transaction_id = req.request_id;
  e.debug_data["requestId"] = req.request_id;
  e.debug_data["requestUri"] = req.path;
  std::string label;
  if (auto* app = org.doc(domain::kind::app, client_id)) label = std::string(detail::str_at(app->body, {"label"}));
  e.actor = {std::string(client_id), "PublicClientApp", std::string(client_id), label};
  e.target = {{std::string(jti), "access_token", "", "Access Token", {}},
              {as_id.empty() ? org.org().id : std::string(as_id), "AuthorizationServer", "", "", {}}};
  return e;
}

}  // namespace gh::oauth
