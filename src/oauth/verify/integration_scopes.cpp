// Issue 15: an integration instance's usable scopes, from the current published version.
#include "oauth/verify/integration_scopes.hpp"

#include <algorithm>

#include "domain/integration.hpp"
#include "domain/json_fields.hpp"
#include "oauth/verify/access_token_verifier.hpp"

namespace gh::oauth {
namespace {
// The published version of the instance's integration, if its vendor org still publishes it.
std::shared_ptr<const domain::PublishedIntegration> published_of(const model::Directory& dir,
                                                                 const domain::IntegrationInstance& inst) {
  auto p = dir.published(inst.type);
  if (!p || p->vendor_org.view() != inst.vendor_org) return nullptr;
  return p;
}
}  // namespace

bool instance_revoked(const model::Directory& dir, const domain::IntegrationInstance& inst) {
  if (inst.test_instance) return false;
  auto p = published_of(dir, inst);
  return !p || p->revoked;
}

std::vector<std::string> declared_scopes_now(const model::Directory& dir, const domain::IntegrationInstance& inst) {
  if (inst.test_instance) return inst.declared_scopes;
  std::vector<std::string> out;
  if (auto p = published_of(dir, inst); p && !p->revoked)
    for (auto& s : p->scopes) out.push_back(s.scope);
  return out;
}

bool instance_grant_in_force(const model::Directory& dir, const domain::IntegrationInstance& inst,
                             const domain::Document& grant) {
  if (inst.test_instance) return true;
  auto p = published_of(dir, inst);
  return !p || domain::grant_in_force(*p, domain::str_member(grant.body, "scopeId"),
                                      domain::str_member(grant.body, "created"));
}

bool may_use_scope(const model::Directory& dir, const model::OrgModel& org, std::string_view client_id,
                   std::string_view scope) {
  auto* app = org.client(core::ClientId{client_id});
  if (!app || !app->client || !app->client->integration) return has_active_grant(org, client_id, scope);
  auto& inst = *app->client->integration;
  auto declared = declared_scopes_now(dir, inst);
  if (std::find(declared.begin(), declared.end(), scope) == declared.end()) return false;
  for (auto* g : org.children(domain::kind::scope_grant, client_id))
    if (domain::str_member(g->body, "scopeId") == scope && domain::str_member(g->body, "status") == "ACTIVE" &&
        instance_grant_in_force(dir, inst, *g))
      return true;
  return false;
}

}  // namespace gh::oauth
