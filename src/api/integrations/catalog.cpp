// ORG/api/v1/catalog/integrations (issue 15, customer side; Gatehouse's own API,
// docs/openapi/gatehouse-integrations.yaml): the listed published integrations of the whole
// server, as any org's admins see them before installing. `q` (a case-insensitive substring of
// name or description) and paging by key; one integration at .../{key} (404 when unlisted).
// Reads model::Directory::published (immutable snapshots), not the vendor org's documents; the
// vendor's name is read under the vendor org's lock.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <deque>

#include "api/common/pagination.hpp"
#include "api/common/respond.hpp"
#include "api/integrations/routes.hpp"
#include "http/url.hpp"

namespace gh::api::integrations {
namespace {
namespace json = boost::json;

constexpr std::string_view kCatalogPath = "/api/v1/catalog/integrations";
constexpr std::size_t kMaxQuery = 256;

// The vendor org's name, under its lock taken shared after the request's org's: only the writer
// thread takes an org's lock exclusively, one at a time, so shared locks in any order make no cycle.
std::string vendor_name(Ctx& ctx, const core::OrgId& id) {
  auto* org = ctx.deps.directory.by_id(id);
  if (!org) return {};
  if (org == &ctx.org) return org->org().name;  // held shared by the request
  std::shared_lock lk(org->mutex());
  return org->org().name;
}

json::object entry(Ctx& ctx, const domain::PublishedIntegration& p) {
  json::array scopes;
  for (auto& s : p.scopes) scopes.push_back(json::object{{"scope", s.scope}, {"reason", s.reason}});
  return {{"id", p.key},
          {"name", p.name},
          {"description", p.description},
          {"logo", p.logo},
          {"configGuideUrl", p.config_guide_url},
          {"scopes", std::move(scopes)},
          {"version", p.version},
          {"publishedAt", p.published_at},
          {"vendor", vendor_name(ctx, p.vendor_org)}};
}

bool matches(const domain::PublishedIntegration& p, const std::string& q_lower) {
  if (q_lower.empty()) return true;
  return http::ascii_lower(p.name).find(q_lower) != std::string::npos ||
         http::ascii_lower(p.description).find(q_lower) != std::string::npos;
}

Result<http::Response> list(Ctx& ctx) {
  auto page = parse_page(ctx.query, 20, 200);
  if (!page) return page.error();
  auto q = ctx.query.get("q").value_or("");
  if (q.size() > kMaxQuery) return validation_failed("q", {"q: Must be at most 256 characters"});
  auto q_lower = http::ascii_lower(q);
  auto all = ctx.deps.directory.published_all();  // by key: the cursor is the key (okta-compat.md §1.6)
  auto it = page->after.empty() ? all.begin()
                                : std::upper_bound(all.begin(), all.end(), page->after,
                                                   [](const std::string& a, const auto& p) { return a < p->key; });
  std::deque<std::string> rendered;
  std::vector<const std::string*> items;
  std::optional<std::string> next;
  std::string last;
  for (; it != all.end(); ++it) {
    auto& p = **it;
    if (!p.listed || !matches(p, q_lower)) continue;
    if (items.size() == page->limit) {
      next = last;
      break;
    }
    items.push_back(&rendered.emplace_back(json::serialize(entry(ctx, p))));
    last = p.key;
  }
  auto res = ok_json(json_array(items));
  set_links(res, ctx.org.url(), kCatalogPath, ctx.query, next);
  return res;
}

Result<http::Response> get(Ctx& ctx) {
  auto p = ctx.deps.directory.published(ctx.params[0]);
  if (!p || !p->listed) return not_found(ctx.params[0]);  // unpublished: not in the catalog
  return ok_json(json::serialize(entry(ctx, *p)));
}
}  // namespace

void register_catalog(ApiRouter& r) {
  using M = http::Method;
  // Any admin who may see integrations (okta.oauthIntegrations.read: SUPER_ADMIN, ORG_ADMIN,
  // APP_ADMIN, READ_ONLY_ADMIN), or a service app with that scope and such a role.
  domain::Permission read{domain::Resource::oauthIntegrations, domain::Action::read};
  r.add(M::get, "/api/v1/catalog/integrations", {read, list});
  r.add(M::get, "/api/v1/catalog/integrations/{integrationId}", {read, get});
}

}  // namespace gh::api::integrations
