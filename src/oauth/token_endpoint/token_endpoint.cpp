#include "oauth/token_endpoint/token_endpoint.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "oauth/detail/json_access.hpp"
#include "oauth/form.hpp"
#include "oauth/grants/client_credentials.hpp"
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

TokenEndpoint::TokenEndpoint(Env& env, ClientAuthenticator& auth) : env_(env), auth_(auth) {
  add_grant(std::make_unique<ClientCredentialsGrant>());
}

void TokenEndpoint::add_grant(std::unique_ptr<GrantHandler> grant) {
  auto key = std::string(grant->grant_type());
  grants_[std::move(key)] = std::move(grant);
}

Result<TokenResponse> TokenEndpoint::issue(const http::Request& req, const model::OrgModel& org,
                                           const AuthServer& as) const {
  auto form = parse_form_body(req);
  if (!form) return form.error();
  auto client = auth_.authenticate({*form, req.header("Authorization"), as.endpoint("token"), as.issuer}, org);
  if (!client) return client.error();
  auto grant_type = form->get("grant_type");
  if (!grant_type || grant_type->empty()) return invalid_request("The grant_type parameter is missing.");
  auto it = grants_.find(*grant_type);
  if (it == grants_.end()) return unsupported_grant_type("The authorization grant type is not supported.");
  // DPoP-bound apps are issue #4; every other app's DPoP header is ignored (okta-compat.md §1.9).
  // TODO(gatehouse): validate DPoP proofs and bind tokens (cnf.jkt) #4
  if (detail::bool_at(client->app->body, {"settings", "oauthClient", "dpop_bound_access_tokens"}))
    return invalid_dpop_proof("DPoP is not supported yet.");
  TokenRequest treq{*form, *grant_type, false, {}};
  if (auto scope = form->get("scope")) {
    treq.has_scope = true;
    treq.scopes = split_scopes(*scope);
  }
  return it->second->handle(treq, *client, {org, as, env_, req.header("DPoP")});
}

http::Response TokenEndpoint::handle(const http::Request& req, const model::OrgModel& org,
                                     const AuthServer& as) const {
  auto r = issue(req, org, as);
  record_token_event(env_, req, org, as, r);  // System Log (issue #4)
  return r ? render_token_response(*r) : render(r.error());
}

http::Response render_token_response(const TokenResponse& r) {
  boost::json::object body{{"token_type", r.token_type},
                           {"expires_in", r.expires_in},
                           {"access_token", r.access_token},
                           {"scope", r.scope}};
  auto res = http::Response::json(200, boost::json::serialize(body));
  res.set("Cache-Control", "no-store");  // RFC 6749 §5.1
  res.set("Pragma", "no-cache");
  return res;
}

}  // namespace gh::oauth
