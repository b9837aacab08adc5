// /api/v1/apps/{appId}/grants (okta-compat.md §5 Scope consent grant, §6): which `okta.*` scopes
// the org authorization server may issue to the app. Stored as `scope_grant` documents
// (docs/oauth-documents.md); revoking one takes effect on the next API call.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "api/apps/apps.hpp"
#include "api/common/json_body.hpp"
#include "api/common/pagination.hpp"
#include "api/common/respond.hpp"
#include "core/ids.hpp"
#include "domain/permissions.hpp"
#include "model/org_model.hpp"

namespace gh::api::apps {
namespace grants {
namespace {
namespace json = boost::json;
using domain::Action;
using domain::Resource;

// okta.<resource>.read|manage for every Resource (DESIGN.md "Authorization model").
bool is_grantable_scope(std::string_view scope) {
  for (std::size_t i = 0; i < static_cast<std::size_t>(Resource::count_); ++i)
    for (auto a : {Action::read, Action::manage})
      if (domain::Permission{static_cast<Resource>(i), a}.scope() == scope) return true;
  return false;
}

std::string render(const Ctx& ctx, const domain::Document& g) {
  auto o = public_body(g.body);
  auto scope = std::string(str_member(g.body, "scopeId"));
  auto app = app_url(ctx, g.parent);
  o["_embedded"] = json::object{{"scope", json::object{{"id", scope}}}};
  o["_links"] = json::object{
      {"app", json::object{{"href", app}}},
      {"client", json::object{{"href", ctx.org.url() + "/oauth2/v1/clients/" + g.parent}}},
      {"self", json::object{{"href", app + "/grants/" + g.id},
                            {"hints", json::object{{"allow", json::array{"GET", "DELETE"}}}}}}};
  return json::serialize(o);
}

constexpr CredentialKind kGrant{domain::kind::scope_grant, "OAuth2ScopeConsentGrant", "{grantId}", render};

Result<http::Response> list(Ctx& ctx) { return list_credentials(ctx, kGrant, "/grants"); }

// POST {"issuer","scopeId"}: the issuer is the org URL (okta-compat.md §1.3), with or without
// one trailing slash; granting a scope the app already holds answers the existing grant.
Result<http::Response> create(Ctx& ctx, const domain::Document& app_doc, const json::object& body) {
  auto* app = &app_doc;
  FieldReader r(body);
  auto issuer = r.string("issuer", true, "issuer");
  auto scope = r.string("scopeId", true, "scopeId");
  if (issuer && *issuer != ctx.org.url() && *issuer != ctx.org.url() + "/")
    r.causes().push_back("issuer: The issuer must be the org URL " + ctx.org.url());
  if (scope && !is_grantable_scope(*scope))
    r.causes().push_back("scopeId: The scope is not an okta.* scope that can be granted");
  if (!r.ok()) return validation_failed("grant", r.causes());
  for (auto* g : ctx.org.children(domain::kind::scope_grant, app->id))
    if (str_member(g->body, "scopeId") == *scope) return ok_json(render(ctx, *g), 201);
  return commit_created(ctx, kGrant, new_scope_grant(ctx, app->id, *scope));
}

}  // namespace
}  // namespace grants

domain::Document new_scope_grant(const Ctx& ctx, std::string_view app_id, std::string_view scope) {
  namespace json = boost::json;
  auto now = iso(ctx.now());
  bool by_user = ctx.principal.type == CredentialType::ssws;
  domain::Document doc{std::string(domain::kind::scope_grant), core::new_id(ctx.deps.random, id_prefix::scope_grant),
                       std::string(app_id), {}};
  doc.body = json::object{{"id", doc.id},
                          {"status", kActive},
                          {"created", now},
                          {"lastUpdated", now},
                          {"issuer", ctx.org.url()},
                          {"clientId", app_id},
                          {"scopeId", scope},
                          {"source", "ADMIN"},
                          {"createdBy", json::object{{"id", by_user ? ctx.principal.user_id : ctx.principal.client_id},
                                                     {"type", by_user ? "User" : "Client"}}}};
  return doc;
}

void register_app_grants(ApiRouter& r) {
  register_credential_routes(r, grants::kGrant, "/api/v1/apps/{appId}/grants", domain::Resource::appGrants,
                             grants::list, grants::create);
}

}  // namespace gh::api::apps
