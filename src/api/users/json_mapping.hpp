#pragma once
#include <string>
#include <string_view>

#include "domain/types.hpp"

namespace gh::api::users {

// The User resource (okta-compat.md §5 User). Never includes the password.
std::string render_user(std::string_view org_url, const domain::User& u);

}  // namespace gh::api::users
