#pragma once
#include <string>
#include <string_view>

#include "domain/types.hpp"

namespace gh::api::groups {

// The Group resource (okta-compat.md §5 Group).
std::string render_group(std::string_view org_url, const domain::Group& g);

}  // namespace gh::api::groups
