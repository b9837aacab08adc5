// ManagementClient: service apps and their credentials, scope grants, client roles, API tokens
// (okta-compat.md §5, §6).
#include <boost/json/serialize.hpp>

#include "gatehouse/client/management_client.hpp"

namespace gh::sdk {
namespace json = boost::json;

namespace {
Result<json::object> object_of(Result<json::value> v) {
  if (!v) return v.error();
  if (!v->is_object()) return Error(Errc::bad_response, 0, "not a JSON object");
  return v->as_object();
}
Result<void> done(Result<json::value> v) {
  if (!v) return v.error();
  return {};
}
std::string seg(std::string_view s) { return query_encode(s); }
}  // namespace

Result<json::object> ManagementClient::create_service_app(std::string_view label, bool private_key_jwt,
                                                          const json::object* public_jwk) {
  // okta-compat.md §5 "OIDC service app".
  json::object oauth{{"application_type", "service"},
                     {"grant_types", json::array{"client_credentials"}},
                     {"response_types", json::array{"token"}}};
  if (private_key_jwt && public_jwk) oauth["jwks"] = json::object{{"keys", json::array{*public_jwk}}};
  json::value body = json::object{
      {"label", label},
      {"name", "oidc_client"},
      {"signOnMode", "OPENID_CONNECT"},
      {"credentials", json::object{{"oauthClient", json::object{{"token_endpoint_auth_method",
                                                                 private_key_jwt ? "private_key_jwt" : "client_secret_basic"}}}}},
      {"settings", json::object{{"oauthClient", oauth}}}};
  return object_of(request("POST", "/api/v1/apps", &body));
}

Result<json::array> ManagementClient::list_apps(std::size_t max_items) { return list("/api/v1/apps", max_items); }

Result<json::object> ManagementClient::get_app(std::string_view id) {
  return object_of(request("GET", "/api/v1/apps/" + seg(id)));
}

Result<void> ManagementClient::deactivate_app(std::string_view id) {
  return done(request("POST", "/api/v1/apps/" + seg(id) + "/lifecycle/deactivate"));
}

Result<void> ManagementClient::delete_app(std::string_view id) {
  return done(request("DELETE", "/api/v1/apps/" + seg(id)));
}

Result<json::object> ManagementClient::new_client_secret(std::string_view app_id) {
  return object_of(request("POST", "/api/v1/apps/" + seg(app_id) + "/credentials/secrets"));
}

Result<json::object> ManagementClient::add_jwk(std::string_view app_id, const json::object& public_jwk) {
  json::value body = public_jwk;
  return object_of(request("POST", "/api/v1/apps/" + seg(app_id) + "/credentials/jwks", &body));
}

Result<json::object> ManagementClient::grant_scope(std::string_view app_id, std::string_view scope) {
  json::value body = json::object{{"issuer", org_url_}, {"scopeId", scope}};
  return object_of(request("POST", "/api/v1/apps/" + seg(app_id) + "/grants", &body));
}

Result<json::object> ManagementClient::assign_client_role(std::string_view client_id, std::string_view role) {
  json::value body = json::object{{"type", role}};
  return object_of(request("POST", "/oauth2/v1/clients/" + seg(client_id) + "/roles", &body));
}

Result<json::array> ManagementClient::list_api_tokens() { return list("/api/v1/api-tokens"); }

Result<void> ManagementClient::revoke_api_token(std::string_view id) {
  return done(request("DELETE", "/api/v1/api-tokens/" + seg(id)));
}

}  // namespace gh::sdk
