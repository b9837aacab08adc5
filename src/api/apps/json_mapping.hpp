#pragma once
// The OIDC service app on the wire (okta-compat.md §5 "OIDC service app", §11.13, §11.22–23) and
// as an `app` document (docs/oauth-documents.md).
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/apps/apps.hpp"

namespace gh::api::apps {

inline constexpr std::string_view kClientSecretBasic = "client_secret_basic";
inline constexpr std::string_view kClientSecretPost = "client_secret_post";
inline constexpr std::string_view kPrivateKeyJwt = "private_key_jwt";

// What a create or replace body may set. Everything else (id, client_id, created, lastUpdated,
// status, _links, client_secret) is ignored (§11.13).
struct AppInput {
  std::string label;
  std::string method = std::string(kClientSecretBasic);  // token_endpoint_auth_method
  bool auto_key_rotation = true;
  std::string jwks_uri;  // "" when absent
  bool dpop_bound_access_tokens = false;
  std::optional<std::vector<ClientKey>> keys;  // settings.oauthClient.jwks.keys; nullopt: not given
};

// Validates a create or replace body: signOnMode OPENID_CONNECT, name oidc_client (or absent),
// application_type service, grant_types exactly ["client_credentials"], response_types ["token"]
// (or absent), a known token_endpoint_auth_method, every inline key (§11.22, kids unique), the
// jwks_uri (§11.23; http only to `allow_http_hosts`), and not both jwks and jwks_uri. Whether a private_key_jwt app ends up with
// a key is for the caller (a replace may keep the stored keys). Errors: 400 E0000001 listing
// every problem in errorCauses.
Result<AppInput> parse_app(const boost::json::object& body,
                                          const std::vector<std::string>& allow_http_hosts);

// The stored body of app `id` (no keys: they are `app_key` documents).
boost::json::object app_body(std::string_view id, const AppInput& in, std::string_view status,
                             std::string_view created, std::string_view last_updated);

// The app as the API answers it: the stored body, its keys put back as
// settings.oauthClient.jwks.keys (with id and status), `_links`, and — only in the response
// that generated it — `credentials.oauthClient.client_secret`.
std::string render_app(const Ctx& ctx, const domain::Document& app, const core::SecretString* secret = nullptr);

}  // namespace gh::api::apps
