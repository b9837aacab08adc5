// POST /api/v1/orgs: Okta's org creator API (issue #2). Allowed to a SUPER_ADMIN of the first org;
// creates the org at base_url/o/{subdomain} with its admin and Everyone, and answers 201 with an
// API token for that admin (shown once).
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <spdlog/spdlog.h>

#include "api/common/audit.hpp"
#include "api/common/json_body.hpp"
#include "api/common/respond.hpp"
#include "api/common/routes.hpp"
#include "api/common/search_params.hpp"
#include "api/orgs/bootstrap.hpp"
#include "crypto/password.hpp"
#include "store/errc.hpp"

namespace gh::api {
namespace orgs {
namespace {
namespace json = boost::json;

bool valid_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

Result<http::Response> create(Ctx& ctx) {
  if (!ctx.org.org().slug.empty() || !ctx.principal.is_super_admin) return forbidden();
  auto body_v = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body_v) return body_v.error();
  auto& body = *body_v;
  FieldReader r(body);
  auto subdomain = r.string("subdomain", true, "subdomain");
  auto name = r.string("name", true, "name");
  auto website = r.string("website", false, "website");
  auto edition = r.string("edition", false, "edition");
  std::vector<std::string> causes = r.causes();
  if (subdomain && !valid_subdomain(*subdomain))
    causes.push_back("subdomain: Use 1 to 63 lowercase letters, digits and hyphens");
  if (subdomain && ctx.deps.directory.by_slug(*subdomain))
    causes.push_back("subdomain: An org with this subdomain already exists");
  // The first admin: `admin: {profile, credentials}` (MGMT-OAS ChildOrg/OrgCreationAdmin, what
  // okta-sdk-nodejs 8.x sends) or the older `okta: {user: {profile, credentials}}`; not both.
  const bool documented_form = body.contains("admin");
  const std::string at = documented_form ? "admin" : "okta.user";
  if (documented_form && body.contains("okta"))
    causes.push_back("admin: Give the first admin either as admin or as okta.user, not both");
  auto profile = lookup_path(body, at + ".profile");
  if (!profile || !profile->is_object()) causes.push_back(at + ".profile: The field cannot be left blank");
  json::object admin;
  if (profile && profile->is_object()) {
    admin = profile->get_object();
    FieldReader pr(admin);
    auto email = pr.string("email", true, at + ".profile.email");
    pr.string("firstName", true, at + ".profile.firstName");
    pr.string("lastName", true, at + ".profile.lastName");
    if (!admin.contains("login") && email) admin["login"] = *email;
    for (auto& c : pr.causes()) causes.push_back(c);
  }
  // Gatehouse requires the password (MGMT-OAS lets `credentials` out, for a sign-in flow it lacks).
  auto password = lookup_path(body, at + ".credentials.password.value");
  if (!password || !password->is_string() || password->get_string().size() < 8)
    causes.push_back(at + ".credentials.password.value: Password requirements were not met");
  if (!causes.empty()) return validation_failed("org", causes);

  auto now = ctx.now();
  auto b = bootstrap_org(ctx.deps.random, ctx.deps.pepper, ctx.deps.sealer, now, *subdomain, *name,
                         std::move(admin), crypto::hash_password(password->get_string()), 1);
  if (b.error) return commit_failed(b.error);
  // account.org.add in the new org's log (same transaction) and in the creating org's (issue #4).
  auto event = audit::request_event(ctx, "account.org.add", "Create org",
                                    {{b.org.id, "Org", b.org.slug, b.org.name, {}}});
  b.changes.push_back(store::AppendEvent{event});
  if (auto c = ctx.deps.store.create_org(b.org, b.changes); !c) return commit_failed(c.error());
  event.uuid = domain::new_event_uuid(ctx.deps.random);
  if (auto c = commit(ctx, {store::AppendEvent{std::move(event)}}); !c)
    spdlog::warn("org created but not recorded in the creating org's log org={} error=\"{}\"", b.org.id,
                 c.error().cause.message());
  auto snap = ctx.deps.store.load_org(core::OrgId{b.org.id});
  if (!snap) return commit_failed(snap.error());
  auto& model = ctx.deps.add_org(std::move(*snap));
  // MGMT-OAS CreateChildOrgResponseEx: links to the org resource and to its first admin.
  auto href = [](std::string url) { return json::object{{"href", std::move(url)}}; };
  json::object links{{"organization", href(model.url() + "/api/v1/orgs/" + b.org.slug)},
                     {"administrator", href(model.url() + "/api/v1/users/" + b.admin_id)}};
  json::object out{{"id", b.org.id},
                   {"subdomain", b.org.slug},
                   {"name", b.org.name},
                   {"website", website.value_or("")},
                   {"status", "ACTIVE"},
                   {"edition", edition.value_or("")},
                   {"expiresAt", nullptr},
                   {"created", iso(now)},
                   {"lastUpdated", iso(now)},
                   {"orgUrl", model.url()},
                   {"token", b.tokens.front().reveal()},  // shown once
                   {"tokenType", "SSWS"},
                   {"_links", std::move(links)}};
  return ok_json(json::serialize(out), 201);
}
}  // namespace
}  // namespace orgs

void register_orgs(ApiRouter& r) {
  r.add(http::Method::post, "/api/v1/orgs", {domain::Permission{domain::Resource::orgs, domain::Action::manage}, orgs::create});
}

}  // namespace gh::api
