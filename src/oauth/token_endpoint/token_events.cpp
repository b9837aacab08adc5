#include "oauth/token_endpoint/token_events.hpp"

#include <algorithm>

#include "domain/log_event.hpp"
#include "domain/token_grant_event.hpp"
#include "oauth/client_auth/client_auth.hpp"
#include "oauth/detail/json_access.hpp"
#include "oauth/form.hpp"
#include "store/event_queue.hpp"

namespace gh::oauth {
namespace {

// Printable ASCII request text (grant_type, scope) of at most `max` bytes: never a credential.
// `s` itself when it is all printable and fits; otherwise the printable bytes, up to `max`,
// copied into `buf`.
std::string_view printable(std::string_view s, std::size_t max, std::string& buf) {
  auto fit = [](char c) { return c >= 0x20 && c < 0x7f; };
  if (s.size() <= max && std::all_of(s.begin(), s.end(), fit)) return s;
  buf.clear();
  for (char c : s) {
    if (buf.size() >= max) break;
    if (fit(c)) buf += c;
  }
  return buf;
}

// The client the request names (claimed_client_id: Basic user name, client_id or the
// assertion's iss), only if that client exists in `org`: an unknown value could be anything, a
// mistyped secret included, and is not recorded.
const domain::Document* named_client(const http::Request& req, const http::Params* form, const model::OrgModel& org) {
  static const http::Params kNoForm{};
  auto id = claimed_client_id({form ? *form : kNoForm, req.header("Authorization"), {}, {}});
  return id.empty() ? nullptr : org.doc(domain::kind::app, id);
}
}  // namespace

// The event is queued as its varying members (domain::TokenGrant, views into the request and
// the org): one is recorded per token request.
void record_token_event(Env& env, const http::Request& req, const http::Params* form, const model::OrgModel& org,
                        const AuthServer& as, const domain::Document* client, const Result<TokenResponse>& outcome) {
  if (!env.events) return;
  // The first step of the DPoP nonce exchange (RFC 9449 §8) is not a refusal.
  if (!outcome && outcome.error().error == "use_dpop_nonce") return;
  const Error refusal = outcome ? Error{} : outcome.error();  // error() returns a copy
  std::string grant_buf, scope_buf, ua_buf;
  domain::TokenGrant g;
  g.granted = outcome.has_value();
  g.org_as = as.is_org();
  if (const auto* app = client ? client : named_client(req, form, org)) {
    g.client_id = app->id;
    g.client_label = detail::str_at(app->body, {"label"});
  }
  g.ip_address = req.remote_addr;
  g.user_agent = domain::sanitize_user_agent(req.header("User-Agent"), ua_buf);
  g.request_id = req.request_id;
  g.request_uri = req.path;
  if (form) {
    auto grant_type = form->get("grant_type");
    auto scope = form->get("scope");
    if ((g.has_grant_type = grant_type.has_value())) g.grant_type = printable(*grant_type, 64, grant_buf);
    if ((g.has_requested_scopes = scope.has_value())) g.requested_scopes = printable(*scope, 1024, scope_buf);
  }
  g.as_id = as.is_org() ? std::string_view(org.org().id) : std::string_view(as.id);
  g.as_issuer = as.issuer;
  g.as_name = as.is_org() ? "Org Authorization Server" : as.doc ? detail::str_at(as.doc->body, {"name"}) : std::string_view(as.id);
  if (g.granted) {
    g.granted_scopes = outcome->scope;
    g.token_type = outcome->token_type;
  } else {
    g.error = refusal.error;  // the RFC 6749 §5.2 error code
    g.error_description = refusal.description;
  }
  env.events->push(org.org().id, domain::new_event_uuid(env.random), core::epoch_ms(env.clock.now()), g);
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
