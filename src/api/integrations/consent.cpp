// POST ORG/integrations/api/v1/api-services/{apiServiceId}/lifecycle/consent {"grantedScopes"}
// (issue 15, Gatehouse's extension): the org's admin consents to the scopes its install holds.
// `grantedScopes` is the whole new set, a subset of the scopes the integration declares now
// (absent: all of them), exactly as at install: scopes a new published version added reach the
// install only through this, and a scope left out is withdrawn (its grant goes). Until then the
// install keeps working with what it had (oauth/verify/integration_scopes.hpp). 200 with the
// instance; an oin.integration.consent event names the scopes added and withdrawn.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "api/apps/apps.hpp"
#include "api/common/json_body.hpp"
#include "api/common/respond.hpp"
#include "api/integrations/instances.hpp"
#include "domain/json_fields.hpp"
#include "model/org_model.hpp"
#include "oauth/verify/integration_scopes.hpp"

namespace gh::api::integrations {
namespace {
namespace json = boost::json;
using domain::str_member;

Result<http::Response> consent(Ctx& ctx) {
  auto* app = find_instance(ctx, ctx.params[0]);
  if (!app) return instance_not_found(ctx.params[0]);
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body) return body.error();
  auto inst = instance_of(*app);
  if (oauth::instance_revoked(ctx.deps.directory, inst))
    return validation_failed("type", {"type: The integration " + inst.type + " was revoked by the operator"});
  auto declared = oauth::declared_scopes_now(ctx.deps.directory, inst);
  std::vector<std::string> causes;
  auto wanted = parse_granted_scopes(*body, declared, causes);
  if (!wanted) return validation_failed("grantedScopes", std::move(causes));
  auto has = [](const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  store::ChangeSet changes;
  json::array added, withdrawn;
  std::vector<std::string> held;
  for (auto* g : ctx.org.children(domain::kind::scope_grant, app->id)) {
    auto scope = std::string(str_member(g->body, "scopeId"));
    // A grant made before the scope's current run of declaration (dropped, then declared again)
    // is replaced: this consent is what puts it in force.
    if (has(*wanted, scope) && str_member(g->body, "status") == apps::kActive && !has(held, scope) &&
        oauth::instance_grant_in_force(ctx.deps.directory, inst, *g)) {
      held.push_back(scope);
      continue;
    }
    changes.push_back(store::DeleteDocument{std::string(domain::kind::scope_grant), g->id});
    if (!has(*wanted, scope)) withdrawn.emplace_back(scope);
  }
  for (auto& s : *wanted)
    if (!has(held, s)) {
      changes.push_back(store::PutDocument{apps::new_scope_grant(ctx, app->id, s)});
      added.emplace_back(s);
    }
  if (!changes.empty()) {
    json::array granted;
    for (auto& s : *wanted) granted.emplace_back(s);
    changes.push_back(instance_event(ctx, "oin.integration.consent", "Consent to API service integration scopes",
                                     *app, {{"grantedScopes", std::move(granted)}, {"scopesAdded", std::move(added)},
                                            {"scopesWithdrawn", std::move(withdrawn)}}));
    if (auto c = commit(ctx, changes); !c) return c.error();
  }
  return ok_json(json::serialize(render_instance(ctx, *find_instance(ctx, ctx.params[0]))));
}
}  // namespace

void register_consent(ApiRouter& r) {
  r.add(http::Method::post, std::string(kInstancesPath) + "/{apiServiceId}/lifecycle/consent",
        {domain::Permission{domain::Resource::oauthIntegrations, domain::Action::manage}, consent});
}

}  // namespace gh::api::integrations
