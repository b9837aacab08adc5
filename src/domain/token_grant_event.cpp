#include "domain/token_grant_event.hpp"

namespace gh::domain {

std::string_view token_grant_event_type(const TokenGrant& g) {
  if (g.org_as) return g.granted ? "app.oauth2.token.grant.access_token" : "app.oauth2.token.grant";
  return g.granted ? "app.oauth2.as.token.grant.access_token" : "app.oauth2.as.token.grant";
}

LogEvent token_grant_event(const TokenGrant& g) {
  LogEvent e;
  e.event_type = token_grant_event_type(g);
  e.client.ip_address = g.ip_address;
  e.client.user_agent = g.user_agent;
  e.transaction_id = g.request_id;
  e.debug_data["requestId"] = g.request_id;
  e.debug_data["requestUri"] = g.request_uri;
  if (g.has_grant_type) e.debug_data["grantType"] = g.grant_type;
  if (g.has_requested_scopes) e.debug_data["requestedScopes"] = g.requested_scopes;
  if (!g.client_id.empty()) {
    std::string id(g.client_id), label(g.client_label);
    e.actor = {id, "PublicClientApp", id, label};
    e.client.id = id;
    e.target.push_back({id, "AppInstance", label, label, {}});
  } else {
    e.actor = {"unknown", "PublicClientApp", "unknown", "unknown"};
  }
  e.target.push_back({std::string(g.as_id), "AuthorizationServer", std::string(g.as_issuer), std::string(g.as_name), {}});
  e.debug_data["authorizationServerName"] = g.as_name;
  if (g.granted) {
    e.display_message = "OAuth2 access token is granted";
    e.debug_data["grantedScopes"] = g.granted_scopes;
    e.debug_data["tokenType"] = g.token_type;
  } else {
    e.display_message = "OAuth2 access token request refused";
    e.severity = severity::warn;
    e.outcome_result = outcome::failure;
    e.outcome_reason = g.error;
    e.debug_data["errorDescription"] = g.error_description;
  }
  return e;
}

}  // namespace gh::domain
