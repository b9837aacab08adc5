#include "api/roles/assignments.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/common/json_body.hpp"
#include "api/common/pagination.hpp"
#include "api/common/respond.hpp"
#include "core/ids.hpp"

namespace gh::api::roles {
namespace json = boost::json;

std::string assignee_url(std::string_view org_url, const domain::RoleAssignment& r) {
  auto base = r.principal_type == domain::PrincipalType::USER ? "/api/v1/users/" : "/oauth2/v1/clients/";
  return std::string(org_url) + base + r.principal_id;
}

std::string render_role(std::string_view org_url, const domain::RoleAssignment& r) {
  auto assignee = assignee_url(org_url, r);
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

Result<http::Response> list_roles(Ctx& ctx, const Assignee& a) {
  std::string body = "[";
  for (auto* r : ctx.org.roles_of(a.type, a.id)) {
    if (body.size() > 1) body += ',';
    body += render_role(ctx.org.url(), *r);
  }
  body += ']';
  auto res = ok_json(std::move(body));
  domain::RoleAssignment probe;
  probe.principal_type = a.type;
  probe.principal_id = a.id;
  auto path = assignee_url("", probe) + "/roles";
  set_links(res, ctx.org.url(), path, ctx.query, std::nullopt);
  return res;
}

Result<http::Response> assign_role(Ctx& ctx, const Assignee& a, int status) {
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body) return body.error();
  FieldReader r(*body);
  auto type = r.string("type", true, "type");
  if (!r.ok()) return validation_failed("type", r.causes());
  if (!domain::is_assignable_role(*type))  // any standard role, SUPER_ADMIN included (§11.14)
    return validation_failed("type", {"type: Invalid value for the role type"});
  for (auto* existing : ctx.org.roles_of(a.type, a.id))
    if (existing->type == *type)
      return validation_failed("type", {"The role specified is already assigned to the " + std::string(a.noun) + "."});
  domain::RoleAssignment ra;
  ra.id = core::new_id(ctx.deps.random, core::id_prefix::role_assignment);
  ra.principal_type = a.type;
  ra.principal_id = a.id;
  ra.type = *type;
  ra.created = ra.last_updated = ctx.now();
  if (auto c = commit(ctx, {store::PutRole{ra}}); !c) return c.error();
  return ok_json(render_role(ctx.org.url(), ra), status);
}

const domain::RoleAssignment* find_assignment(const Ctx& ctx, const Assignee& a) {
  auto* r = ctx.org.role(ctx.params[1]);
  if (!r || r->principal_type != a.type || r->principal_id != a.id) return nullptr;
  return r;
}

Result<http::Response> get_role(Ctx& ctx, const Assignee& a) {
  auto* r = find_assignment(ctx, a);
  if (!r) return not_found(ctx.params[1] + " (Role)");
  return ok_json(render_role(ctx.org.url(), *r));
}

Result<http::Response> unassign_role(Ctx& ctx, const domain::RoleAssignment& r) {
  if (auto c = commit(ctx, {store::DeleteRole{r.id}}); !c) return c.error();
  return no_content();
}

}  // namespace gh::api::roles
