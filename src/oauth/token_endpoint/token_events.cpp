#include "oauth/token_endpoint/token_events.hpp"

#include <array>
#include <span>

#include "store/event_queue.hpp"

#include "domain/log_event.hpp"
#include "oauth/client_auth/client_auth.hpp"
#include "oauth/detail/json_access.hpp"
#include "oauth/form.hpp"

namespace gh::oauth {
namespace {

// `s` if every byte passes `keep` and it fits in `max` bytes; otherwise the bytes that pass, up
// to `max`, copied into `buf`. Request text is recorded only through this.
template <class Keep>
std::string_view filtered(std::string_view s, std::size_t max, Keep keep, std::string& buf) {
  bool clean = s.size() <= max;
  for (std::size_t i = 0; clean && i < s.size(); ++i) clean = keep(static_cast<unsigned char>(s[i]));
  if (clean) return s;
  buf.clear();
  for (char c : s) {
    if (buf.size() >= max) break;
    if (keep(static_cast<unsigned char>(c))) buf += c;
  }
  return buf;
}
// Printable ASCII (grant_type, scope): never a credential.
bool printable(unsigned char c) { return c >= 0x20 && c < 0x7f; }
// A User-Agent as domain::sanitize_user_agent keeps it: control characters dropped.
bool user_agent_byte(unsigned char c) { return c >= 0x20 && c != 0x7f; }

// The client the request names (claimed_client_id: Basic user name, client_id or the
// assertion's iss), only if that client exists in `org`: an unknown value could be anything, a
// mistyped secret included, and is not recorded.
const domain::Document* named_client(const http::Request& req, const http::Params* form, const model::OrgModel& org) {
  static const http::Params kNoForm{};
  auto id = claimed_client_id({form ? *form : kNoForm, req.header("Authorization"), {}, {}});
  return id.empty() ? nullptr : org.doc(domain::kind::app, id);
}
}  // namespace

// The event is encoded from views (store::EventFields): one is recorded per token request, and
// building a domain::LogEvent cost about as much as the rest of an ES256 token's bookkeeping.
void record_token_event(Env& env, const http::Request& req, const http::Params* form, const model::OrgModel& org,
                        const AuthServer& as, const domain::Document* client, const Result<TokenResponse>& outcome) {
  if (!env.events) return;
  // The first step of the DPoP nonce exchange (RFC 9449 §8) is not a refusal.
  if (!outcome && outcome.error().error == "use_dpop_nonce") return;
  const bool granted = outcome.has_value();
  const Error refusal = granted ? Error{} : outcome.error();  // error() returns a copy
  const auto uuid = domain::new_event_uuid(env.random);
  std::string_view event_type = as.is_org() ? (granted ? "app.oauth2.token.grant.access_token" : "app.oauth2.token.grant")
                                            : (granted ? "app.oauth2.as.token.grant.access_token" : "app.oauth2.as.token.grant");
  std::string grant_buf, scope_buf, ua_buf;
  store::EventFields e;
  e.client[1] = req.remote_addr;
  e.client[2] = filtered(req.header("User-Agent"), 512, user_agent_byte, ua_buf);
  e.transaction_id = req.request_id;

  std::array<store::EventFields::Debug, 7> debug;
  std::size_t n = 0;
  debug[n++] = {"requestId", req.request_id};
  debug[n++] = {"requestUri", req.path};
  if (form) {
    if (auto g = form->get("grant_type")) debug[n++] = {"grantType", filtered(*g, 64, printable, grant_buf)};
    if (auto s = form->get("scope")) debug[n++] = {"requestedScopes", filtered(*s, 1024, printable, scope_buf)};
  }

  std::array<store::EventFields::Target, 2> targets;
  std::size_t t = 0;
  const auto* app = client ? client : named_client(req, form, org);
  if (app) {
    auto label = detail::str_at(app->body, {"label"});
    e.actor = {app->id, "PublicClientApp", app->id, label};
    e.client[0] = app->id;
    targets[t++] = {app->id, "AppInstance", label, label};
  } else {
    e.actor = {"unknown", "PublicClientApp", "unknown", "unknown"};
  }
  std::string_view as_name = as.is_org() ? "Org Authorization Server"
                             : as.doc    ? detail::str_at(as.doc->body, {"name"})
                                         : std::string_view(as.id);
  targets[t++] = {as.is_org() ? std::string_view(org.org().id) : std::string_view(as.id), "AuthorizationServer",
                  as.issuer, as_name};
  debug[n++] = {"authorizationServerName", as_name};
  if (granted) {
    e.display_message = "OAuth2 access token is granted";
    debug[n++] = {"grantedScopes", outcome->scope};
    debug[n++] = {"tokenType", outcome->token_type};
  } else {
    e.display_message = "OAuth2 access token request refused";
    e.severity = domain::severity::warn;
    e.outcome_result = domain::outcome::failure;
    e.outcome_reason = refusal.error;  // the RFC 6749 §5.2 error code
    // okta-compat.md §11.21: descriptions never echo request values.
    debug[n++] = {"errorDescription", refusal.description};
  }
  e.targets = std::span(targets.data(), t);
  e.debug_data = std::span(debug.data(), n);
  env.events->push(org.org().id, uuid, event_type, core::epoch_ms(env.clock.now()), e);
}

domain::LogEvent token_revocation_event(Env& env, const http::Request& req, const model::OrgModel& org,
                                        std::string_view as_id, std::string_view client_id, std::string_view jti) {
  domain::LogEvent e;
  e.uuid = domain::new_event_uuid(env.random);
  e.published = core::epoch_ms(env.clock.now());
  e.event_type = as_id.empty() ? "app.oauth2.token.revoke" : "app.oauth2.as.token.revoke";
  e.display_message = "OAuth2 access token revoked";
  e.client.ip_address = req.remote_addr;
  e.client.user_agent = domain::sanitize_user_agent(req.header("User-Agent"));
  e.client.id = std::string(client_id);
  e.transaction_id = req.request_id;
  e.debug_data["requestId"] = req.request_id;
  e.debug_data["requestUri"] = req.path;
  std::string label;
  if (auto* app = org.doc(domain::kind::app, client_id)) label = std::string(detail::str_at(app->body, {"label"}));
  e.actor = {std::string(client_id), "PublicClientApp", std::string(client_id), label};
  e.target = {{std::string(jti), "access_token", "", "Access Token", {}},
              {as_id.empty() ? org.org().id : std::string(as_id), "AuthorizationServer", "", "", {}}};
  return e;
}

}  // namespace gh::oauth
