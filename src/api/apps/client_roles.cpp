// /oauth2/v1/clients/{clientId}/roles (issue #3): not yet implemented.
#include "api/common/routes.hpp"

namespace gh::api {
void register_client_roles(ApiRouter&) {}
}  // namespace gh::api
