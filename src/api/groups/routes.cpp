// /api/v1/groups (okta-compat.md §5 Group, §6): list, create, get, replace, delete.
// Membership lives in members.cpp.
#include <boost/json/serialize.hpp>

#include "api/common/json_body.hpp"
#include "api/common/listing.hpp"
#include "api/common/respond.hpp"
#include "api/common/routes.hpp"
#include "api/common/search_params.hpp"
#include "core/ids.hpp"
#include "model/org_model.hpp"

namespace gh::api {
namespace groups {
using domain::Action;
using domain::Resource;
namespace json = boost::json;

std::optional<json::value> attribute(const domain::Group& g, std::string_view attr) {
  if (attr == "id") return json::value(g.id);
  if (attr == "type") return json::value(to_string(g.type));
  if (attr == "created") return json::value(iso(g.created));
  if (attr == "lastUpdated") return json::value(iso(g.last_updated));
  if (attr == "lastMembershipUpdated") return json::value(iso(g.last_membership_updated));
  if (attr.starts_with("profile.")) return lookup_path(g.profile, attr.substr(8));
  return std::nullopt;
}

Result<http::Response> list(Ctx& ctx) {
  auto page = parse_page(ctx.query, 10000, 10000);  // MGMT-OAS listGroups: max 10000
  if (!page) return page.error();
  auto crit = parse_criteria(ctx.query, {"filter", "search"});
  if (!crit) return crit.error();
  auto& criteria = *crit;
  auto q = ctx.query.get("q").value_or("");
  auto out = collect_page(
      ctx.org.groups(), *page,
      [&](const model::GroupEntry& e) {
        if (!q.empty() && !istarts_with(e.group.name(), q)) return false;
        return criteria.matches([&](std::string_view a) { return attribute(e.group, a); });
      },
      [](const model::GroupEntry& e) -> const std::string& { return e.json; });
  auto res = ok_json(json_array(out.items));
  set_links(res, ctx.org.url(), "/api/v1/groups", ctx.query, out.next_after);
  return res;
}

// Validates {profile:{name, description?, ...}}; the name must be unique in the org.
Result<json::object> parse_profile(Ctx& ctx, std::string_view except_id) {
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body) return body.error();
  FieldReader r(*body);
  auto* profile = r.object("profile", true, "profile");
  std::optional<std::string> name;
  if (profile) {
    FieldReader pr(*profile);
    name = pr.string("name", true, "profile.name");
    pr.string("description", false, "profile.description");
    for (auto& c : pr.causes()) r.causes().push_back(c);
  }
  if (!r.ok()) return validation_failed("profile", r.causes());
  if (auto* other = ctx.org.group_by_name(*name); other && other->group.id != except_id)
    return validation_failed("profile.name", {"profile.name: An object with this field already exists in the current organization"});
  return *profile;
}

Result<http::Response> create(Ctx& ctx) {
  auto profile = parse_profile(ctx, "");
  if (!profile) return profile.error();
  domain::Group g;
  g.id = core::new_id(ctx.deps.random, core::id_prefix::group);
  g.created = g.last_updated = g.last_membership_updated = ctx.now();
  g.profile = std::move(*profile);
  if (auto r = commit(ctx, {store::PutGroup{g}}); !r) return r.error();
  return ok_json(ctx.org.group(g.id)->json);
}

Result<http::Response> get(Ctx& ctx) {
  auto* e = ctx.org.group(ctx.params[0]);
  if (!e) return not_found(ctx.params[0] + " (UserGroup)");
  return ok_json(e->json);
}

Result<const model::GroupEntry*> editable(Ctx& ctx) {
  auto* e = ctx.org.group(ctx.params[0]);
  if (!e) return not_found(ctx.params[0] + " (UserGroup)");
  if (e->group.type == domain::GroupType::BUILT_IN) return forbidden();  // Everyone cannot be edited or deleted
  return e;
}

Result<http::Response> replace(Ctx& ctx) {
  auto e_r = editable(ctx);
  if (!e_r) return e_r.error();
  auto* e = *e_r;
  auto profile = parse_profile(ctx, e->group.id);
  if (!profile) return profile.error();
  auto g = e->group;
  g.profile = std::move(*profile);
  g.last_updated = ctx.now();
  if (auto r = commit(ctx, {store::PutGroup{g}}); !r) return r.error();
  return ok_json(ctx.org.group(g.id)->json);
}

Result<http::Response> remove(Ctx& ctx) {
  auto e_r = editable(ctx);
  if (!e_r) return e_r.error();
  auto* e = *e_r;
  if (auto r = commit(ctx, {store::DeleteGroup{e->group.id}}); !r) return r.error();
  return no_content();
}

}  // namespace groups

void register_groups_members(ApiRouter& r);

void register_groups(ApiRouter& r) {
  using domain::Action;
  using domain::Resource;
  using M = http::Method;
  const domain::Permission read{Resource::groups, Action::read}, manage{Resource::groups, Action::manage};
  r.add(M::get, "/api/v1/groups", {read, groups::list});
  r.add(M::post, "/api/v1/groups", {manage, groups::create});
  r.add(M::get, "/api/v1/groups/{groupId}", {read, groups::get});
  r.add(M::put, "/api/v1/groups/{groupId}", {manage, groups::replace});
  r.add(M::delete_, "/api/v1/groups/{groupId}", {manage, groups::remove});
  register_groups_members(r);
}

}  // namespace gh::api
