#pragma once
// The settings of an app (a kind app document, domain/documents.hpp) that client authentication
// and the token endpoint read on every request, parsed once from the document's body: when the
// read model first reads the document or a change puts it (model/doc_map.hpp), never per request.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gh::domain {

// An API service integration instance (issue 15): the app's `_gh.integration`
// (docs/oauth-documents.md). What the instance may do is computed at request time from the
// integration's published version (oauth/verify/integration_scopes.hpp), never stored here.
struct IntegrationInstance {
  std::string type;        // the integration key
  std::string vendor_org;  // the org id of the vendor that publishes it
  bool test_instance = false;
  // A test instance's declared scopes: the snapshot of the draft it was made from. Empty for a
  // customer install, whose declared scopes are the published version's.
  std::vector<std::string> declared_scopes;
};

struct ClientRecord {
  bool active = false;  // status == "ACTIVE"
  // credentials.oauthClient.token_endpoint_auth_method (RFC 7591 §2); "" when absent.
  std::string token_endpoint_auth_method;
  // settings.oauthClient.application_type == "service" (okta-compat.md §4 table).
  bool is_service = false;
  // settings.oauthClient.grant_types (RFC 7591 §2), its strings; nullopt when not an array, in
  // which case no grant type is refused for it.
  std::optional<std::vector<std::string>> grant_types;
  // settings.oauthClient.dpop_bound_access_tokens (RFC 9449 §5.2) is true.
  bool dpop_bound_access_tokens = false;
  // settings.oauthClient.jwks_uri (RFC 7591 §2); "" when absent: the keys are app_key documents.
  std::string jwks_uri;
  // `_gh.integration`; nullopt for an ordinary app.
  std::optional<IntegrationInstance> integration;

  // RFC 6749 §5.2 unauthorized_client: false when grant_types is given without `grant_type`.
  bool allows_grant_type(std::string_view grant_type) const;
};

// A child document of an app that the token endpoint matches on every request, parsed once like
// the app's ClientRecord (kinds in domain/documents.hpp).
struct ClientChildRecord {
  bool active = false;  // status == "ACTIVE"
  // What the token endpoint matches: for a client_secret the bytes of its _gh.mac
  // (base64url-decoded; "" when absent or malformed), for an app_key its kid, for a
  // scope_grant its scopeId; "" when absent.
  std::string match;
};

// The record of an app document's body. A missing or mistyped member reads as absent (as the
// JSON-path reads it replaces did). Thread-safe.
ClientRecord parse_client_record(const boost::json::object& app_body);

// The record of a client_secret, app_key or scope_grant document's body. Thread-safe.
ClientChildRecord parse_client_child_record(std::string_view kind, const boost::json::object& body);

// True for the kinds parse_client_child_record reads.
bool is_client_child_kind(std::string_view kind);

}  // namespace gh::domain
