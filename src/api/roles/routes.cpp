// /api/v1/users/{id}/roles: list, assign (201), get, unassign (okta-compat.md §5 Role assignment).
// Client roles (/oauth2/v1/clients/{clientId}/roles) arrive with the OAuth issue (#3).
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/common/json_body.hpp"
#include "api/common/pagination.hpp"
#include "api/common/respond.hpp"
#include "api/common/routes.hpp"
#include "api/users/users.hpp"
#include "core/ids.hpp"

namespace gh::api {
namespace roles {
namespace json = boost::json;

std::string render_role(std::string_view org_url, const domain::RoleAssignment& r) {
  std::string assignee = std::string(org_url) + "/api/v1/users/" + r.principal_id;
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

namespace {
const model::UserEntry* subject(Ctx& ctx, http::Response& err) {
  auto* u = users::find_user(ctx, ctx.params[0]);
  if (!u) err = fail(ctx, not_found(ctx.params[0] + " (User)"));
  return u;
}

http::Response list(Ctx& ctx) {
  http::Response err;
  auto* u = subject(ctx, err);
  if (!u) return err;
  std::string body = "[";
  for (auto* r : ctx.org.roles_of(domain::PrincipalType::USER, u->user.id)) {
    if (body.size() > 1) body += ',';
    body += render_role(ctx.org.url(), *r);
  }
  body += ']';
  auto res = ok_json(std::move(body));
  set_links(res, ctx.org.url(), "/api/v1/users/" + u->user.id + "/roles", ctx.query, std::nullopt);
  return res;
}

http::Response assign(Ctx& ctx) {
  http::Response err;
  auto* u = subject(ctx, err);
  if (!u) return err;
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (auto* e = std::get_if<ApiError>(&body)) return fail(ctx, *e);
  FieldReader r(std::get<json::object>(body));
  auto type = r.string("type", true, "type");
  if (!r.ok()) return fail(ctx, validation_failed("type", r.causes()));
  if (!domain::is_assignable_role(*type))
    return fail(ctx, validation_failed("type", {"type: Invalid value for the role type"}));
  for (auto* existing : ctx.org.roles_of(domain::PrincipalType::USER, u->user.id))
    if (existing->type == *type)
      return fail(ctx, validation_failed("type", {"The role specified is already assigned to the user."}));
  domain::RoleAssignment ra;
  ra.id = core::new_id(ctx.deps.random, core::id_prefix::role_assignment);
  ra.principal_type = domain::PrincipalType::USER;
  ra.principal_id = u->user.id;
  ra.type = *type;
  ra.created = ra.last_updated = ctx.now();
  if (auto c = commit(ctx, {store::PutRole{ra}}); !c) return commit_failed(ctx, c.error());
  return ok_json(render_role(ctx.org.url(), ra), 201);
}

const domain::RoleAssignment* assignment(Ctx& ctx, const model::UserEntry& u) {
  auto* r = ctx.org.role(ctx.params[1]);
  if (!r || r->principal_type != domain::PrincipalType::USER || r->principal_id != u.user.id) return nullptr;
  return r;
}

http::Response get(Ctx& ctx) {
  http::Response err;
  auto* u = subject(ctx, err);
  if (!u) return err;
  auto* r = assignment(ctx, *u);
  if (!r) return fail(ctx, not_found(ctx.params[1] + " (Role)"));
  return ok_json(render_role(ctx.org.url(), *r));
}

http::Response unassign(Ctx& ctx) {
  http::Response err;
  auto* u = subject(ctx, err);
  if (!u) return err;
  auto* r = assignment(ctx, *u);
  if (!r) return fail(ctx, not_found(ctx.params[1] + " (Role)"));
  if (r->type == "SUPER_ADMIN") {  // never leave an org without a super admin
    std::size_t supers = 0;
    for (auto& [id, x] : ctx.org.roles()) {
      auto* holder = x.principal_type == domain::PrincipalType::USER ? ctx.org.user(x.principal_id) : nullptr;
      supers += x.type == "SUPER_ADMIN" && holder && holder->user.status == domain::UserStatus::ACTIVE;
    }
    if (supers <= 1)
      return fail(ctx, validation_failed("role", {"The last super administrator of an org cannot be removed."}));
  }
  if (auto c = commit(ctx, {store::DeleteRole{r->id}}); !c) return commit_failed(ctx, c.error());
  return no_content();
}
}  // namespace
}  // namespace roles

void register_roles(ApiRouter& r) {
  using domain::Action;
  using domain::Resource;
  using M = http::Method;
  const domain::Permission read{Resource::roles, Action::read}, manage{Resource::roles, Action::manage};
  r.add(M::get, "/api/v1/users/{id}/roles", {read, roles::list});
  r.add(M::post, "/api/v1/users/{id}/roles", {manage, roles::assign});
  r.add(M::get, "/api/v1/users/{id}/roles/{roleAssignmentId}", {read, roles::get});
  r.add(M::delete_, "/api/v1/users/{id}/roles/{roleAssignmentId}", {manage, roles::unassign});
}

}  // namespace gh::api
