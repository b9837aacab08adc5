// ORG/integrations/api/v1/api-services (issue 15, customer side; MGMT-OAS ApiServiceIntegrations,
// okta-compat.md §5, §6): install a published integration (201, the client secret shown once),
// list (paged with after/limit), get, and uninstall (204). Permission oauthIntegrations, scopes
// okta.oauthIntegrations.read/manage.
#include <boost/json/serialize.hpp>

#include <deque>
#include <shared_mutex>
#include <variant>

#include "api/apps/apps.hpp"
#include "api/common/json_body.hpp"
#include "api/common/listing.hpp"
#include "api/common/pagination.hpp"
#include "api/common/respond.hpp"
#include "api/integrations/instances.hpp"
#include "api/integrations/submission.hpp"
#include "domain/integration.hpp"
#include "domain/json_fields.hpp"
#include "model/org_model.hpp"

namespace gh::api::integrations {
namespace {
namespace json = boost::json;
using domain::str_member;

// Why `type` cannot be installed (a cause for errorCauses), or the published version to install.
// Only a listed published integration takes new installs; a DRAFT, SUBMITTED or REJECTED
// submission that was never published, or an unpublished or revoked one, does not.
std::variant<std::shared_ptr<const domain::PublishedIntegration>, std::string> installable(const Ctx& ctx,
                                                                                          std::string_view type) {
  auto owner = ctx.deps.directory.integration_owner(type);
  auto p = ctx.deps.directory.published(type);
  if (!owner && !p) return "type: No API service integration has the type " + std::string(type);
  if (!p) {
    std::string st = "unpublished";
    if (auto* o = owner ? ctx.deps.directory.by_id(*owner) : nullptr) {
      // This org's mutex is already held shared by the request. Taking the vendor's shared too
      // cannot deadlock: this POST runs on the one writer thread, the only one that ever locks
      // an org exclusively.
      std::shared_lock lock(o->mutex(), std::defer_lock);
      if (o != &ctx.org) lock.lock();
      if (auto* d = o->doc(domain::kind::submission, type)) st = std::string(str_member(d->body, "status"));
    }
    return "type: The integration " + std::string(type) + " is " + st +
           " and has never been published; only published integrations can be installed";
  }
  if (p->revoked) return "type: The integration " + std::string(type) + " was revoked by the operator";
  if (!p->listed) return "type: The integration " + std::string(type) + " was unpublished and takes no new installs";
  return p;
}

Result<http::Response> create(Ctx& ctx) {
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body) return body.error();
  auto* t = body->if_contains("type");
  if (!t || !t->is_string() || t->get_string().empty())
    return validation_failed("type", {"type: The field cannot be left blank"});
  auto type = std::string(t->get_string());
  auto found = installable(ctx, type);
  if (auto* why = std::get_if<std::string>(&found)) return validation_failed("type", {*why});
  auto& p = std::get<0>(found);
  InstallSource src{p->key, std::string(p->vendor_org.view()), p->name, p->logo, p->config_guide_url, {}, false};
  for (auto& s : p->scopes) src.declared.push_back(s.scope);
  std::vector<std::string> causes;
  auto granted = parse_granted_scopes(*body, src.declared, causes);
  if (!granted) return validation_failed("grantedScopes", std::move(causes));
  return install(ctx, src, *granted);
}

Result<http::Response> list(Ctx& ctx) {
  auto page = parse_page(ctx.query, 20, 200);
  if (!page) return page.error();
  std::deque<std::string> rendered;
  auto out = collect_page(
      ctx.org.docs(domain::kind::app), *page, [](const domain::Document& d) { return apps::is_integration_instance(d); },
      [&](const domain::Document& d) { return json::serialize(render_instance(ctx, d)); }, rendered);
  auto res = ok_json(json_array(out.items));
  set_links(res, ctx.org.url(), kInstancesPath, ctx.query, out.next_after);
  return res;
}

Result<http::Response> get(Ctx& ctx) {
  auto* app = find_instance(ctx, ctx.params[0]);
  if (!app) return instance_not_found(ctx.params[0]);
  return ok_json(json::serialize(render_instance(ctx, *app)));
}

// Uninstall (MGMT-OAS deleteApiServiceIntegrationInstance: "also revokes access to scopes that
// were previously granted"): the app goes with its secrets and grants, and the verifier refuses
// its tokens from the next request on (an unknown client).
Result<http::Response> remove(Ctx& ctx) {
  auto* app = find_instance(ctx, ctx.params[0]);
  if (!app) return instance_not_found(ctx.params[0]);
  auto scopes = scopes_of(ctx, *app);
  json::array consented;
  for (auto& s : scopes.consented) consented.emplace_back(s);
  store::ChangeSet changes{
      instance_event(ctx, "oin.integration.uninstall", "Uninstall API service integration", *app,
                     {{"grantedScopes", std::move(consented)}}),
      store::DeleteDocument{std::string(domain::kind::app), app->id}};
  for (auto* r : ctx.org.roles_of(domain::PrincipalType::CLIENT, app->id)) changes.push_back(store::DeleteRole{r->id});
  if (auto c = commit(ctx, changes); !c) return c.error();
  return no_content();
}
}  // namespace

void register_api_services(ApiRouter& r) {
  using M = http::Method;
  const domain::Permission read{domain::Resource::oauthIntegrations, domain::Action::read};
  const domain::Permission manage{domain::Resource::oauthIntegrations, domain::Action::manage};
  const std::string base(kInstancesPath);
  r.add(M::get, base, {read, list});
  r.add(M::post, base, {manage, create});
  r.add(M::get, base + "/{apiServiceId}", {read, get});
  r.add(M::delete_, base + "/{apiServiceId}", {manage, remove});
}

}  // namespace gh::api::integrations
