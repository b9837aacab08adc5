// The shared parts of API service integration instances (issue 15): finding, installing,
// rendering and the System Log events. The wire shape is MGMT-OAS APIServiceIntegrationInstance
// (okta-compat.md §5 "API service integration").
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "api/apps/apps.hpp"
#include "api/apps/json_mapping.hpp"
#include "api/common/audit.hpp"
#include "api/common/json_body.hpp"
#include "api/common/respond.hpp"
#include "api/integrations/instances.hpp"
#include "api/integrations/routes.hpp"
#include "core/ids.hpp"
#include "crypto/credential.hpp"
#include "domain/integration.hpp"
#include "domain/json_fields.hpp"
#include "model/org_model.hpp"
#include "oauth/verify/integration_scopes.hpp"

namespace gh::api::integrations {
namespace {
namespace json = boost::json;
using domain::str_member;

const json::object* integration_member(const domain::Document& app) {
  auto* gh = app.body.if_contains("_gh");
  auto* i = gh && gh->is_object() ? gh->get_object().if_contains("integration") : nullptr;
  return i ? i->if_object() : nullptr;
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (auto& s : v) a.emplace_back(s);
  return a;
}

// Name, logo and configuration guide: a customer install shows the published version's as
// they are now; a test instance (or an install whose integration is gone) its snapshot.
struct Display {
  std::string name, logo, config_guide_url;
};
Display display_of(const Ctx& ctx, const domain::Document& app) {
  auto* i = integration_member(app);
  Display d{std::string(str_member(*i, "name")), std::string(str_member(*i, "logo")),
            std::string(str_member(*i, "configGuideUrl"))};
  auto inst = instance_of(app);
  if (inst.test_instance) return d;
  if (auto p = ctx.deps.directory.published(inst.type); p && p->vendor_org.view() == inst.vendor_org)
    d = {p->name, p->logo, p->config_guide_url};
  return d;
}

json::object hints(std::initializer_list<std::string_view> methods) {
  json::array a;
  for (auto m : methods) a.emplace_back(m);
  return json::object{{"allow", std::move(a)}};
}
}  // namespace

const domain::Document* find_instance(const Ctx& ctx, std::string_view id) {
  auto* d = ctx.org.doc(domain::kind::app, id);
  return d && integration_member(*d) ? d : nullptr;
}

ApiError instance_not_found(std::string_view id) {
  return not_found(std::string(id) + " (APIServiceIntegrationInstance)");
}

std::string instance_url(const Ctx& ctx, std::string_view id) {
  return ctx.org.url() + std::string(kInstancesPath) + "/" + std::string(id);
}

domain::IntegrationInstance instance_of(const domain::Document& app) {
  auto record = domain::parse_client_record(app.body);
  return record.integration.value_or(domain::IntegrationInstance{});
}

std::optional<std::vector<std::string>> parse_granted_scopes(const json::object& body,
                                                             const std::vector<std::string>& declared,
                                                             std::vector<std::string>& causes) {
  auto* v = body.if_contains("grantedScopes");
  if (!v || v->is_null()) return declared;  // default: every declared scope
  if (!v->is_array() || v->get_array().empty()) {
    causes.push_back("grantedScopes: Must be a non-empty array of the integration's declared scopes");
    return std::nullopt;
  }
  std::vector<std::string> out;
  std::size_t before = causes.size();
  for (std::size_t i = 0; i < v->get_array().size(); ++i) {
    auto& s = v->get_array()[i];
    auto at = "grantedScopes[" + std::to_string(i) + "]: ";
    if (!s.is_string()) causes.push_back(at + "Must be a string");
    else if (!contains(declared, s.get_string()))
      causes.push_back(at + "The integration does not declare the scope " + std::string(s.get_string()));
    else if (contains(out, s.get_string())) causes.push_back(at + "The scope is listed twice");
    else out.emplace_back(s.get_string());
  }
  if (causes.size() != before) return std::nullopt;
  return out;
}

InstanceScopes scopes_of(const Ctx& ctx, const domain::Document& app) {
  InstanceScopes out;
  auto inst = instance_of(app);
  auto declared = oauth::declared_scopes_now(ctx.deps.directory, inst);
  // Consented: an ACTIVE grant in force (one made before the scope was dropped and declared
  // again is pending until consent renews it).
  for (auto* g : ctx.org.children(domain::kind::scope_grant, app.id))
    if (str_member(g->body, "status") == apps::kActive && oauth::instance_grant_in_force(ctx.deps.directory, inst, *g))
      out.consented.emplace_back(str_member(g->body, "scopeId"));
  // Declaration order, so that a listing reads like the catalog.
  for (auto& s : declared) (contains(out.consented, s) ? out.usable : out.pending).push_back(s);
  return out;
}

json::object render_instance(const Ctx& ctx, const domain::Document& app, const core::SecretString* secret) {
  auto* i = integration_member(app);
  auto inst = instance_of(app);
  auto shown = display_of(ctx, app);
  auto scopes = scopes_of(ctx, app);
  auto self = instance_url(ctx, app.id);
  json::object links{{"self", json::object{{"href", self}, {"hints", hints({"GET", "DELETE"})}}},
                     {"client", json::object{{"href", ctx.org.url() + "/oauth2/v1/clients/" + app.id},
                                             {"hints", hints({"GET"})}}}};
  if (!shown.logo.empty()) links["logo"] = json::object{{"name", "small"}, {"href", shown.logo}};  // an object here
  links["secrets"] = json::object{{"href", self + "/credentials/secrets"}, {"hints", hints({"GET", "POST"})}};
  links["consent"] = json::object{{"href", self + "/lifecycle/consent"}, {"hints", hints({"POST"})}};
  json::object o{{"id", app.id},
                 {"type", inst.type},
                 {"name", shown.name},
                 {"createdAt", str_member(app.body, "created")},
                 {"createdBy", str_member(*i, "createdBy")},
                 {"configGuideUrl", shown.config_guide_url},
                 {"grantedScopes", strings(scopes.usable)},
                 {"pendingScopes", strings(scopes.pending)},
                 {"testInstance", inst.test_instance}};
  if (secret) o["clientSecret"] = secret->reveal();  // MGMT-OAS postAPIServiceIntegrationInstance
  o["_links"] = std::move(links);
  return o;
}

store::AppendEvent instance_event(const Ctx& ctx, std::string_view type, std::string message,
                                  const domain::Document& app, json::object extra) {
  auto inst = instance_of(app);
  auto name = display_of(ctx, app).name;
  std::vector<domain::LogTarget> targets{
      {app.id, "AppInstance", std::string(str_member(app.body, "label")), name, {}},
      {inst.type, "OinIntegration", inst.vendor_org, name, {}}};
  auto e = audit::request_event(ctx, type, std::move(message), std::move(targets));
  e.debug_data["vendorOrg"] = inst.vendor_org;
  e.debug_data["integrationType"] = inst.type;
  e.debug_data["instanceId"] = app.id;
  e.debug_data["testInstance"] = inst.test_instance;
  for (auto& [k, v] : extra) e.debug_data[k] = v;
  return store::AppendEvent{std::move(e)};
}

Result<http::Response> install(Ctx& ctx, const InstallSource& src, const std::vector<std::string>& granted) {
  auto id = core::new_id(ctx.deps.random, core::id_prefix::app);
  auto now = iso(ctx.now());
  apps::AppInput in;
  // The app's label names a test instance as one, so events that carry only the client's label
  // (token grants at the token endpoint) mark it too.
  in.label = src.test_instance ? src.name + " (test instance)" : src.name;
  in.method = std::string(apps::kClientSecretBasic);  // okta-compat.md §4 table, §5
  domain::Document app{std::string(domain::kind::app), id, "", apps::app_body(id, in, apps::kActive, now, now)};
  json::object integration{{"type", src.type},
                           {"vendorOrg", src.vendor_org},
                           {"instanceId", id},
                           {"testInstance", src.test_instance},
                           {"createdBy", actor_id(ctx)},
                           {"name", src.name},
                           {"logo", src.logo},
                           {"configGuideUrl", src.config_guide_url}};
  if (src.test_instance) integration["declaredScopes"] = strings(src.declared);  // the draft's snapshot
  app.body["_gh"] = json::object{{"integration", std::move(integration)}};
  auto secret = crypto::generate_credential(ctx.deps.random, crypto::CredentialKind::client_secret);
  auto secret_doc = apps::new_client_secret(ctx, id, secret);
  store::ChangeSet changes{store::PutDocument{app}, store::PutDocument{secret_doc}};
  for (auto& s : granted) changes.push_back(store::PutDocument{apps::new_scope_grant(ctx, id, s)});
  changes.push_back(instance_event(ctx, "oin.integration.install",
                                   src.test_instance ? "Install API service integration test instance"
                                                     : "Install API service integration",
                                   app, {{"grantedScopes", strings(granted)}, {"secretId", secret_doc.id}}));
  if (auto c = commit(ctx, changes); !c) return c.error();
  return ok_json(json::serialize(render_instance(ctx, *find_instance(ctx, id), &secret)), 201);
}

}  // namespace gh::api::integrations
