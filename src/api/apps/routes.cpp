// /api/v1/apps (issue #3): not yet implemented.
#include "api/common/routes.hpp"

namespace gh::api {
void register_apps(ApiRouter&) {}
}  // namespace gh::api
