#include "api/authorization_servers/lookup.hpp"

#include "api/authorization_servers/json_mapping.hpp"
#include "api/common/pagination.hpp"
#include "api/common/respond.hpp"
#include "api/common/search_params.hpp"
#include "core/ids.hpp"

namespace gh::api::auth_servers {
namespace json = boost::json;

bool icontains(std::string_view s, std::string_view needle) {
  if (needle.empty()) return true;
  for (std::size_t i = 0; i + needle.size() <= s.size(); ++i)
    if (http::iequals(s.substr(i, needle.size()), needle)) return true;
  return false;
}

Result<const domain::Document*> find_server(Ctx& ctx, std::string_view id) {
  auto* d = ctx.org.doc(domain::kind::auth_server, id);
  if (!d) return not_found(std::string(id) + " (AuthorizationServer)");
  return d;
}

Result<const domain::Document*> find_child(Ctx& ctx, std::string_view kind, std::string_view parent,
                                           std::string_view id, std::string_view what) {
  auto* d = ctx.org.doc(kind, id);
  if (d && d->parent == parent) return d;
  return not_found(std::string(id) + " (" + std::string(what) + ")");
}

Result<http::Response> list_children(Ctx& ctx, std::string_view kind, std::string_view parent,
                                     const std::string& path_in_org,
                                     const std::function<std::string(const domain::Document&)>& render) {
  auto page_v = parse_page(ctx.query, 200, 200);
  if (!page_v) return page_v.error();
  auto crit = parse_criteria(ctx.query, {"filter"});
  if (!crit) return crit.error();
  auto& page = *page_v;
  auto& criteria = *crit;
  auto q = ctx.query.get("q").value_or("");
  std::vector<std::string> rendered;
  std::optional<std::string> next_after;
  std::string last;
  for (auto* d : ctx.org.children(kind, parent)) {  // ordered by id, the cursor
    if (!page.after.empty() && d->id <= page.after) continue;
    if (!icontains(str_member(d->body, "name"), q)) continue;
    if (!criteria.matches([&](std::string_view a) { return lookup_path(d->body, a); })) continue;
    if (rendered.size() == page.limit) {
      next_after = last;
      break;
    }
    rendered.push_back(render(*d));
    last = d->id;
  }
  std::vector<const std::string*> items;
  for (auto& r : rendered) items.push_back(&r);
  auto res = ok_json(json_array(items));
  set_links(res, ctx.org.url(), path_in_org, ctx.query, next_after);
  return res;
}

Result<http::Response> set_status(Ctx& ctx, const domain::Document& d, std::string_view status) {
  if (str_member(d.body, "status") == status) return no_content();
  auto doc = d;
  doc.body["status"] = status;
  doc.body["lastUpdated"] = iso(ctx.now());
  if (auto r = commit(ctx, {store::PutDocument{std::move(doc)}}); !r) return r.error();
  return no_content();
}

Result<http::Response> remove_doc(Ctx& ctx, const domain::Document& d) {
  if (auto r = commit(ctx, {store::DeleteDocument{d.kind, d.id}}); !r) return r.error();
  return no_content();
}

domain::Document replaced(const Ctx& ctx, const domain::Document& old, json::object body) {
  body["id"] = old.id;
  body["created"] = old.body.contains("created") ? old.body.at("created") : json::value(iso(ctx.now()));
  body["lastUpdated"] = iso(ctx.now());
  return {old.kind, old.id, old.parent, std::move(body)};
}

domain::Document created(Ctx& ctx, std::string_view kind, std::string_view prefix, std::string parent,
                         json::object body) {
  auto id = core::new_id(ctx.deps.random, prefix);
  body["id"] = id;
  body["created"] = body["lastUpdated"] = iso(ctx.now());
  return {std::string(kind), std::move(id), std::move(parent), std::move(body)};
}

}  // namespace gh::api::auth_servers
