// /api/v1/apps (okta-compat.md §5 OIDC service app, §6, §11.13): list, create, get, replace,
// delete (INACTIVE only) and lifecycle of OIDC service apps. Their secrets, keys and grants live
// in secrets.cpp, jwks.cpp and grants.cpp; client roles in client_roles.cpp.
#include <algorithm>
#include <deque>

#include "api/apps/json_mapping.hpp"
#include "api/common/json_body.hpp"
#include "api/common/listing.hpp"
#include "api/common/respond.hpp"
#include "api/common/search_params.hpp"
#include "core/ids.hpp"
#include "crypto/credential.hpp"
#include "model/org_model.hpp"

namespace gh::api {
namespace apps {
namespace {
namespace json = boost::json;

bool uses_secret(std::string_view method) { return method == kClientSecretBasic || method == kClientSecretPost; }

ApiError needs_key() {
  return validation_failed("app", {"settings.oauthClient: private_key_jwt needs at least one ACTIVE key in jwks, "
                                   "or a jwks_uri"});
}

Result<http::Response> list(Ctx& ctx) {
  auto page = parse_page(ctx.query, 20, 200);  // okta-compat.md §2: apps max 200
  if (!page) return page.error();
  auto crit = parse_criteria(ctx.query, {"filter"});
  if (!crit) return crit.error();
  auto& criteria = *crit;
  auto q = ctx.query.get("q").value_or("");
  std::deque<std::string> rendered;  // stable addresses for collect_page
  auto out = collect_page(
      ctx.org.docs(domain::kind::app), *page,
      [&](const domain::Document& d) {
        if (is_integration_instance(d)) return false;  // ORG/integrations/api/v1/api-services
        if (!q.empty() && !istarts_with(str_member(d.body, "label"), q) && !istarts_with(str_member(d.body, "name"), q))
          return false;
        return criteria.matches([&](std::string_view a) -> std::optional<json::value> {
          if (a.starts_with("_gh")) return std::nullopt;  // private members are not attributes
          return lookup_path(d.body, a);
        });
      },
      [&](const domain::Document& d) -> const std::string& { return rendered.emplace_back(render_app(ctx, d)); });
  auto res = ok_json(json_array(out.items));
  set_links(res, ctx.org.url(), "/api/v1/apps", ctx.query, out.next_after);
  return res;
}

// POST ?activate=true|false. The id (= client_id) is always generated (§11.13); a client_secret_*
// app gets its first secret, shown in this response only.
Result<http::Response> create(Ctx& ctx) {
  auto activate = ctx.query.get("activate").value_or("true");
  if (activate != "true" && activate != "false")
    return validation_failed("activate", {"activate: The value must be true or false"});
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body) return body.error();
  auto parsed = parse_app(*body, ctx.deps.jwks_uri_http_hosts);
  if (!parsed) return parsed.error();
  auto& in = *parsed;
  if (in.method == kPrivateKeyJwt && in.jwks_uri.empty() && (!in.keys || in.keys->empty()))
    return needs_key();
  auto id = core::new_id(ctx.deps.random, core::id_prefix::app);
  auto now = iso(ctx.now());
  store::ChangeSet changes;
  changes.push_back(store::PutDocument{{std::string(domain::kind::app), id, "",
                                        app_body(id, in, activate == "true" ? kActive : kInactive, now, now)}});
  if (in.keys)
    for (auto& k : *in.keys) changes.push_back(store::PutDocument{new_app_key(ctx, id, k, kActive)});
  std::optional<core::SecretString> secret;
  if (uses_secret(in.method)) {
    secret = crypto::generate_credential(ctx.deps.random, crypto::CredentialKind::client_secret);
    changes.push_back(store::PutDocument{new_client_secret(ctx, id, *secret)});
  }
  if (auto c = commit(ctx, changes); !c) return c.error();
  return ok_json(render_app(ctx, *find_app(ctx, id), secret ? &*secret : nullptr));  // §5: 200
}

Result<http::Response> get(Ctx& ctx) {
  auto* app = find_app(ctx, ctx.params[0]);
  if (!app) return app_not_found(ctx.params[0]);
  return ok_json(render_app(ctx, *app));
}

// Inline keys given in a replace become the app's key set: a key whose kid and material are
// unchanged keeps its id and status, others are added ACTIVE, stored keys not named are removed.
// Without inline keys the stored set stays. Appends the changes; returns the ACTIVE keys after.
std::size_t plan_keys(Ctx& ctx, const domain::Document& app, const AppInput& in, store::ChangeSet& changes,
                      std::size_t& total) {
  auto stored = ctx.org.children(domain::kind::app_key, app.id);
  std::size_t active = 0;
  if (!in.keys) {
    for (auto* k : stored) active += str_member(k->body, "status") == kActive;
    total = stored.size();
    return active;
  }
  std::vector<const domain::Document*> kept;
  for (auto& k : *in.keys) {
    const domain::Document* same = nullptr;
    for (auto* s : stored)
      if (str_member(s->body, "kid") == k.kid && stored_thumbprint(*s) == k.thumbprint) same = s;
    if (same) {
      kept.push_back(same);
      active += str_member(same->body, "status") == kActive;
    } else {
      changes.push_back(store::PutDocument{new_app_key(ctx, app.id, k, kActive)});
      ++active;
    }
  }
  for (auto* s : stored)
    if (std::find(kept.begin(), kept.end(), s) == kept.end())
      changes.push_back(store::DeleteDocument{std::string(domain::kind::app_key), s->id});
  total = in.keys->size();
  return active;
}

// PUT replaces label, credentials (auth method, autoKeyRotation) and settings; status, id and
// created stay. Switching to a client_secret_* method without an ACTIVE secret generates one,
// shown in this response only.
Result<http::Response> replace(Ctx& ctx) {
  auto* app = find_app(ctx, ctx.params[0]);
  if (!app) return app_not_found(ctx.params[0]);
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body) return body.error();
  auto parsed = parse_app(*body, ctx.deps.jwks_uri_http_hosts);
  if (!parsed) return parsed.error();
  auto& in = *parsed;
  store::ChangeSet changes;
  std::size_t total = 0;
  auto active = plan_keys(ctx, *app, in, changes, total);
  if (!in.jwks_uri.empty() && total > 0)
    return validation_failed("app", {"settings.oauthClient: jwks and jwks_uri cannot both be set; "
                                     "send \"jwks\":{\"keys\":[]} to remove the keys"});
  if (in.method == kPrivateKeyJwt && in.jwks_uri.empty() && active == 0) return needs_key();
  auto id = app->id;
  auto replaced = app_body(id, in, str_member(app->body, "status"), str_member(app->body, "created"), iso(ctx.now()));
  if (auto* gh = app->body.if_contains("_gh")) replaced["_gh"] = *gh;  // private state stays
  changes.insert(changes.begin(), store::PutDocument{{std::string(domain::kind::app), id, "", std::move(replaced)}});
  std::optional<core::SecretString> secret;
  if (uses_secret(in.method)) {
    bool has_active = false;
    for (auto* s : ctx.org.children(domain::kind::client_secret, id))
      has_active = has_active || str_member(s->body, "status") == kActive;
    if (!has_active) {
      secret = crypto::generate_credential(ctx.deps.random, crypto::CredentialKind::client_secret);
      changes.push_back(store::PutDocument{new_client_secret(ctx, id, *secret)});
    }
  }
  if (auto c = commit(ctx, changes); !c) return c.error();
  return ok_json(render_app(ctx, *find_app(ctx, id), secret ? &*secret : nullptr));
}

// MGMT-OAS "Deletes an inactive application": its secrets, keys and grants (child documents)
// and its client role assignments go with it.
Result<http::Response> remove(Ctx& ctx) {
  auto* app = find_app(ctx, ctx.params[0]);
  if (!app) return app_not_found(ctx.params[0]);
  if (str_member(app->body, "status") != kInactive)
    return validation_failed("app", {"status: Only an INACTIVE application can be deleted; deactivate it first."});
  store::ChangeSet changes{store::DeleteDocument{std::string(domain::kind::app), app->id}};
  for (auto* r : ctx.org.roles_of(domain::PrincipalType::CLIENT, app->id)) changes.push_back(store::DeleteRole{r->id});
  if (auto c = commit(ctx, changes); !c) return c.error();
  return no_content();
}

// 200 with an empty body and no content type (okta-compat.md §6). Deactivation takes effect at
// once: the engine refuses clients and tokens of INACTIVE apps.
Result<http::Response> set_status(Ctx& ctx, std::string_view status) {
  auto* app = find_app(ctx, ctx.params[0]);
  if (!app) return app_not_found(ctx.params[0]);
  if (str_member(app->body, "status") != status) {
    auto doc = with_status(*app, status, iso(ctx.now()));
    if (status == kInactive) {
      // Tokens issued before now stay dead even after a later activate (the engine compares
      // their iat with `_gh.tokensNotBefore`, epoch seconds, rounded up).
      auto& gh = doc.body["_gh"];
      if (!gh.is_object()) gh = json::object{};
      gh.as_object()["tokensNotBefore"] = (ctx.now() + 999) / 1000;
    }
    if (auto c = commit(ctx, {store::PutDocument{doc}}); !c) return c.error();
  }
  return http::Response::empty(200);
}

Result<http::Response> activate(Ctx& ctx) { return set_status(ctx, kActive); }
Result<http::Response> deactivate(Ctx& ctx) { return set_status(ctx, kInactive); }
}  // namespace
}  // namespace apps

void register_apps(ApiRouter& r) {
  using domain::Action;
  using domain::Resource;
  using M = http::Method;
  const domain::Permission read{Resource::apps, Action::read}, manage{Resource::apps, Action::manage};
  r.add(M::get, "/api/v1/apps", {read, apps::list});
  r.add(M::post, "/api/v1/apps", {manage, apps::create});
  r.add(M::get, "/api/v1/apps/{appId}", {read, apps::get});
  r.add(M::put, "/api/v1/apps/{appId}", {manage, apps::replace});
  r.add(M::delete_, "/api/v1/apps/{appId}", {manage, apps::remove});
  r.add(M::post, "/api/v1/apps/{appId}/lifecycle/activate", {manage, apps::activate});
  r.add(M::post, "/api/v1/apps/{appId}/lifecycle/deactivate", {manage, apps::deactivate});
  apps::register_app_secrets(r);
  apps::register_app_jwks(r);
  apps::register_app_grants(r);
}

}  // namespace gh::api
