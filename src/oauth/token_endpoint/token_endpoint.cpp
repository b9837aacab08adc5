#include "oauth/token_endpoint/token_endpoint.hpp"

#include <algorithm>

#include "core/json_text.hpp"
#include "oauth/form.hpp"
#include "oauth/token_endpoint/token_events.hpp"

namespace gh::oauth {
namespace {

// RFC 6749 §3.3: scope = scope-token *( SP scope-token ); duplicates carry no meaning.
std::vector<std::string> split_scopes(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    auto sp = s.find(' ');
    auto tok = s.substr(0, sp);
    if (!tok.empty() && std::find(out.begin(), out.end(), tok) == out.end()) out.emplace_back(tok);
    s = sp == std::string_view::npos ? std::string_view{} : s.substr(sp + 1);
  }
  return out;
}

}  // namespace

TokenEndpoint::TokenEndpoint(Env& env, ClientAuthenticator& auth, dpop::TokenRequestProofs& dpop,
                             const Limits& limits)
    : env_(env), auth_(auth), dpop_(dpop), per_client_(limits.token_per_client_per_minute),
      limit_enabled_(limits.token_limit_enabled) {}

void TokenEndpoint::add_grant(std::unique_ptr<GrantHandler> grant) {
  auto key = std::string(grant->grant_type());
  grants_[std::move(key)] = std::move(grant);
}

Result<TokenResponse> TokenEndpoint::issue(const http::Request& req, const http::Params& params,
                                           const model::OrgModel& org, const AuthServer& as,
                                           std::optional<RateHeaders>* rate, const domain::Document** client_app) const {
  const http::Params* form = &params;
  auto client = auth_.check({*form, req.header("Authorization"), as, "token", req.remote_addr}, org);
  if (!client) return client.error();
  if (client_app) *client_app = client->app;
  // okta-compat.md §1.12, §11.30: the client's bucket is charged before the assertion's (and the
  // proof's) jti is consumed, because Okta's SDK retries a 429 with the same request.
  if (limit_enabled_) {
    auto bucket = per_client_.take(org.org().id + '\n' + client->client_id, core::epoch_ms(env_.clock.now()));
    if (rate) *rate = RateHeaders{bucket.limit, bucket.remaining, bucket.reset_epoch_s};
    if (!bucket.allowed) return too_many_requests("API call exceeded rate limit due to too many requests.");
  }
  if (auto used = auth_.consume_assertion(*client); !used) return used.error();
  auto grant_type = form->get("grant_type");
  if (!grant_type || grant_type->empty()) return invalid_request("The grant_type parameter is missing.");
  auto it = grants_.find(*grant_type);
  if (it == grants_.end()) return unsupported_grant_type("The authorization grant type is not supported.");
  // RFC 9449 §5: DPoP-bound apps need a valid proof; every other app's DPoP header is ignored
  // and a Bearer token issued (okta-compat.md §1.9: Okta's SDK always sends one).
  std::string jkt;
  if (client->record->dpop_bound_access_tokens) {
    auto bound = dpop_.bind(req, as.endpoint("token"), org.org().id);
    if (!bound) return bound.error();
    jkt = std::move(*bound);
  }
  TokenRequest treq{*form, *grant_type, false, {}};
  if (auto scope = form->get("scope")) {
    treq.has_scope = true;
    treq.scopes = split_scopes(*scope);
  }
  return it->second->handle(treq, *client, {org, as, env_, jkt});
}

Result<http::Response> TokenEndpoint::handle(const http::Request& req, const model::OrgModel& org,
                                             const AuthServer& as) const {
  std::optional<RateHeaders> rate;
  const domain::Document* client = nullptr;
  auto form = parse_form_body(req);
  auto r = form ? issue(req, *form, org, as, &rate, &client) : Result<TokenResponse>(form.error());
  // RFC 6749 §5.2: each invalid_client (client authentication, a used assertion, the grant's
  // rule on the method) carries the Basic challenge when the client used the Authorization header.
  if (!r)
    r = Result<TokenResponse>(boost::system::in_place_error,
                              challenge_basic(std::move(r.error()), req.header("Authorization"), as.issuer));
  record_token_event(env_, req, form ? &*form : nullptr, org, as, client, r);  // System Log (issue #4)
  if (!r) {
    auto e = std::move(r.error());
    if (rate && !e.rate) e.rate = rate;  // the client's bucket, on refusals too
    return e;
  }
  auto res = render_token_response(*r);
  if (rate) set_rate_headers(res, *rate);
  return res;
}

http::Response render_token_response(const TokenResponse& r) {
  // RFC 6749 §5.1, written directly (the bytes boost::json gives for the same members,
  // core/json_text.hpp) into one buffer sized once (issue 20).
  std::string body;
  body.reserve(64 + r.token_type.size() + r.access_token.size() + r.scope.size());
  body.append(R"({"token_type":)");
  core::append_json_string(body, r.token_type);
  body.append(R"(,"expires_in":)").append(std::to_string(r.expires_in)).append(R"(,"access_token":)");
  core::append_json_string(body, r.access_token);
  body.append(R"(,"scope":)");
  core::append_json_string(body, r.scope);
  body += '}';
  auto res = http::Response::json(200, std::move(body));
  res.headers.reserve(5);                 // these two and the three rate-limit headers
  res.set("Cache-Control", "no-store");  // RFC 6749 §5.1
  res.set("Pragma", "no-cache");
  return res;
}

}  // namespace gh::oauth
