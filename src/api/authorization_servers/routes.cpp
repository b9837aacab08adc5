// /api/v1/authorizationServers (issue #3; okta-compat.md §5, §6): custom authorization servers and
// their scopes, claims, policies, rules and keys. One resource per file; this file mounts them.
#include "api/authorization_servers/children.hpp"
#include "api/common/routes.hpp"

namespace gh::api {
namespace auth_servers {
void register_servers(ApiRouter& r);   // servers.cpp
void register_keys(ApiRouter& r);      // keys.cpp
}  // namespace auth_servers

void register_authorization_servers(ApiRouter& r) {
  auth_servers::register_servers(r);
  // scopes.cpp, claims.cpp, policies.cpp, rules.cpp: children of a server (children.cpp).
  using namespace auth_servers;
  for (auto* kind : {&kScopes, &kClaims, &kPolicies, &kRules}) register_child_routes(r, *kind);
  auth_servers::register_keys(r);
}

}  // namespace gh::api
