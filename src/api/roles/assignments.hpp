#pragma once
// Admin role assignments of one principal: a user (/api/v1/users/{id}/roles) or a client
// (/oauth2/v1/clients/{clientId}/roles). One implementation for both (okta-compat.md §5 Role
// assignment); the resources only resolve the principal.
#include <string>
#include <string_view>

#include "api/common/context.hpp"

namespace gh::api::roles {

struct Assignee {
  domain::PrincipalType type;
  std::string id;
  std::string_view noun;  // "user" or "client", for error text
};

// ORG/api/v1/users/{id} or ORG/oauth2/v1/clients/{id}.
std::string assignee_url(std::string_view org_url, const domain::RoleAssignment& r);
std::string render_role(std::string_view org_url, const domain::RoleAssignment& r);

Result<http::Response> list_roles(Ctx& ctx, const Assignee& a);
// POST {"type"}: an assignable role the principal does not hold yet; answers `status`
// (201 for users, 200 for clients, okta-compat.md §5).
Result<http::Response> assign_role(Ctx& ctx, const Assignee& a, int status);
// The assignment ctx.params[1] of `a`, or null.
const domain::RoleAssignment* find_assignment(const Ctx& ctx, const Assignee& a);
Result<http::Response> get_role(Ctx& ctx, const Assignee& a);
Result<http::Response> unassign_role(Ctx& ctx, const domain::RoleAssignment& r);

}  // namespace gh::api::roles
