// GET /api/v1/users/{id}/groups (okta-compat.md §6).
#include "api/common/pagination.hpp"
#include "api/common/respond.hpp"
#include "api/users/users.hpp"

namespace gh::api::users {

void register_user_groups(ApiRouter& r) {
  const domain::Permission read{domain::Resource::users, domain::Action::read};
  r.add(http::Method::get, "/api/v1/users/{id}/groups", {read, [](Ctx& ctx) -> Result<http::Response> {
          auto* u = find_user(ctx, ctx.params[0]);
          if (!u) return not_found(ctx.params[0] + " (User)");
          std::vector<const std::string*> items;
          for (auto* g : ctx.org.groups_of(core::UserId{u->user.id})) items.push_back(&g->json);
          auto res = ok_json(json_array(items));
          set_links(res, ctx.org.url(), "/api/v1/users/" + u->user.id + "/groups", ctx.query, std::nullopt);
          return res;
        }});
}

}  // namespace gh::api::users
