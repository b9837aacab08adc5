// /oauth2/v1/clients/{clientId}/roles (okta-compat.md §3 "Role check", §5 Role assignment, §6,
// §11.14): the admin roles a service app acts with. Stored as domain::RoleAssignment rows with
// principal_type CLIENT (docs/oauth-documents.md). Assign answers 200, not 201.
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/apps/apps.hpp"
#include "api/common/json_body.hpp"
#include "api/common/pagination.hpp"
#include "api/common/respond.hpp"
#include "core/ids.hpp"
#include "model/org_model.hpp"

namespace gh::api {
namespace client_roles {
namespace {
namespace json = boost::json;
using domain::PrincipalType;

std::string render(const Ctx& ctx, const domain::RoleAssignment& r) {
  std::string assignee = ctx.org.url() + "/oauth2/v1/clients/" + r.principal_id;
  json::object o{{"id", r.id},
                 {"label", domain::role_label(r.type)},
                 {"type", r.type},
                 {"status", "ACTIVE"},
                 {"created", iso(r.created)},
                 {"lastUpdated", iso(r.last_updated)},
                 {"assignmentType", to_string(r.principal_type)},
                 {"_links", json::object{{"assignee", json::object{{"href", assignee}}},
                                         {"self", json::object{{"href", assignee + "/roles/" + r.id}}}}}};
  return json::serialize(o);
}

// The client: an app of this org (an id of another org is unknown here).
const domain::Document* client(Ctx& ctx, http::Response& err) {
  auto* app = apps::find_app(ctx, ctx.params[0]);
  if (!app) err = fail(ctx, not_found(ctx.params[0] + " (Client)"));
  return app;
}

const domain::RoleAssignment* assignment(Ctx& ctx, const domain::Document& app) {
  auto* r = ctx.org.role(ctx.params[1]);
  if (!r || r->principal_type != PrincipalType::CLIENT || r->principal_id != app.id) return nullptr;
  return r;
}

http::Response list(Ctx& ctx) {
  http::Response err;
  auto* app = client(ctx, err);
  if (!app) return err;
  std::string body = "[";
  for (auto* r : ctx.org.roles_of(PrincipalType::CLIENT, app->id)) {
    if (body.size() > 1) body += ',';
    body += render(ctx, *r);
  }
  body += ']';
  auto res = ok_json(std::move(body));
  set_links(res, ctx.org.url(), "/oauth2/v1/clients/" + app->id + "/roles", ctx.query, std::nullopt);
  return res;
}

// POST {"type"}: any assignable role, SUPER_ADMIN included (§11.14); a type the client already
// holds → 400 E0000001.
http::Response assign(Ctx& ctx) {
  http::Response err;
  auto* app = client(ctx, err);
  if (!app) return err;
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (auto* e = std::get_if<ApiError>(&body)) return fail(ctx, *e);
  FieldReader r(std::get<json::object>(body));
  auto type = r.string("type", true, "type");
  if (!r.ok()) return fail(ctx, validation_failed("type", r.causes()));
  if (!domain::is_assignable_role(*type))
    return fail(ctx, validation_failed("type", {"type: Invalid value for the role type"}));
  for (auto* existing : ctx.org.roles_of(PrincipalType::CLIENT, app->id))
    if (existing->type == *type)
      return fail(ctx, validation_failed("type", {"The role specified is already assigned to the client."}));
  domain::RoleAssignment ra;
  ra.id = core::new_id(ctx.deps.random, core::id_prefix::role_assignment);
  ra.principal_type = PrincipalType::CLIENT;
  ra.principal_id = app->id;
  ra.type = *type;
  ra.created = ra.last_updated = ctx.now();
  if (auto c = commit(ctx, {store::PutRole{ra}}); !c) return commit_failed(ctx, c.error());
  return ok_json(render(ctx, ra));  // okta-compat.md §5: client roles answer 200
}

http::Response get(Ctx& ctx) {
  http::Response err;
  auto* app = client(ctx, err);
  if (!app) return err;
  auto* r = assignment(ctx, *app);
  if (!r) return fail(ctx, not_found(ctx.params[1] + " (Role)"));
  return ok_json(render(ctx, *r));
}

http::Response unassign(Ctx& ctx) {
  http::Response err;
  auto* app = client(ctx, err);
  if (!app) return err;
  auto* r = assignment(ctx, *app);
  if (!r) return fail(ctx, not_found(ctx.params[1] + " (Role)"));
  if (auto c = commit(ctx, {store::DeleteRole{r->id}}); !c) return commit_failed(ctx, c.error());
  return no_content();
}
}  // namespace
}  // namespace client_roles

void register_client_roles(ApiRouter& r) {
  using domain::Action;
  using domain::Resource;
  using M = http::Method;
  const domain::Permission read{Resource::roles, Action::read}, manage{Resource::roles, Action::manage};
  r.add(M::get, "/oauth2/v1/clients/{clientId}/roles", {read, client_roles::list});
  r.add(M::post, "/oauth2/v1/clients/{clientId}/roles", {manage, client_roles::assign});
  r.add(M::get, "/oauth2/v1/clients/{clientId}/roles/{roleAssignmentId}", {read, client_roles::get});
  r.add(M::delete_, "/oauth2/v1/clients/{clientId}/roles/{roleAssignmentId}", {manage, client_roles::unassign});
}

}  // namespace gh::api
