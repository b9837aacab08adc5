// /api/v1/authorizationServers (issue #3): not yet implemented.
#include "api/common/routes.hpp"

namespace gh::api {
void register_authorization_servers(ApiRouter&) {}
}  // namespace gh::api
