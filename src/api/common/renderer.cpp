#include "api/common/renderer.hpp"

#include "api/groups/json_mapping.hpp"
#include "api/users/json_mapping.hpp"

namespace gh::api {

std::string ApiRenderer::render_user(std::string_view org_url, const domain::User& u) const {
  return users::render_user(org_url, u);
}
std::string ApiRenderer::render_group(std::string_view org_url, const domain::Group& g) const {
  return groups::render_group(org_url, g);
}

}  // namespace gh::api
