// Issue 15: an integration instance's usable scopes, from the current published version.
#include "oauth/verify/integration_scopes.hpp"

#include <algorithm>

#include "domain/integration.hpp"
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

bool may_use_scope(const model::Directory& dir, const model::OrgModel& org, std::string_view client_id,
                   std::string_view scope) {
  if (!has_active_grant(org, client_id, scope)) return false;
  auto* app = org.client(core::ClientId{client_id});
  if (!app || !app->client || !app->client->integration) return true;
  auto declared = declared_scopes_now(dir, *app->client->integration);
  return std::find(declared.begin(), declared.end(), scope) != declared.end();
}

}  // namespace gh::oauth
