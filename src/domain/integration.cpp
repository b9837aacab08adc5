#include "domain/integration.hpp"

#include <boost/json/array.hpp>

#include "domain/json_fields.hpp"

namespace gh::domain {
namespace json = boost::json;

std::optional<PublishedIntegration> parse_published(const json::object& p, std::string key, core::OrgId vendor_org) {
  PublishedIntegration out;
  out.key = std::move(key);
  out.vendor_org = std::move(vendor_org);
  out.name = str_member(p, "name");
  out.description = str_member(p, "description");
  out.logo = str_member(p, "logo");
  out.published_at = str_member(p, "publishedAt");
  if (auto* v = p.if_contains("version"); v && v->is_int64()) out.version = v->get_int64();
  if (auto* v = p.if_contains("listed"); v && v->is_bool()) out.listed = v->get_bool();
  if (auto* v = p.if_contains("revoked"); v && v->is_bool()) out.revoked = v->get_bool();
  if (auto* s = p.if_contains("apiService"); s && s->is_object()) {
    auto& svc = s->get_object();
    out.config_guide_url = str_member(svc, "configGuideUrl");
    if (auto* a = svc.if_contains("scopes"); a && a->is_array())
      for (auto& e : a->get_array())
        if (auto* o = e.if_object(); o && !str_member(*o, "scope").empty())
          out.scopes.push_back({std::string(str_member(*o, "scope")), std::string(str_member(*o, "reason"))});
  }
  if (auto* since = p.if_contains("scopeSince"); since && since->is_object())
    for (auto& [scope, at] : since->get_object())
      if (at.is_string()) out.scope_since.emplace(std::string(scope), std::string(at.get_string()));
  if (out.name.empty() || out.version <= 0) return std::nullopt;
  return out;
}

bool grant_in_force(const PublishedIntegration& p, std::string_view scope, std::string_view granted_at) {
  auto it = p.scope_since.find(scope);
  return it == p.scope_since.end() || granted_at >= it->second;  // same ISO format: ordered as text
}

std::optional<PublishedIntegration> published_of(const json::object& body, std::string key, core::OrgId vendor_org) {
  auto* gh = body.if_contains("_gh");
  auto* p = gh && gh->is_object() ? gh->get_object().if_contains("published") : nullptr;
  if (!p || !p->is_object()) return std::nullopt;
  return parse_published(p->get_object(), std::move(key), std::move(vendor_org));
}

}  // namespace gh::domain
