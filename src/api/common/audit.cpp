#include "api/common/audit.hpp"
#include "domain/json_fields.hpp"

#include <boost/json/string.hpp>

namespace gh::api::audit {
namespace {
namespace json = boost::json;

using domain::str_member;

}  // namespace

domain::LogEvent base_event(const Deps& deps, const http::Request& req, std::string_view type,
                            std::string display_message) {
  domain::LogEvent e;
  e.uuid = domain::new_event_uuid(deps.random);
  e.published = core::epoch_ms(deps.clock.now());
  e.event_type = std::string(type);
  e.display_message = std::move(display_message);
  e.client.ip_address = req.remote_addr;
  e.client.user_agent = domain::sanitize_user_agent(req.header("User-Agent"));
  e.transaction_id = req.request_id;
  if (!req.request_id.empty()) e.debug_data["requestId"] = req.request_id;
  e.debug_data["requestUri"] = req.path;  // the path only: a query string is request data
  return e;
}

namespace {
void attribute_to(domain::LogEvent& e, const Principal& p, const model::OrgModel& org) {
  e.actor = actor_of(p, org);
  if (p.type == CredentialType::ssws && p.session) {
    e.credential_type = "OKTA_CLIENT_SESSION";  // the admin console's cookie (issue 17; MGMT-OAS LogCredentialType)
  } else if (p.type == CredentialType::ssws) {
    e.transaction_detail["requestApiTokenId"] = p.token_id;  // MGMT-OAS LogTransaction
    e.credential_type = "API_TOKEN";
  } else {
    e.client.id = p.client_id;
    e.credential_type = "OAuth 2.0";  // MGMT-OAS LogCredentialType
  }
}
}  // namespace

domain::LogActor actor_of(const Principal& p, const model::OrgModel& org) {
  if (p.type == CredentialType::ssws) {
    if (auto* u = org.user(core::UserId{p.user_id})) return domain::user_actor(u->user);
    return {p.user_id, "User", "", ""};
  }
  std::string label;
  if (auto* app = org.doc(domain::kind::app, p.client_id)) label = std::string(str_member(app->body, "label"));
  return {p.client_id, "PublicClientApp", p.client_id, label};
}

domain::LogTarget app_target(const domain::Document& app) {
  std::string label(str_member(app.body, "label"));
  return {app.id, "AppInstance", label, label, {}};
}

domain::LogEvent request_event(const Ctx& ctx, std::string_view type, std::string display_message,
                               std::vector<domain::LogTarget> targets) {
  auto e = base_event(ctx.deps, ctx.req, type, std::move(display_message));
  attribute_to(e, ctx.principal, ctx.org);
  e.target = std::move(targets);
  return e;
}

void record_first_use(const Deps& deps, const http::Request& req, const model::OrgModel& org,
                      const domain::ApiToken& token, const domain::User& owner) {
  if (!deps.events) return;
  auto e = base_event(deps, req, "system.api_token.first_used", "API token used for the first time");
  e.actor = domain::user_actor(owner);
  e.transaction_detail["requestApiTokenId"] = token.id;
  e.credential_type = "API_TOKEN";
  e.target = {domain::token_target(token), domain::user_target(owner)};
  deps.events->push(org.org().id, e);
}

void record_rate_limit_violation(const Deps& deps, const http::Request& req, const model::OrgModel& org,
                                 std::string_view family, const Principal& principal) {
  if (!deps.events) return;
  auto e = base_event(deps, req, "system.org.rate_limit.violation",
                      "Rate limit violation for the " + std::string(family) + " endpoints");
  attribute_to(e, principal, org);
  e.severity = domain::severity::warn;
  e.outcome_result = domain::outcome::deny;
  e.outcome_reason = "RATE_LIMIT";
  e.debug_data["rateLimitFamily"] = std::string(family);
  e.target = {{org.org().id, "Org", org.org().name, org.org().name, {}}};
  deps.events->push(org.org().id, e);
}

bool ViolationThrottle::should_record(std::string_view org_id, std::string_view family, std::int64_t now_ms) {
  constexpr std::int64_t kWindowMs = 60'000;
  std::string key = std::string(org_id) + "/" + std::string(family);
  std::lock_guard lk(mu_);
  if (last_ms_.size() > 100'000) last_ms_.clear();  // bounded: orgs × families
  auto [it, fresh] = last_ms_.try_emplace(std::move(key), now_ms);
  if (fresh) return true;
  if (now_ms - it->second < kWindowMs) return false;
  it->second = now_ms;
  return true;
}

}  // namespace gh::api::audit
