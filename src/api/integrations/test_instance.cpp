// POST ORG/integrations/api/v1/submissions/{submissionId}/test-instance (issue 15, vendor side):
// installs the submission as it is now into the vendor's own org, exactly as a customer install
// (api_services.cpp) would: 201 with the instance and its client secret, shown once. Its declared
// scopes are a snapshot of the draft's (later edits do not reach it: run a new test instance), it
// is marked `testInstance: true` in every rendering and event, and it is managed, consented to
// and uninstalled like any instance. Body: optional {"grantedScopes"} (default: all declared).
// Needs the vendor permission (manifests.manage) and, being an install, oauthIntegrations.manage.
#include <boost/json/serialize.hpp>

#include "api/common/authn.hpp"
#include "api/common/json_body.hpp"
#include "api/common/respond.hpp"
#include "api/integrations/instances.hpp"
#include "domain/json_fields.hpp"
#include "model/org_model.hpp"

namespace gh::api::integrations {
namespace {
namespace json = boost::json;
using domain::str_member;

const json::object* object_at(const json::object& o, std::string_view name) {
  auto* v = o.if_contains(name);
  return v ? v->if_object() : nullptr;
}

Result<http::Response> test_instance(Ctx& ctx) {
  const domain::Permission install_perm{domain::Resource::oauthIntegrations, domain::Action::manage};
  // okta-compat.md §3: scope first (403 insufficient_scope), then roles (403 E0000006).
  if (!ctx.principal.has_scope(install_perm))
    return insufficient_scope(ctx.org.url(), install_perm, ctx.req.path, ctx.principal.dpop);
  if (!ctx.principal.permissions.allows(install_perm)) return forbidden();
  auto* d = ctx.org.doc(domain::kind::submission, ctx.params[0]);  // scoped to this org
  if (!d) return not_found(ctx.params[0]);
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body) return body.error();
  InstallSource src{d->id, std::string(ctx.org.id().view()), std::string(str_member(d->body, "name")),
                    std::string(str_member(d->body, "logo")), {}, {}, true};
  if (auto* api = object_at(d->body, "apiService")) {
    src.config_guide_url = std::string(str_member(*api, "configGuideUrl"));
    if (auto* scopes = api->if_contains("scopes"); scopes && scopes->is_array())
      for (auto& s : scopes->get_array())
        if (auto* o = s.if_object(); o && !str_member(*o, "scope").empty())
          src.declared.emplace_back(str_member(*o, "scope"));
  }
  if (src.declared.empty())
    return validation_failed("apiService", {"apiService.scopes: A test instance needs at least one declared scope"});
  std::vector<std::string> causes;
  auto granted = parse_granted_scopes(*body, src.declared, causes);
  if (!granted) return validation_failed("grantedScopes", std::move(causes));
  return install(ctx, src, *granted);
}
}  // namespace

void register_test_instance(ApiRouter& r) {
  r.add(http::Method::post, "/integrations/api/v1/submissions/{submissionId}/test-instance",
        {domain::Permission{domain::Resource::manifests, domain::Action::manage}, test_instance});
}

}  // namespace gh::api::integrations
