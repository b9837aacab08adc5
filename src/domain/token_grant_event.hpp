#pragma once
// The System Log event of a token request (issue #4; okta-compat.md §5 "System log event"):
// app.oauth2.token.grant.access_token (org AS) / app.oauth2.as.token.grant.access_token (custom AS)
// for an issued token; app.oauth2.token.grant / app.oauth2.as.token.grant with outcome FAILURE and
// the OAuth error as its reason for a refused one.
//
// The token endpoint records one per request, so the event is kept as the members that vary
// (TokenGrant, all views) and the store writes only those (store/event_record.hpp, record
// version 2); token_grant_event() makes the whole LogEvent from them, for reading.
#include <string_view>

#include "domain/log_event.hpp"

namespace gh::domain {

struct TokenGrant {
  bool granted = false;  // a token was issued; otherwise the request was refused
  bool org_as = true;    // the org authorization server; otherwise a custom one
  std::string_view client_id;     // the client, "" when unknown (never a value the request made up)
  std::string_view client_label;  // its app's label
  std::string_view ip_address, user_agent;  // user_agent already sanitised
  std::string_view request_id, request_uri;
  bool has_grant_type = false, has_requested_scopes = false;  // the request carried them
  std::string_view grant_type, requested_scopes;  // printable ASCII, bounded
  std::string_view as_id;      // the org id for the org AS
  std::string_view as_issuer;  // the AS's issuer URL
  std::string_view as_name;
  // granted: the scopes and token type; refused: the RFC 6749 §5.2 error and its description
  // (okta-compat.md §11.21: descriptions never echo request values).
  std::string_view granted_scopes, token_type;
  std::string_view error, error_description;
};

std::string_view token_grant_event_type(const TokenGrant& g);
// The LogEvent `g` stands for, without uuid and published.
LogEvent token_grant_event(const TokenGrant& g);

}  // namespace gh::domain
