// /api/v1/apps/{appId}/credentials/jwks (okta-compat.md §5 App JWKS, §6, §11.22): the public keys
// a private_key_jwt client signs its assertions with. Inline `settings.oauthClient.jwks` and this
// resource are one key set of `app_key` documents (docs/oauth-documents.md).
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "api/apps/apps.hpp"
#include "api/common/json_body.hpp"
#include "api/common/respond.hpp"
#include "core/ids.hpp"
#include "jose/errc.hpp"
#include "jose/jwk.hpp"
#include "model/org_model.hpp"

namespace gh::api::apps {
namespace json = boost::json;
namespace {
constexpr std::size_t kMaxKidLength = 256;

std::string key_refusal(const boost::system::error_code& ec) {
  using jose::Errc;
  if (ec == Errc::private_key_material)
    return "The key must be public: private members (d, p, q, dp, dq, qi, oth, k) are not allowed.";
  if (ec == Errc::unsupported_kty) return "Only RSA and EC keys are allowed.";
  if (ec == Errc::unsupported_crv) return "Only the EC curves P-256, P-384 and P-521 are allowed.";
  if (ec == Errc::key_too_small) return "RSA keys must have at least 2048 bits.";
  if (ec == Errc::missing_key_member) return "A member required for this key type is missing.";
  if (ec == Errc::alg_none || ec == Errc::alg_hmac || ec == Errc::unsupported_alg)
    return "The alg is not an allowed signature algorithm.";
  if (ec == Errc::key_alg_mismatch) return "The alg does not fit the key.";
  return "The key is not a valid JSON Web Key.";
}
}  // namespace

std::variant<ClientKey, std::string> validate_client_key(const json::value& v, std::string_view path) {
  std::string p(path);
  if (!v.is_object()) return p + ": The key must be a JSON object.";
  auto parsed = jose::Jwk::parse_public(v.get_object());  // refuses d, p, q, dp, dq, qi, oth, k
  if (!parsed) return p + ": " + key_refusal(parsed.error());
  auto& jwk = *parsed;
  // okta-compat.md §11.22: RSA ≥ 2048 bits or EC P-256/384/521 only (no OKP).
  if (jwk.kty() == jose::KeyType::okp) return p + ": Only RSA and EC keys are allowed.";
  if (jwk.kid().empty()) return p + ".kid: The field cannot be left blank";
  if (jwk.kid().size() > kMaxKidLength) return p + ".kid: The kid is too long.";
  if (!jwk.use().empty() && jwk.use() != "sig") return p + ".use: Only \"sig\" keys are allowed.";  // RFC 7517 §4.2
  return ClientKey{jwk.to_public_json(), jwk.kid(), jwk.thumbprint()};
}

std::string stored_thumbprint(const domain::Document& key) {
  auto parsed = jose::Jwk::parse_public(key.body);
  return parsed ? parsed->thumbprint() : std::string();
}

domain::Document new_app_key(const Ctx& ctx, std::string_view app_id, const ClientKey& k, std::string_view status) {
  domain::Document d{std::string(domain::kind::app_key), core::new_id(ctx.deps.random, id_prefix::app_key),
                     std::string(app_id), k.jwk};
  auto now = iso(ctx.now());
  d.body["id"] = d.id;
  d.body["status"] = status;
  d.body["created"] = now;
  d.body["lastUpdated"] = now;
  return d;
}

json::object render_key_body(const domain::Document& key) { return public_body(key.body); }

namespace jwks {
namespace {
std::string key_url(const Ctx& ctx, std::string_view app_id, std::string_view key_id) {
  return app_url(ctx, app_id) + "/credentials/jwks/" + std::string(key_id);
}

std::string render_key(const Ctx& ctx, const domain::Document& key) {
  auto o = render_key_body(key);
  o["_links"] = lifecycle_links(key_url(ctx, key.parent, key.id), str_member(key.body, "status"));
  return json::serialize(o);
}

ApiError still_active() {
  return validation_failed("key", {"key: Only an INACTIVE key can be deleted; deactivate it first."});
}

std::optional<ApiError> refuse_status(const Ctx& ctx, const domain::Document& app, const domain::Document& key,
                                      std::string_view status) {
  if (status == kInactive && !keeps_key_source(ctx, app, key.id))
    return validation_failed("key", {"key: A private_key_jwt app needs at least one ACTIVE key."});
  return std::nullopt;
}

constexpr CredentialKind kKey{domain::kind::app_key, "JsonWebKey", "{keyId}", render_key, still_active, true,
                              refuse_status};

Result<http::Response> list(Ctx& ctx) {
  auto app_r = owner(ctx);
  if (!app_r) return app_r.error();
  auto* app = *app_r;
  std::string body = "{\"keys\":[";
  bool first = true;
  for (auto* k : ctx.org.children(domain::kind::app_key, app->id)) {
    if (!first) body += ',';
    first = false;
    body += render_key(ctx, *k);
  }
  body += "]}";
  return ok_json(std::move(body));  // a key set, not a collection: no Link header
}

Result<http::Response> add(Ctx& ctx, const domain::Document& app_doc, const json::object& o) {
  auto* app = &app_doc;
  FieldReader r(o);
  auto status = requested_status(r);
  if (!r.ok()) return validation_failed("status", r.causes());
  auto key = validate_client_key(o, "key");
  if (auto* cause = std::get_if<std::string>(&key)) return validation_failed("key", {*cause});
  auto& k = std::get<ClientKey>(key);
  if (!jwks_uri_of(app->body).empty())
    return validation_failed("key", {"key: The app uses a jwks_uri; remove it before adding keys."});
  auto existing = ctx.org.children(domain::kind::app_key, app->id);
  if (existing.size() >= kMaxKeys)
    return validation_failed("key", {"key: An app has at most 50 keys."});
  for (auto* e : existing)
    if (str_member(e->body, "kid") == k.kid)
      return validation_failed("kid", {"kid: A key with this kid already exists for the app."});
  return commit_created(ctx, kKey, new_app_key(ctx, app->id, k, status));
}

}  // namespace
}  // namespace jwks

void register_app_jwks(ApiRouter& r) {
  register_credential_routes(r, jwks::kKey, "/api/v1/apps/{appId}/credentials/jwks", domain::Resource::apps,
                             jwks::list, jwks::add);
}

}  // namespace gh::api::apps
