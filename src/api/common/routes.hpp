#pragma once
// The management API's routes. Each resource registers its own (one file per resource).
#include <functional>
#include <optional>

#include "api/common/context.hpp"
#include "http/router.hpp"

namespace gh::api {

// A handler answers, or refuses with the ApiError that ManagementApi::handle renders (and logs).
using Handler = std::function<Result<http::Response>(Ctx&)>;

struct ApiRoute {
  std::optional<domain::Permission> needs;  // nullopt: any authenticated principal
  Handler handler;
  bool raw_body = false;  // takes a body that is not JSON (a multipart logo upload)
};
using ApiRouter = http::Router<ApiRoute>;

void register_users(ApiRouter& r);
void register_groups(ApiRouter& r);
void register_roles(ApiRouter& r);
void register_api_tokens(ApiRouter& r);
void register_orgs(ApiRouter& r);
void register_apps(ApiRouter& r);                   // src/api/apps (issue #3)
void register_client_roles(ApiRouter& r);           // src/api/apps/client_roles.cpp
void register_authorization_servers(ApiRouter& r);  // src/api/authorization_servers (issue #3)
void register_logs(ApiRouter& r);                   // src/api/logs (issue #4)
void register_integrations(ApiRouter& r);           // src/api/integrations (issue 15)

ApiRouter build_management_router();

}  // namespace gh::api
