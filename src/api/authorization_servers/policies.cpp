// /api/v1/authorizationServers/{asId}/policies[/{policyId}] (okta-compat.md §5 Policy, §6): list,
// create (201), get, replace, delete (any status, §11.16; its rules go with it), lifecycle → 204.
#include "api/authorization_servers/json_mapping.hpp"
#include "api/authorization_servers/lookup.hpp"
#include "api/common/json_body.hpp"
#include "api/common/respond.hpp"
#include "api/common/routes.hpp"

namespace gh::api::auth_servers {
namespace {
namespace json = boost::json;
constexpr std::string_view kWhat = "AuthorizationServerPolicy";

// The stored body of a policy of `as_id`: {type?, name, description?, priority?, status?,
// conditions.clients.include: ["ALL_CLIENTS"] or client ids of this org}. Without a priority a
// new policy goes last.
std::variant<json::object, ApiError> parse_policy(Ctx& ctx, std::string_view as_id, const domain::Document* existing) {
  auto body_v = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (auto* e = std::get_if<ApiError>(&body_v)) return *e;
  auto& body = std::get<json::object>(body_v);
  FieldReader r(body);
  auto& causes = r.causes();
  one_of(body, "type", {"OAUTH_AUTHORIZATION_POLICY"}, "OAUTH_AUTHORIZATION_POLICY", "type", causes);
  auto name = r.string("name", true, "name");
  auto description = r.string("description", false, "description");
  auto status = one_of(body, "status", {"ACTIVE", "INACTIVE"}, existing ? str(existing->body, "status") : "ACTIVE",
                       "status", causes);
  auto priority = integer(body, "priority", 1, 1'000'000, "priority", causes);
  std::optional<std::vector<std::string>> clients;
  auto* cond = r.object("conditions", true, "conditions");
  const json::object* cl = nullptr;
  if (cond) {
    FieldReader cr(*cond);
    cl = cr.object("clients", true, "conditions.clients");
    for (auto& c : cr.causes()) causes.push_back(c);
  }
  if (cl) clients = string_list(*cl, "include", true, "conditions.clients.include", causes);
  if (clients) {
    bool all = std::find(clients->begin(), clients->end(), "ALL_CLIENTS") != clients->end();
    if (all && clients->size() > 1)
      causes.push_back("conditions.clients.include: ALL_CLIENTS cannot be combined with client ids");
    for (auto& id : *clients)
      if (!all && !ctx.org.doc(domain::kind::app, id))
        causes.push_back("conditions.clients.include: " + id + " is not a client of this org");
  }
  if (!causes.empty()) return validation_failed("policy", causes);
  if (!priority) {
    std::int64_t last = 0;
    for (auto* p : ctx.org.children(domain::kind::as_policy, as_id))
      if (auto* v = p->body.if_contains("priority"); v && v->is_int64() && (!existing || p->id != existing->id))
        last = std::max(last, v->get_int64());
    priority = existing && existing->body.contains("priority") && existing->body.at("priority").is_int64()
                   ? existing->body.at("priority").get_int64()
                   : last + 1;
  }
  bool system = existing && existing->body.contains("system") && existing->body.at("system") == true;
  return json::object{{"type", "OAUTH_AUTHORIZATION_POLICY"},
                      {"name", *name},
                      {"description", description.value_or("")},
                      {"priority", *priority},
                      {"status", *status},
                      {"system", system},
                      {"conditions", json::object{{"clients", json::object{{"include", to_array(*clients)}}}}}};
}

http::Response list(Ctx& ctx) {
  http::Response err;
  auto* as = find_server(ctx, ctx.params[0], err);
  if (!as) return err;
  auto url = ctx.org.url();
  return list_children(ctx, domain::kind::as_policy, as->id, server_path(as->id) + "/policies",
                       [&](const domain::Document& d) { return render_policy(url, d); });
}

http::Response create(Ctx& ctx) {
  http::Response err;
  auto* as = find_server(ctx, ctx.params[0], err);
  if (!as) return err;
  auto body = parse_policy(ctx, as->id, nullptr);
  if (auto* e = std::get_if<ApiError>(&body)) return fail(ctx, *e);
  auto doc = created(ctx, domain::kind::as_policy, id_prefix::policy, as->id, std::move(std::get<json::object>(body)));
  if (auto r = commit(ctx, {store::PutDocument{doc}}); !r) return commit_failed(ctx, r.error());
  return ok_json(render_policy(ctx.org.url(), doc), 201);
}

const domain::Document* policy(Ctx& ctx, http::Response& err) {
  auto* as = find_server(ctx, ctx.params[0], err);
  return as ? find_child(ctx, domain::kind::as_policy, as->id, ctx.params[1], kWhat, err) : nullptr;
}

http::Response get(Ctx& ctx) {
  http::Response err;
  auto* p = policy(ctx, err);
  return p ? ok_json(render_policy(ctx.org.url(), *p)) : err;
}

http::Response replace(Ctx& ctx) {
  http::Response err;
  auto* p = policy(ctx, err);
  if (!p) return err;
  auto body = parse_policy(ctx, p->parent, p);
  if (auto* e = std::get_if<ApiError>(&body)) return fail(ctx, *e);
  auto doc = replaced(ctx, *p, std::move(std::get<json::object>(body)));
  if (auto r = commit(ctx, {store::PutDocument{doc}}); !r) return commit_failed(ctx, r.error());
  return ok_json(render_policy(ctx.org.url(), doc));
}

http::Response remove(Ctx& ctx) {
  http::Response err;
  auto* p = policy(ctx, err);
  return p ? remove_doc(ctx, *p) : err;
}

http::Response lifecycle(Ctx& ctx, std::string_view status) {
  http::Response err;
  auto* p = policy(ctx, err);
  return p ? set_status(ctx, *p, status) : err;
}
}  // namespace

void register_policies(ApiRouter& r) {
  using M = http::Method;
  using domain::Action;
  using domain::Resource;
  const domain::Permission read{Resource::authorizationServers, Action::read};
  const domain::Permission manage{Resource::authorizationServers, Action::manage};
  const std::string base = std::string(kCollectionPath) + "/{authServerId}/policies";
  r.add(M::get, base, {read, list});
  r.add(M::post, base, {manage, create});
  r.add(M::get, base + "/{policyId}", {read, get});
  r.add(M::put, base + "/{policyId}", {manage, replace});
  r.add(M::delete_, base + "/{policyId}", {manage, remove});
  r.add(M::post, base + "/{policyId}/lifecycle/activate", {manage, [](Ctx& c) { return lifecycle(c, "ACTIVE"); }});
  r.add(M::post, base + "/{policyId}/lifecycle/deactivate", {manage, [](Ctx& c) { return lifecycle(c, "INACTIVE"); }});
}

}  // namespace gh::api::auth_servers
