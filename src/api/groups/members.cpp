// /api/v1/groups/{id}/users: list members (paged), add and remove a member (okta-compat.md §6).
#include "api/common/listing.hpp"
#include "api/common/respond.hpp"
#include "api/common/routes.hpp"

namespace gh::api {
namespace groups {

Result<http::Response> list_members(Ctx& ctx) {
  auto* g = ctx.org.group(ctx.params[0]);
  if (!g) return not_found(ctx.params[0] + " (UserGroup)");
  auto page = parse_page(ctx.query, 1000, 10000);
  if (!page) return page.error();
  auto out = collect_page(
      ctx.org.users(), *page,
      [&](const model::UserEntry& u) { return ctx.org.is_member(*g, u.user.id); },
      [&](const model::UserEntry& u) -> const std::string& { return ctx.org.user_json(u); });
  auto res = ok_json(json_array(out.items));
  set_links(res, ctx.org.url(), "/api/v1/groups/" + g->group.id + "/users", ctx.query, out.next_after);
  return res;
}

// Shared by add and remove: the group must exist and not be BUILT_IN; the user must exist.
Result<const model::GroupEntry*> member_target(Ctx& ctx) {
  auto* g = ctx.org.group(ctx.params[0]);
  if (!g) return not_found(ctx.params[0] + " (UserGroup)");
  if (!ctx.org.user(core::UserId{ctx.params[1]})) return not_found(ctx.params[1] + " (User)");
  if (g->group.type == domain::GroupType::BUILT_IN) return forbidden();  // Everyone's membership is implicit
  return g;
}

Result<http::Response> change_member(Ctx& ctx, bool add) {
  auto g_r = member_target(ctx);
  if (!g_r) return g_r.error();
  auto* g = *g_r;
  auto& uid = ctx.params[1];
  if (ctx.org.is_member(*g, uid) == add) return no_content();  // §11.12: idempotent
  auto group = g->group;
  group.last_membership_updated = ctx.now();
  store::ChangeSet cs{store::PutGroup{group}};
  if (add) cs.push_back(store::AddMember{group.id, uid});
  else cs.push_back(store::RemoveMember{group.id, uid});
  if (auto r = commit(ctx, cs); !r) return r.error();
  return no_content();
}

}  // namespace groups

void register_groups_members(ApiRouter& r) {
  using domain::Action;
  using domain::Resource;
  using M = http::Method;
  // Adding and removing members is groupMembers.manage, which GROUP_MEMBERSHIP_ADMIN holds without
  // groups.manage; its scope is still okta.groups.manage (okta-compat.md §6).
  const domain::Permission read{Resource::groups, Action::read}, members{Resource::groupMembers, Action::manage};
  r.add(M::get, "/api/v1/groups/{groupId}/users", {read, groups::list_members});
  r.add(M::put, "/api/v1/groups/{groupId}/users/{userId}",
        {members, [](Ctx& c) { return groups::change_member(c, true); }});
  r.add(M::delete_, "/api/v1/groups/{groupId}/users/{userId}",
        {members, [](Ctx& c) { return groups::change_member(c, false); }});
}

}  // namespace gh::api
