#pragma once
// Shared by the users resource files.
#include <optional>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/common/context.hpp"
#include "api/common/routes.hpp"
#include "model/org_model.hpp"

namespace gh::api::users {

// A user by id, by login (case-insensitive), or "me" (the caller).
const model::UserEntry* find_user(const Ctx& ctx, std::string_view id_or_login);
std::optional<boost::json::value> attribute(const domain::User& u, std::string_view attr);
// Revokes every API token of `user_id` (deactivation, suspension).
void revoke_tokens_of(const Ctx& ctx, std::string_view user_id, store::ChangeSet& cs);

void register_lifecycle(ApiRouter& r);
void register_user_groups(ApiRouter& r);

}  // namespace gh::api::users
