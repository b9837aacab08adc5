#pragma once
// The CRUD every child document of an authorization server shares (scopes, claims, policies and
// rules; okta-compat.md §5, §6): list, create (201), get, replace, delete (any status, §11.16)
// and, where the kind has one, lifecycle activate/deactivate (204). A kind supplies what differs:
// its parse (validation included) and its render. Lookups are scoped to ctx.org (404 E0000007).
#include <optional>
#include <string>
#include <string_view>

#include "api/common/json_body.hpp"
#include "api/common/routes.hpp"
#include "domain/documents.hpp"

namespace gh::api::auth_servers {

// The documents above a child: its authorization server and its parent (the server itself, or
// the policy of a rule).
struct Parents {
  const domain::Document& as;
  const domain::Document& parent;
};

struct ChildKind {
  std::string_view kind;      // domain::kind::as_scope, ...
  std::string_view prefix;    // id_prefix::scope, ...
  std::string_view what;      // the type named in a 404 summary ("OAuth2Scope")
  std::string_view segment;   // the collection's path segment ("scopes")
  std::string_view id_param;  // the child's path parameter ("{scopeId}")
  bool under_policy;          // a child of a policy ({authServerId}/policies/{policyId}/...)
  bool has_lifecycle;         // lifecycle/activate and lifecycle/deactivate
  // The stored body from the request's JSON object `body`, read through `r` (validation
  // included); `existing` is the document being replaced, or null.
  Result<boost::json::object> (*parse)(Ctx& ctx, const Parents& p, const boost::json::object& body,
                                       FieldReader& r, const domain::Document* existing);
  // The JSON of a child of the authorization server `as_id`.
  std::string (*render)(std::string_view org_url, std::string_view as_id, const domain::Document& d);
  // Why `d` may not be deleted, if it may not (a system scope); null: any may be.
  std::optional<ApiError> (*refuse_delete)(const domain::Document& d) = nullptr;
};

// The kinds (scopes.cpp, claims.cpp, policies.cpp, rules.cpp).
extern const ChildKind kScopes;
extern const ChildKind kClaims;
extern const ChildKind kPolicies;
extern const ChildKind kRules;

// Mounts the routes of `k` at /api/v1/authorizationServers/{authServerId}[/policies/{policyId}]
// /{segment}[/{id_param}...].
void register_child_routes(ApiRouter& r, const ChildKind& k);

}  // namespace gh::api::auth_servers
