#pragma once
// API service integration instances, customer side (issue 15; okta-compat.md §5 "API service
// integration", MGMT-OAS ApiServiceIntegrations): an install of a published integration, or a
// vendor's test instance of its draft, in the installing org.
//
// An instance is an OIDC service app (`app` document, id = client_id = instance id) using
// client_secret_basic, with `_gh.integration` {type, vendorOrg, instanceId, testInstance,
// createdBy, name, logo, configGuideUrl, declaredScopes (test instances only)}; its consented
// scopes are its `scope_grant` children and its secrets its `client_secret` children
// (docs/oauth-documents.md). /api/v1/apps does not show it: it changes only through
// ORG/integrations/api/v1/api-services. What it may use is computed at request time
// (oauth/verify/integration_scopes.hpp). All functions run under the org lock held shared.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/common/api_error.hpp"
#include "api/common/context.hpp"
#include "api/common/routes.hpp"
#include "core/secret_string.hpp"
#include "domain/client_record.hpp"
#include "domain/documents.hpp"

namespace gh::api::integrations {

inline constexpr std::string_view kInstancesPath = "/integrations/api/v1/api-services";

// The instance `id` of ctx.org, or nullptr: an id of another org, or an ordinary app, is unknown.
const domain::Document* find_instance(const Ctx& ctx, std::string_view id);
// 404 E0000007 naming the instance.
ApiError instance_not_found(std::string_view id);
// ORG/integrations/api/v1/api-services/{id}
std::string instance_url(const Ctx& ctx, std::string_view id);
// The parsed `_gh.integration` of an instance document.
domain::IntegrationInstance instance_of(const domain::Document& app);

// What an install is made from: a published version (customer install) or a draft (test instance).
struct InstallSource {
  std::string type, vendor_org, name, logo, config_guide_url;
  std::vector<std::string> declared;  // the declared scopes, in declaration order
  bool test_instance = false;
};

// The `grantedScopes` of a request body, checked against `declared`: absent means all of them;
// otherwise a non-empty array of distinct declared scopes. On a problem, appends its cause.
std::optional<std::vector<std::string>> parse_granted_scopes(const boost::json::object& body,
                                                             const std::vector<std::string>& declared,
                                                             std::vector<std::string>& causes);

// Installs `src` into ctx.org with `granted` (already checked): the app, its first secret, one
// grant per scope and the oin.integration.install event, in one commit. 201 with the instance
// and `clientSecret`, shown this once.
Result<http::Response> install(Ctx& ctx, const InstallSource& src, const std::vector<std::string>& granted);

// The scopes the org consented to (ACTIVE grants), those usable now (∩ declared now) and those
// declared now but not consented (pending), each in a stable order.
struct InstanceScopes {
  std::vector<std::string> consented, usable, pending;
};
InstanceScopes scopes_of(const Ctx& ctx, const domain::Document& app);

// The instance in Okta's APIServiceIntegrationInstance shape plus Gatehouse's `pendingScopes`
// and `testInstance`; with `clientSecret` only when `secret` is given (the install response).
boost::json::object render_instance(const Ctx& ctx, const domain::Document& app,
                                    const core::SecretString* secret = nullptr);

// A System Log event about instance `app` made by the request's principal: targets the instance
// and the integration; debugData names the vendor org, the integration type, the instance,
// testInstance and `extra` (scopes, secret ids). Never a secret.
store::AppendEvent instance_event(const Ctx& ctx, std::string_view type, std::string message,
                                  const domain::Document& app, boost::json::object extra = {});

void register_api_services(ApiRouter& r);     // api_services.cpp
void register_instance_secrets(ApiRouter& r);  // instance_secrets.cpp
void register_consent(ApiRouter& r);           // consent.cpp
void register_test_instance(ApiRouter& r);     // test_instance.cpp

}  // namespace gh::api::integrations
