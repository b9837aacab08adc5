// /oauth2/v1/clients/{clientId}/roles (okta-compat.md §3 "Role check", §5 Role assignment, §6,
// §11.14): the admin roles a service app acts with. Stored as domain::RoleAssignment rows with
// principal_type CLIENT (docs/oauth-documents.md). Assign answers 200, not 201.
#include "api/apps/apps.hpp"
#include "api/common/respond.hpp"
#include "api/roles/assignments.hpp"

namespace gh::api {
namespace client_roles {
namespace {
using roles::Assignee;

// The client: an app of this org (an id of another org is unknown here).
template <class F>
Handler for_client(F f) {
  return [f](Ctx& ctx) -> Result<http::Response> {
    auto* app = apps::find_app(ctx, ctx.params[0]);
    if (!app) return not_found(ctx.params[0] + " (Client)");
    return f(ctx, Assignee{domain::PrincipalType::CLIENT, app->id, "client"});
  };
}

Result<http::Response> unassign(Ctx& ctx, const Assignee& a) {
  auto* r = roles::find_assignment(ctx, a);
  if (!r) return not_found(ctx.params[1] + " (Role)");
  return roles::unassign_role(ctx, *r);
}
}  // namespace
}  // namespace client_roles

void register_client_roles(ApiRouter& r) {
  using domain::Action;
  using domain::Resource;
  using M = http::Method;
  using client_roles::for_client;
  const domain::Permission read{Resource::roles, Action::read}, manage{Resource::roles, Action::manage};
  r.add(M::get, "/oauth2/v1/clients/{clientId}/roles", {read, for_client(roles::list_roles)});
  // okta-compat.md §5: client roles answer 200 on assignment, user roles 201.
  r.add(M::post, "/oauth2/v1/clients/{clientId}/roles",
        {manage, for_client([](Ctx& c, const roles::Assignee& a) { return roles::assign_role(c, a, 200); })});
  r.add(M::get, "/oauth2/v1/clients/{clientId}/roles/{roleAssignmentId}", {read, for_client(roles::get_role)});
  r.add(M::delete_, "/oauth2/v1/clients/{clientId}/roles/{roleAssignmentId}",
        {manage, for_client(client_roles::unassign)});
}

}  // namespace gh::api
