#pragma once
#include "model/org_model.hpp"

namespace gh::api {

// Renders the cached JSON of users and groups held by the read model.
class ApiRenderer final : public model::Renderer {
 public:
  std::string render_user(std::string_view org_url, const domain::User& u) const override;
  std::string render_group(std::string_view org_url, const domain::Group& g) const override;
};

}  // namespace gh::api
