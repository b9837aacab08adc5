// /api/v1/authorizationServers/{asId}/scopes[/{scopeId}] (okta-compat.md §5 Scope, §6): list,
// create (201), get, replace, delete (any status, §11.16). A duplicate name → 400 E0000001.
#include "api/authorization_servers/json_mapping.hpp"
#include "api/authorization_servers/lookup.hpp"
#include "api/common/json_body.hpp"
#include "api/common/respond.hpp"
#include "api/common/routes.hpp"

namespace gh::api::auth_servers {
namespace {
namespace json = boost::json;
constexpr std::string_view kWhat = "OAuth2Scope";

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
bool is_scope_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E) return false;
  return true;
}

// The stored body of a scope of `as_id`; `existing` is the scope being replaced (or null).
std::variant<json::object, ApiError> parse_scope(Ctx& ctx, std::string_view as_id, const domain::Document* existing) {
  auto body_v = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (auto* e = std::get_if<ApiError>(&body_v)) return *e;
  auto& body = std::get<json::object>(body_v);
  FieldReader r(body);
  auto& causes = r.causes();
  auto name = r.string("name", true, "name");
  auto description = r.string("description", false, "description");
  auto display = r.string("displayName", false, "displayName");
  auto consent = one_of(body, "consent", {"IMPLICIT", "REQUIRED", "FLEXIBLE"}, "IMPLICIT", "consent", causes);
  auto publish = one_of(body, "metadataPublish", {"ALL_CLIENTS", "NO_CLIENTS"}, "NO_CLIENTS", "metadataPublish", causes);
  auto is_default = r.boolean("default", "default");
  auto optional = r.boolean("optional", "optional");
  bool system = existing && existing->body.contains("system") && existing->body.at("system") == true;
  if (name && !is_scope_token(*name))
    causes.push_back("name: A scope name may not contain spaces, quotes or backslashes (RFC 6749 §3.3)");
  else if (name && name->starts_with("okta."))
    causes.push_back("name: Scope names beginning with okta. are reserved for the org authorization server");
  if (name && system && *name != str(existing->body, "name"))
    causes.push_back("name: A system scope cannot be renamed");
  if (name)
    for (auto* s : ctx.org.children(domain::kind::as_scope, as_id))
      if ((!existing || s->id != existing->id) && str(s->body, "name") == *name)
        causes.push_back("name: A scope with this name already exists in the authorization server");
  if (!causes.empty()) return validation_failed("scope", causes);
  return json::object{{"name", *name},
                      {"description", description.value_or("")},
                      {"displayName", display.value_or(*name)},
                      {"consent", *consent},
                      {"default", is_default.value_or(false)},
                      {"optional", optional.value_or(false)},
                      {"metadataPublish", *publish},
                      {"system", system}};
}

http::Response list(Ctx& ctx) {
  http::Response err;
  auto* as = find_server(ctx, ctx.params[0], err);
  if (!as) return err;
  auto url = ctx.org.url();
  return list_children(ctx, domain::kind::as_scope, as->id, server_path(as->id) + "/scopes",
                       [&](const domain::Document& d) { return render_scope(url, d); });
}

http::Response create(Ctx& ctx) {
  http::Response err;
  auto* as = find_server(ctx, ctx.params[0], err);
  if (!as) return err;
  auto body = parse_scope(ctx, as->id, nullptr);
  if (auto* e = std::get_if<ApiError>(&body)) return fail(ctx, *e);
  auto doc = created(ctx, domain::kind::as_scope, id_prefix::scope, as->id, std::move(std::get<json::object>(body)));
  if (auto r = commit(ctx, {store::PutDocument{doc}}); !r) return commit_failed(ctx, r.error());
  return ok_json(render_scope(ctx.org.url(), doc), 201);
}

const domain::Document* scope(Ctx& ctx, http::Response& err) {
  auto* as = find_server(ctx, ctx.params[0], err);
  return as ? find_child(ctx, domain::kind::as_scope, as->id, ctx.params[1], kWhat, err) : nullptr;
}

http::Response get(Ctx& ctx) {
  http::Response err;
  auto* s = scope(ctx, err);
  return s ? ok_json(render_scope(ctx.org.url(), *s)) : err;
}

http::Response replace(Ctx& ctx) {
  http::Response err;
  auto* s = scope(ctx, err);
  if (!s) return err;
  auto body = parse_scope(ctx, s->parent, s);
  if (auto* e = std::get_if<ApiError>(&body)) return fail(ctx, *e);
  auto doc = replaced(ctx, *s, std::move(std::get<json::object>(body)));
  if (auto r = commit(ctx, {store::PutDocument{doc}}); !r) return commit_failed(ctx, r.error());
  return ok_json(render_scope(ctx.org.url(), doc));
}

http::Response remove(Ctx& ctx) {
  http::Response err;
  auto* s = scope(ctx, err);
  if (!s) return err;
  if (s->body.contains("system") && s->body.at("system") == true)
    return fail(ctx, validation_failed("scope", {"system: A system scope cannot be deleted"}));
  return remove_doc(ctx, *s);
}
}  // namespace

void register_scopes(ApiRouter& r) {
  using M = http::Method;
  using domain::Action;
  using domain::Resource;
  const domain::Permission read{Resource::authorizationServers, Action::read};
  const domain::Permission manage{Resource::authorizationServers, Action::manage};
  const std::string base = std::string(kCollectionPath) + "/{authServerId}/scopes";
  r.add(M::get, base, {read, list});
  r.add(M::post, base, {manage, create});
  r.add(M::get, base + "/{scopeId}", {read, get});
  r.add(M::put, base + "/{scopeId}", {manage, replace});
  r.add(M::delete_, base + "/{scopeId}", {manage, remove});
}

}  // namespace gh::api::auth_servers
