// /api/v1/authorizationServers (issue #3; okta-compat.md §5, §6): custom authorization servers and
// their scopes, claims, policies, rules and keys. One resource per file; this file mounts them.
#include "api/common/routes.hpp"

namespace gh::api {
namespace auth_servers {
void register_servers(ApiRouter& r);   // servers.cpp
void register_scopes(ApiRouter& r);    // scopes.cpp
void register_claims(ApiRouter& r);    // claims.cpp
void register_policies(ApiRouter& r);  // policies.cpp
void register_rules(ApiRouter& r);     // rules.cpp
void register_keys(ApiRouter& r);      // keys.cpp
}  // namespace auth_servers

void register_authorization_servers(ApiRouter& r) {
  auth_servers::register_servers(r);
  auth_servers::register_scopes(r);
  auth_servers::register_claims(r);
  auth_servers::register_policies(r);
  auth_servers::register_rules(r);
  auth_servers::register_keys(r);
}

}  // namespace gh::api
