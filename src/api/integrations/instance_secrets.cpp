// ORG/integrations/api/v1/api-services/{apiServiceId}/credentials/secrets (issue 15; MGMT-OAS
// APIServiceIntegrationInstanceSecret, okta-compat.md §5, §6): the instance's client secrets,
// through the same code as an app's (api/apps/credentials.cpp, secrets.cpp): generated, shown
// once, stored as their MAC; at most two ACTIVE (a third create or activate → 400); the last
// ACTIVE one cannot be deactivated (the install would lose every way in: uninstall instead);
// deleted only when INACTIVE. A deactivated secret authenticates no more token requests.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "api/apps/apps.hpp"
#include "api/common/json_body.hpp"
#include "api/common/respond.hpp"
#include "api/integrations/instances.hpp"
#include "crypto/credential.hpp"
#include "model/org_model.hpp"

namespace gh::api::integrations {
namespace {
namespace json = boost::json;
using apps::kActive;

json::object link(std::string href, std::string_view method) {
  return json::object{{"href", std::move(href)}, {"hints", json::object{{"allow", json::array{method}}}}};
}

// MGMT-OAS APIServiceIntegrationSecretLinks: an ACTIVE secret links deactivate; an INACTIVE one
// activate and delete.
std::string render(const Ctx& ctx, const domain::Document& s, const core::SecretString* value) {
  auto o = apps::public_body(s.body);
  if (value) o["client_secret"] = value->reveal();
  auto self = instance_url(ctx, s.parent) + "/credentials/secrets/" + s.id;
  json::object links;
  if (apps::str_member(s.body, "status") == kActive) {
    links["deactivate"] = link(self + "/lifecycle/deactivate", "POST");
  } else {
    links["activate"] = link(self + "/lifecycle/activate", "POST");
    links["delete"] = link(self, "DELETE");
  }
  o["_links"] = std::move(links);
  return json::serialize(o);
}

std::string render_masked(const Ctx& ctx, const domain::Document& s) { return render(ctx, s, nullptr); }

std::optional<ApiError> refuse_status(const Ctx& ctx, const domain::Document& app, const domain::Document&,
                                      std::string_view status) {
  auto active = apps::active_secret_count(ctx, app.id);
  if (status == kActive && active >= apps::kMaxActiveSecrets) return apps::too_many_active_secrets();
  if (status != kActive && active <= 1)
    return validation_failed("client_secret", {"client_secret: The last ACTIVE client secret of an API service "
                                               "integration instance cannot be deactivated; create another first."});
  return std::nullopt;
}

constexpr apps::CredentialKind kInstanceSecret{domain::kind::client_secret,
                                               "APIServiceIntegrationInstanceSecret",
                                               "{secretId}",
                                               render_masked,
                                               apps::secret_still_active,
                                               true,
                                               refuse_status,
                                               find_instance,
                                               instance_not_found,
                                               "/integrations/api/v1/api-services/"};

Result<http::Response> list(Ctx& ctx) { return apps::list_credentials(ctx, kInstanceSecret, "/credentials/secrets"); }

// MGMT-OAS createApiServiceIntegrationInstanceSecret: no body, a new ACTIVE secret (201).
Result<http::Response> create(Ctx& ctx, const domain::Document& app, const json::object&) {
  if (apps::active_secret_count(ctx, app.id) >= apps::kMaxActiveSecrets) return apps::too_many_active_secrets();
  auto value = crypto::generate_credential(ctx.deps.random, crypto::CredentialKind::client_secret);
  auto doc = apps::new_client_secret(ctx, app.id, value);
  if (auto c = commit(ctx, {store::PutDocument{doc}}); !c) return c.error();
  return ok_json(render(ctx, *ctx.org.doc(domain::kind::client_secret, doc.id), &value), 201);
}
}  // namespace

void register_instance_secrets(ApiRouter& r) {
  apps::register_credential_routes(r, kInstanceSecret, std::string(kInstancesPath) + "/{apiServiceId}/credentials/secrets",
                                   domain::Resource::oauthIntegrations, list, create);
}

}  // namespace gh::api::integrations
