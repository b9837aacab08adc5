// The steps the app's credential resources share (client secrets, keys, scope consent grants):
// finding the app and the child of the path, list, get, delete and status changes.
#include "api/apps/apps.hpp"

#include <boost/json/array.hpp>

#include "api/common/json_body.hpp"
#include "api/common/pagination.hpp"
#include "api/common/respond.hpp"
#include "model/org_model.hpp"

namespace gh::api::apps {
namespace {

struct OwnedChild {
  const domain::Document* app;
  const domain::Document* doc;
};

// The app and its child of kind `k` named by the path, or 404 (the app's or the child's).
Result<OwnedChild> find_credential(const Ctx& ctx, const CredentialKind& k) {
  auto app = owner(ctx, k);
  if (!app) return app.error();
  auto* d = ctx.org.doc(k.kind, ctx.params[1]);
  if (!d || d->parent != (*app)->id) return not_found(ctx.params[1] + " (" + std::string(k.what) + ")");
  return OwnedChild{*app, d};
}

Result<http::Response> get(Ctx& ctx, const CredentialKind& k) {
  auto c = find_credential(ctx, k);
  if (!c) return c.error();
  return ok_json(k.render(ctx, *c->doc));
}

Result<http::Response> remove(Ctx& ctx, const CredentialKind& k) {
  auto c = find_credential(ctx, k);
  if (!c) return c.error();
  if (k.still_active && str_member(c->doc->body, "status") != kInactive) return k.still_active();
  if (auto r = commit(ctx, {store::DeleteDocument{std::string(k.kind), c->doc->id}}); !r) return r.error();
  return no_content();
}

Result<http::Response> post_credential(Ctx& ctx, const CredentialKind& k, CreateCredential create) {
  auto app = owner(ctx, k);
  if (!app) return app.error();
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body) return body.error();
  return create(ctx, **app, *body);
}

// The child with `status` (200, rendered; unchanged when it already has it).
Result<http::Response> set_status(Ctx& ctx, const CredentialKind& k, std::string_view status) {
  auto c = find_credential(ctx, k);
  if (!c) return c.error();
  if (str_member(c->doc->body, "status") == status) return ok_json(k.render(ctx, *c->doc));
  if (k.refuse_status)
    if (auto refused = k.refuse_status(ctx, *c->app, *c->doc, status)) return *refused;
  auto doc = with_status(*c->doc, status, iso(ctx.now()));
  if (auto r = commit(ctx, {store::PutDocument{doc}}); !r) return r.error();
  return ok_json(k.render(ctx, *ctx.org.doc(k.kind, doc.id)));
}

}  // namespace

boost::json::object lifecycle_links(const std::string& self, std::string_view status) {
  namespace json = boost::json;
  bool active = status == kActive;
  json::object links{{"self", json::object{{"href", self}}}};
  links[active ? "deactivate" : "activate"] =
      json::object{{"href", self + (active ? "/lifecycle/deactivate" : "/lifecycle/activate")},
                   {"hints", json::object{{"allow", json::array{"POST"}}}}};
  return links;
}

Result<const domain::Document*> owner(const Ctx& ctx) {
  auto* app = find_app(ctx, ctx.params[0]);
  if (!app) return app_not_found(ctx.params[0]);
  return app;
}

Result<const domain::Document*> owner(const Ctx& ctx, const CredentialKind& k) {
  if (!k.find_owner) return owner(ctx);
  auto* d = k.find_owner(ctx, ctx.params[0]);
  if (!d) return k.owner_not_found(ctx.params[0]);
  return d;
}

Result<http::Response> list_credentials(Ctx& ctx, const CredentialKind& k, std::string_view collection) {
  auto app = owner(ctx, k);
  if (!app) return app.error();
  std::string body = "[";
  for (auto* d : ctx.org.children(k.kind, (*app)->id)) {
    if (body.size() > 1) body += ',';
    body += k.render(ctx, *d);
  }
  body += ']';
  auto res = ok_json(std::move(body));
  set_links(res, ctx.org.url(), std::string(k.owner_path) + (*app)->id + std::string(collection), ctx.query, std::nullopt);
  return res;
}

Result<http::Response> commit_created(Ctx& ctx, const CredentialKind& k, const domain::Document& doc) {
  if (auto r = commit(ctx, {store::PutDocument{doc}}); !r) return r.error();
  return ok_json(k.render(ctx, *ctx.org.doc(k.kind, doc.id)), 201);
}

std::string requested_status(FieldReader& r) {
  auto status = r.string("status", false, "status").value_or(std::string(kActive));
  if (status != kActive && status != kInactive) r.causes().push_back("status: The value must be ACTIVE or INACTIVE");
  return status;
}

void register_credential_routes(ApiRouter& r, const CredentialKind& k, const std::string& base,
                                domain::Resource resource, Handler list, CreateCredential create) {
  using M = http::Method;
  const domain::Permission read{resource, domain::Action::read}, manage{resource, domain::Action::manage};
  const std::string one = base + "/" + std::string(k.id_param);
  r.add(M::get, base, {read, std::move(list)});
  r.add(M::post, base, {manage, [&k, create](Ctx& c) { return post_credential(c, k, create); }});
  r.add(M::get, one, {read, [&k](Ctx& c) { return get(c, k); }});
  r.add(M::delete_, one, {manage, [&k](Ctx& c) { return remove(c, k); }});
  if (!k.has_lifecycle) return;
  r.add(M::post, one + "/lifecycle/activate", {manage, [&k](Ctx& c) { return set_status(c, k, kActive); }});
  r.add(M::post, one + "/lifecycle/deactivate", {manage, [&k](Ctx& c) { return set_status(c, k, kInactive); }});
}

}  // namespace gh::api::apps
