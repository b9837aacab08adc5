#pragma once
// Shared parts of the OIDC service-app resources (okta-compat.md §5, §6, §11.13–15, §11.22–23):
// apps (routes.cpp), client secrets (secrets.cpp), app keys (jwks.cpp), scope consent grants
// (grants.cpp) and client roles (client_roles.cpp). Storage follows docs/oauth-documents.md.
// All functions run under the org lock held shared by the management API; none is thread-safe
// on its own beyond that.
#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/common/api_error.hpp"
#include "api/common/context.hpp"
#include "api/common/json_body.hpp"
#include "api/common/routes.hpp"
#include "core/secret_string.hpp"
#include "domain/documents.hpp"
#include "domain/json_fields.hpp"

namespace gh::api::apps {

// Okta-style id prefixes of the app's children (17 base62 characters follow, core::new_id).
namespace id_prefix {
inline constexpr std::string_view client_secret = "ocs";
inline constexpr std::string_view app_key = "pks";
inline constexpr std::string_view scope_grant = "oag";
}  // namespace id_prefix

inline constexpr std::size_t kMaxActiveSecrets = 2;  // rotation without downtime (issue #3)
inline constexpr std::size_t kMaxKeys = 50;          // per app: bounds the key set an engine scans

inline constexpr std::string_view kActive = "ACTIVE";
inline constexpr std::string_view kInactive = "INACTIVE";

// The app `id` of ctx.org, or nullptr: an id of another org is unknown here, and so is an API
// service integration instance (issue 15), whose credentials and grants change only through
// ORG/integrations/api/v1/api-services where the integration's rules hold.
const domain::Document* find_app(const Ctx& ctx, std::string_view id);
// 404 E0000007 naming the app.
ApiError app_not_found(std::string_view id);
// ORG/api/v1/apps/{appId}
std::string app_url(const Ctx& ctx, std::string_view app_id);
// settings.oauthClient.jwks_uri and credentials.oauthClient.token_endpoint_auth_method of an
// app body ("" when absent).
std::string_view jwks_uri_of(const boost::json::object& app_body);
std::string_view auth_method_of(const boost::json::object& app_body);
// Whether `app` can still authenticate by key when key `except_key_id` is not ACTIVE: it does not
// use private_key_jwt, or it has a jwks_uri, or another ACTIVE key.
bool keeps_key_source(const Ctx& ctx, const domain::Document& app, std::string_view except_key_id);
using domain::str_member;  // domain/json_fields.hpp
// Whether an app document is an API service integration instance (`_gh.integration`, issue 15).
bool is_integration_instance(const domain::Document& app);
// The body without the private "_gh" member.
boost::json::object public_body(const boost::json::object& body);
// Activates or deactivates a child document (secret or key): returns a copy with `status` and
// `lastUpdated` set.
domain::Document with_status(const domain::Document& d, std::string_view status, std::string_view now);

// --- credentials of an app: secrets, keys, grants (credentials.cpp) ---
// One kind of child document of an app at {appId}/.../{childId} (ctx.params[0], [1]), and what
// differs between the kinds; the rest of its routes is shared.
struct CredentialKind {
  std::string_view kind;      // domain::kind::client_secret, ...
  std::string_view what;      // the type named in a 404 summary ("OAuth2ClientSecret")
  std::string_view id_param;  // the child's path parameter ("{secretId}")
  std::string (*render)(const Ctx& ctx, const domain::Document& d);
  // DELETE of a child that is not INACTIVE is refused with this; null: any status may go.
  ApiError (*still_active)() = nullptr;
  bool has_lifecycle = false;  // lifecycle/activate and lifecycle/deactivate (200, rendered)
  // Why the child `doc` of `app` may not take `status`, if it may not; null: it always may.
  std::optional<ApiError> (*refuse_status)(const Ctx& ctx, const domain::Document& app,
                                           const domain::Document& doc, std::string_view status) = nullptr;
  // The owner of the children, by id: null means an app of /api/v1/apps (find_app, 404 by
  // app_not_found); API service integration instances bring their own (issue 15).
  const domain::Document* (*find_owner)(const Ctx& ctx, std::string_view id) = nullptr;
  ApiError (*owner_not_found)(std::string_view id) = nullptr;
  std::string_view owner_path = "/api/v1/apps/";  // the owner collection's path, for Link
};
// `_links` of a credential at `self` with a lifecycle: self, and deactivate (when `status` is
// ACTIVE) or activate, each with its allowed method.
boost::json::object lifecycle_links(const std::string& self, std::string_view status);
// The app of ctx.params[0] (never null), or 404 naming it; `k` may name another kind of owner.
Result<const domain::Document*> owner(const Ctx& ctx);
Result<const domain::Document*> owner(const Ctx& ctx, const CredentialKind& k);
// The children of kind `k` of the app of the path as a JSON array with a Link rel="self" to
// `collection` (under the app's path); no paging.
Result<http::Response> list_credentials(Ctx& ctx, const CredentialKind& k, std::string_view collection);
// POST of a collection, given the app of the path and the request's JSON object (okta-compat.md
// §1.16: an empty body is `{}`).
using CreateCredential = Result<http::Response> (*)(Ctx& ctx, const domain::Document& app,
                                                    const boost::json::object& body);
// Commits the new child `doc` of kind `k` and answers 201 with it, rendered.
Result<http::Response> commit_created(Ctx& ctx, const CredentialKind& k, const domain::Document& doc);
// The `status` a new credential asks for: ACTIVE (the default) or INACTIVE; else a cause in `r`.
std::string requested_status(FieldReader& r);
// Mounts GET `base` (`list`), POST `base` (`create`), and GET, DELETE and the lifecycle of
// `base`/{id}, reads needing `resource`'s read permission and writes its manage. `k` must outlive
// the router.
void register_credential_routes(ApiRouter& r, const CredentialKind& k, const std::string& base,
                                domain::Resource resource, Handler list, CreateCredential create);

// --- client secrets (secrets.cpp) ---
// How many of the app's client secrets are ACTIVE, and the refusal of one more (§11.15).
std::size_t active_secret_count(const Ctx& ctx, std::string_view app_id);
ApiError too_many_active_secrets();
// The refusal to delete a client secret that is not INACTIVE (§11.15).
ApiError secret_still_active();
// A new ACTIVE `client_secret` document for `app_id` holding only the MAC and fingerprints of
// `value` (docs/oauth-documents.md).
domain::Document new_client_secret(const Ctx& ctx, std::string_view app_id, const core::SecretString& value);
void register_app_secrets(ApiRouter& r);

// --- app keys (jwks.cpp) ---
// A client key that passed okta-compat.md §11.22: its public JWK members and identity.
struct ClientKey {
  boost::json::object jwk;  // kty, kid, alg?, use?, n/e or crv/x/y
  std::string kid;
  std::string thumbprint;  // RFC 7638
};
// Validates one registered key; on failure returns the errorCauses text (prefixed with `path`).
std::variant<ClientKey, std::string> validate_client_key(const boost::json::value& v, std::string_view path);
// The RFC 7638 thumbprint of a stored `app_key` document ("" if it no longer parses).
std::string stored_thumbprint(const domain::Document& key);
// A new `app_key` document for `app_id`.
domain::Document new_app_key(const Ctx& ctx, std::string_view app_id, const ClientKey& k, std::string_view status);
// The key as rendered in the app's inline jwks and by /credentials/jwks (no `_links`).
boost::json::object render_key_body(const domain::Document& key);
void register_app_jwks(ApiRouter& r);

// --- jwks_uri (jwks_uri.cpp) ---
// okta-compat.md §11.23 at registration: https (http only when the host is one of
// `allow_http_hosts`, compared case-insensitively); no userinfo; the host is not localhost and
// not an IP literal (any notation) in a loopback, private, link-local, metadata or otherwise
// non-public range (http/address_policy.hpp). Returns the refusal reason, or nullopt when
// acceptable. No DNS, no fetch.
std::optional<std::string> check_jwks_uri(std::string_view uri, const std::vector<std::string>& allow_http_hosts);

// --- scope consent grants (grants.cpp) ---
// A new ACTIVE `scope_grant` of `scope` (okta.*, not checked here) to `app_id`, made by the
// request's principal.
domain::Document new_scope_grant(const Ctx& ctx, std::string_view app_id, std::string_view scope);
void register_app_grants(ApiRouter& r);

}  // namespace gh::api::apps
