#include "api/authorization_servers/children.hpp"

#include "api/authorization_servers/json_mapping.hpp"
#include "api/authorization_servers/lookup.hpp"
#include "api/common/json_body.hpp"
#include "api/common/respond.hpp"

namespace gh::api::auth_servers {
namespace {

struct Found {
  const domain::Document* as;
  const domain::Document* parent;
};

// The authorization server (params[0]) and, for a rule, the policy (params[1]) of the path.
Result<Found> find_parents(Ctx& ctx, const ChildKind& k) {
  auto as = find_server(ctx, ctx.params[0]);
  if (!as) return as.error();
  if (!k.under_policy) return Found{*as, *as};
  auto policy =
      find_child(ctx, domain::kind::as_policy, (*as)->id, ctx.params[1], "AuthorizationServerPolicy");
  if (!policy) return policy.error();
  return Found{*as, *policy};
}

struct FoundChild {
  Found parents;
  const domain::Document* doc;
};

Result<FoundChild> find_doc(Ctx& ctx, const ChildKind& k) {
  auto p = find_parents(ctx, k);
  if (!p) return p.error();
  auto d = find_child(ctx, k.kind, p->parent->id, ctx.params[k.under_policy ? 2 : 1], k.what);
  if (!d) return d.error();
  return FoundChild{*p, *d};
}

std::string collection_path(const ChildKind& k, const Found& p) {
  auto path = server_path(p.as->id);
  if (k.under_policy) path += "/policies/" + p.parent->id;
  return path + "/" + std::string(k.segment);
}

Result<http::Response> list(Ctx& ctx, const ChildKind& k) {
  auto p = find_parents(ctx, k);
  if (!p) return p.error();
  auto url = ctx.org.url();
  auto as_id = p->as->id;
  return list_children(ctx, k.kind, p->parent->id, collection_path(k, *p),
                       [&](const domain::Document& d) { return k.render(url, as_id, d); });
}

// Renders `doc` after committing it: the model's documents may move on apply, so nothing found
// before the commit is read after it.
Result<http::Response> put(Ctx& ctx, const ChildKind& k, std::string as_id, const domain::Document& doc,
                           int status) {
  if (auto r = commit(ctx, {store::PutDocument{doc}}); !r) return r.error();
  return ok_json(k.render(ctx.org.url(), as_id, doc), status);
}

Result<http::Response> create(Ctx& ctx, const ChildKind& k) {
  auto p = find_parents(ctx, k);
  if (!p) return p.error();
  auto in = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!in) return in.error();
  FieldReader r(*in);
  auto body = k.parse(ctx, {*p->as, *p->parent}, *in, r, nullptr);
  if (!body) return body.error();
  auto doc = created(ctx, k.kind, k.prefix, p->parent->id, std::move(*body));
  return put(ctx, k, p->as->id, doc, 201);
}

Result<http::Response> get(Ctx& ctx, const ChildKind& k) {
  auto c = find_doc(ctx, k);
  if (!c) return c.error();
  return ok_json(k.render(ctx.org.url(), c->parents.as->id, *c->doc));
}

Result<http::Response> replace(Ctx& ctx, const ChildKind& k) {
  auto c = find_doc(ctx, k);
  if (!c) return c.error();
  auto in = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!in) return in.error();
  FieldReader r(*in);
  auto body = k.parse(ctx, {*c->parents.as, *c->parents.parent}, *in, r, c->doc);
  if (!body) return body.error();
  auto doc = replaced(ctx, *c->doc, std::move(*body));
  return put(ctx, k, c->parents.as->id, doc, 200);
}

Result<http::Response> remove(Ctx& ctx, const ChildKind& k) {
  auto c = find_doc(ctx, k);
  if (!c) return c.error();
  if (k.refuse_delete)
    if (auto refused = k.refuse_delete(*c->doc)) return *refused;
  return remove_doc(ctx, *c->doc);
}

Result<http::Response> lifecycle(Ctx& ctx, const ChildKind& k, std::string_view status) {
  auto c = find_doc(ctx, k);
  if (!c) return c.error();
  return set_status(ctx, *c->doc, status);
}

}  // namespace

void register_child_routes(ApiRouter& r, const ChildKind& k) {
  using M = http::Method;
  using domain::Action;
  using domain::Resource;
  const domain::Permission read{Resource::authorizationServers, Action::read};
  const domain::Permission manage{Resource::authorizationServers, Action::manage};
  std::string base = std::string(kCollectionPath) + "/{authServerId}";
  if (k.under_policy) base += "/policies/{policyId}";
  base += "/" + std::string(k.segment);
  const std::string one = base + "/" + std::string(k.id_param);
  r.add(M::get, base, {read, [&k](Ctx& c) { return list(c, k); }});
  r.add(M::post, base, {manage, [&k](Ctx& c) { return create(c, k); }});
  r.add(M::get, one, {read, [&k](Ctx& c) { return get(c, k); }});
  r.add(M::put, one, {manage, [&k](Ctx& c) { return replace(c, k); }});
  r.add(M::delete_, one, {manage, [&k](Ctx& c) { return remove(c, k); }});
  if (!k.has_lifecycle) return;
  r.add(M::post, one + "/lifecycle/activate",
        {manage, [&k](Ctx& c) { return lifecycle(c, k, "ACTIVE"); }});
  r.add(M::post, one + "/lifecycle/deactivate",
        {manage, [&k](Ctx& c) { return lifecycle(c, k, "INACTIVE"); }});
}

}  // namespace gh::api::auth_servers
