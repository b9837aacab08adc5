#include "oauth/introspection/introspection.hpp"

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <shared_mutex>

#include "core/json_text.hpp"
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

// RFC 7662 §2.2 members (okta-compat.md §4.3); aud keeps the token's form (§11.25). Written as
// JSON text directly, in the order boost::json's object gave them (issue 20).
}  // namespace

std::string active_introspection_json(const AccessTokenClaims& c, std::string_view scope) {
  std::string o;
  o.reserve(256 + c.iss.size() + c.jti.size());
  auto member = [&o](std::string_view name, std::string_view value) {
    o += ",\"";
    o += name;
    o += "\":";
    core::append_json_string(o, value);
  };
  auto number = [&o](std::string_view name, std::int64_t value) {
    o += ",\"";
    o += name;
    o += "\":";
    o += std::to_string(value);
  };
  o += c.jkt ? R"({"active":true,"token_type":"DPoP")" : R"({"active":true,"token_type":"Bearer")";
  member("scope", scope);
  member("client_id", c.cid);
  number("exp", c.exp);
  number("iat", c.iat);
  member("sub", c.sub);
  o += R"(,"aud":)";
  o += json::serialize(c.aud);
  member("iss", c.iss);
  member("jti", c.jti);
  if (c.nbf) number("nbf", *c.nbf);
  if (c.uid) member("uid", *c.uid);
  if (c.jkt) {  // RFC 9449 §6.2
    o += R"(,"cnf":{"jkt":)";
    core::append_json_string(o, *c.jkt);
    o += '}';
  }
  o += '}';
  return o;
}

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
  return no_store_json(active_introspection_json(**claims, scope_string(**claims, org, as_id, verifier_)));
}

}  // namespace gh::oauth
