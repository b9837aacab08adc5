// /api/v1/users/{id}/roles: list, assign (201), get, unassign (okta-compat.md §5 Role assignment).
// The assignment logic is shared with client roles (assignments.cpp).
#include "api/common/respond.hpp"
#include "api/common/routes.hpp"
#include "api/roles/assignments.hpp"
#include "api/users/users.hpp"

namespace gh::api {
namespace roles {
namespace {
// The user of ctx.params[0] as an assignee, or 404 when unknown.
Result<Assignee> subject(Ctx& ctx) {
  auto* u = users::find_user(ctx, ctx.params[0]);
  if (!u) return not_found(ctx.params[0] + " (User)");
  return Assignee{domain::PrincipalType::USER, u->user.id, "user"};
}

template <class F>
Handler for_user(F f) {
  return [f](Ctx& ctx) -> Result<http::Response> {
    auto a = subject(ctx);
    if (!a) return a.error();
    return f(ctx, *a);
  };
}

// Never leave an org without an ACTIVE super admin.
bool is_last_super_admin(const Ctx& ctx, const domain::RoleAssignment& r) {
  if (r.type != "SUPER_ADMIN") return false;
  std::size_t supers = 0;
  for (auto& [id, x] : ctx.org.roles()) {
    auto* holder = x.principal_type == domain::PrincipalType::USER ? ctx.org.user(core::UserId{x.principal_id}) : nullptr;
    supers += x.type == "SUPER_ADMIN" && holder && holder->user.status == domain::UserStatus::ACTIVE;
  }
  return supers <= 1;
}

Result<http::Response> unassign(Ctx& ctx, const Assignee& a) {
  auto* r = find_assignment(ctx, a);
  if (!r) return not_found(ctx.params[1] + " (Role)");
  if (is_last_super_admin(ctx, *r))
    return validation_failed("role", {"The last super administrator of an org cannot be removed."});
  return unassign_role(ctx, *r);
}
}  // namespace
}  // namespace roles

void register_roles(ApiRouter& r) {
  using domain::Action;
  using domain::Resource;
  using M = http::Method;
  const domain::Permission read{Resource::roles, Action::read}, manage{Resource::roles, Action::manage};
  r.add(M::get, "/api/v1/users/{id}/roles", {read, roles::for_user(roles::list_roles)});
  r.add(M::post, "/api/v1/users/{id}/roles",
        {manage, roles::for_user([](Ctx& c, const roles::Assignee& a) { return roles::assign_role(c, a, 201); })});
  r.add(M::get, "/api/v1/users/{id}/roles/{roleAssignmentId}", {read, roles::for_user(roles::get_role)});
  r.add(M::delete_, "/api/v1/users/{id}/roles/{roleAssignmentId}", {manage, roles::for_user(roles::unassign)});
}

}  // namespace gh::api
