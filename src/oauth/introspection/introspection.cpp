#include "oauth/introspection/introspection.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <shared_mutex>

#include "oauth/verify/endpoint_form.hpp"

namespace gh::oauth {
namespace {
namespace json = boost::json;

http::Response no_store_json(std::string body) {
  auto r = http::Response::json(200, std::move(body));
  r.set("Cache-Control", "no-store");  // RFC 7662 §2.2 carries token data
  r.set("Pragma", "no-cache");
  return r;
}

// The org AS scopes still backed by an ACTIVE scope grant of the client: revoking a grant takes
// effect on already-issued tokens (issue #3). Custom AS scopes are reported as issued.
// An integration instance's scopes also follow its integration's published version (issue 15).
std::string scope_string(const AccessTokenClaims& c, const model::OrgModel& org, std::string_view as_id,
                         const AccessTokenVerifier& verifier) {
  std::string out;
  for (auto& s : c.scp) {
    if (as_id.empty() && !verifier.may_use_scope(org, c.cid, s)) continue;
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

// RFC 7662 §2.2 members (okta-compat.md §4.3); aud keeps the token's form (§11.25).
json::object render_active(const AccessTokenClaims& c, const model::OrgModel& org, std::string_view as_id,
                           const AccessTokenVerifier& verifier) {
  json::object o{{"active", true},
                 {"token_type", c.jkt ? "DPoP" : "Bearer"},
                 {"scope", scope_string(c, org, as_id, verifier)},
                 {"client_id", c.cid},
                 {"exp", c.exp},
                 {"iat", c.iat},
                 {"sub", c.sub},
                 {"aud", c.aud},
                 {"iss", c.iss},
                 {"jti", c.jti}};
  if (c.nbf) o["nbf"] = *c.nbf;
  if (c.uid) o["uid"] = *c.uid;
  if (c.jkt) o["cnf"] = json::object{{"jkt", *c.jkt}};  // RFC 9449 §6.2
  return o;
}
}  // namespace

Result<http::Response> Introspection::handle(const http::Request& req, model::OrgModel& org, std::string_view as_id) {
  auto form = parse_form(req);
  if (!form) return form.error();
  std::shared_lock lock(org.mutex());
  auto client = authenticate_client(client_auth_, req, *form, org, as_id, "introspect");
  if (!client) return client.error();
  auto token = token_param(*form);
  if (!token) return invalid_request("The token parameter is required.");  // RFC 7662 §2.1
  // RFC 7662 §4, okta-compat.md §11.32: a client scanning for tokens is stopped for the minute.
  auto scanner = org.org().id + '\n' + client->client_id;
  auto now_ms = core::epoch_ms(clock_.now());
  if (scan_limit_enabled_)
    if (auto wait = scans_.blocked_for(scanner, now_ms)) {
      auto e = too_many_requests("Too many introspections of inactive tokens; retry later.");
      e.retry_after = *wait;
      return e;
    }
  auto claims = verifier_.verify(*token, org, as_id);
  // A client may introspect only its own tokens; to anyone else the token is simply not active.
  if (!claims || (*claims)->cid != client->client_id) {
    if (claims)
      spdlog::debug("introspection of another client's token org={} client_id={}", org.org().id,
                    client->client_id);
    if (scan_limit_enabled_) scans_.count_inactive(scanner, now_ms);
    return no_store_json(R"({"active":false})");
  }
  return no_store_json(json::serialize(render_active(**claims, org, as_id, verifier_)));
}

}  // namespace gh::oauth
