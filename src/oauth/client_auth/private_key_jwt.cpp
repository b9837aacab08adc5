// private_key_jwt: RFC 7523 §2.2 and §3, RFC 8725, okta-compat.md §4.1 table and §11.19.
// Keys come from the app's app_key documents or, for an app with a jwks_uri, from the JwksCache.
// Nothing here makes an outbound request: a missing or stale jwks_uri set makes authentication
// answer needs_outbound, and the server fetches on its outbound lane (prefetch_private_key_jwt).
// Header key locations (jku, x5u) are never fetched.
#include <boost/json/parse.hpp>

#include <shared_mutex>

#include "jose/errc.hpp"
#include "jose/jws.hpp"
#include "jose/key_memo.hpp"
#include "jose/numeric_date.hpp"
#include "oauth/client_auth/methods.hpp"
#include "oauth/detail/json_access.hpp"

namespace gh::oauth::detail {
namespace {
namespace json = boost::json;

constexpr std::int64_t kClockSkew = 60;           // §11.19: iat/nbf ahead, exp behind
constexpr std::int64_t kMaxAssertionLife = 3600;  // §4.1: exp at most one hour ahead
constexpr std::size_t kMaxJtiLength = 256;

Error fail(const char* description, boost::system::error_code cause = {}) {
  return invalid_client(description, cause);
}

// Header checks that need no key (§11.19; RFC 7515 §4.1; RFC 8725 §3.1, §3.10).
Result<std::string_view> check_header(const jose::Jws& jws) {
  auto& h = jws.header;
  if (auto ok = jose::check_header_no_embedded_keys(h); !ok)
    return fail("The client_assertion header must not carry a key or a key location.", ok.error());
  if (h.contains("crit"))
    return fail("The client_assertion header must not carry crit.", jose::Errc::crit_unsupported);
  if (auto* typ = h.if_contains("typ");
      typ && !(typ->is_string() && http::iequals(typ->get_string(), "JWT")))
    return fail("The client_assertion typ header must be JWT.");
  auto* alg = h.if_contains("alg");
  if (!alg || !alg->is_string())
    return fail("The client_assertion signature algorithm is not allowed.", jose::Errc::missing_alg);
  if (auto parsed = jose::parse_alg(alg->get_string()); !parsed)  // none, HS*, unknown
    return fail("The client_assertion signature algorithm is not allowed.", parsed.error());
  auto kid = jose::find_kid(jws);
  if (!kid || !*kid || (*kid)->empty())
    return fail("The client_assertion kid does not match an active key of the client.");
  return **kid;
}

constexpr const char* kKidMismatch = "The client_assertion kid does not match an active key of the client.";

// The key `kid` of the set at the app's jwks_uri (issue #3; §11.22), from the cache only.
Result<jose::Jwk> find_jwks_uri_key(Env& env, const model::OrgModel& org, std::string_view client_id,
                                    std::string_view uri, std::string_view kid) {
  if (!env.jwks_cache) return fail(kKidMismatch, jose::Errc::kid_not_found);
  auto r = env.jwks_cache->lookup({org.org().id, std::string(client_id), std::string(uri)}, kid);
  switch (r.status) {
    case JwksLookup::Status::found: return std::move(*r.key);
    case JwksLookup::Status::fetch_needed: {
      auto e = fail(kKidMismatch, jose::Errc::kid_not_found);
      e.needs_outbound = true;
      return e;
    }
    case JwksLookup::Status::kid_not_found:
    case JwksLookup::Status::unavailable: break;
  }
  // The same answer whether the set lacks the kid or could not be fetched: the client learns
  // nothing about what Gatehouse can reach (the cause goes to the log).
  return fail(kKidMismatch, r.cause ? r.cause : make_error_code(jose::Errc::kid_not_found));
}

// The ACTIVE app_key of `client_id` with `kid`, parsed (§4.1: kid matches an ACTIVE key); for an
// app with a jwks_uri, the key of its fetched set instead.
Result<jose::Jwk> find_key(Env& env, const model::OrgModel& org, const domain::ClientRecord& app,
                           std::string_view client_id, std::string_view kid) {
  if (!app.jwks_uri.empty()) return find_jwks_uri_key(env, org, client_id, app.jwks_uri, kid);
  for (auto* d : org.children_parsed(domain::kind::app_key, client_id)) {
    if (d->child->match != kid || !d->child->active) continue;
    auto key = jose::parse_public_memo(d->doc.body);
    if (!key) return fail(kKidMismatch, key.error());
    return std::move(*key);
  }
  return fail(kKidMismatch, jose::Errc::kid_not_found);
}

// Claim checks after the signature (RFC 7523 §3; §4.1 table; §11.19). Returns exp.
Result<std::int64_t> check_claims(const json::object& c, const ClientAuthInput& in, std::int64_t now) {
  auto* exp_v = c.if_contains("exp");
  // RFC 7519 §2 NumericDate, by the one policy of jose/numeric_date.hpp.
  auto exp = exp_v ? jose::parse_numeric_date(*exp_v) : std::nullopt;
  if (!exp) return fail("The client_assertion must have an exp claim.");
  if (now - *exp > kClockSkew) return fail("The client_assertion is expired.");
  if (*exp - now > kMaxAssertionLife) return fail("The client_assertion expires too far in the future.");
  for (const char* name : {"iat", "nbf"}) {
    auto* v = c.if_contains(name);
    if (!v) continue;
    auto t = jose::parse_numeric_date(*v);
    if (!t) return fail("The client_assertion has a malformed time claim.");
    if (*t - now > kClockSkew)
      return fail(name[0] == 'i' ? "The client_assertion was issued in the future."
                                 : "The client_assertion is not valid yet.");
  }
  // §11.19: one string, the endpoint invoked or the issuer; arrays are refused.
  auto* aud = c.if_contains("aud");
  if (!aud || !aud->is_string() ||
      (aud->get_string() != in.endpoint_url() && (in.issuer().empty() || aud->get_string() != in.issuer())))
    return fail("The audience claim for client_assertion must be the endpoint invoked for the request.");
  auto* jti = c.if_contains("jti");
  if (!jti || !jti->is_string() || jti->get_string().empty() || jti->get_string().size() > kMaxJtiLength)
    return fail("The client_assertion must have a jti claim.");
  // In place: with C++20 paren-init, Error is constructible from an integer too.
  return Result<std::int64_t>(boost::system::in_place_value, *exp);
}

}  // namespace

Result<AuthenticatedClient> authenticate_private_key_jwt(Env& env, const ClientAuthInput& in,
                                                         const model::OrgModel& org) {
  if (in.form.get("client_assertion_type") != std::optional<std::string_view>(kJwtBearerAssertionType))
    return invalid_request("The client_assertion_type is not supported.");
  auto compact = in.form.get("client_assertion");
  if (!compact || compact->empty()) return invalid_request("The client_assertion is missing.");
  auto jws = jose::decode(*compact);
  if (!jws) return fail("The client_assertion is malformed.", jws.error());
  auto kid = check_header(*jws);
  if (!kid) return kid.error();
  boost::system::error_code ec;
  auto payload = json::parse(jws->payload, ec);
  if (ec || !payload.is_object()) return fail("The client_assertion is malformed.");
  auto& claims = payload.get_object();
  // RFC 7523 §3 items 1-2: iss and sub are both the client_id.
  auto iss = str_at(claims, {"iss"});
  if (iss.empty() || str_at(claims, {"sub"}) != iss)
    return fail("The client_assertion iss and sub claims must both be the client id.");
  if (auto id = in.form.get("client_id"); id && *id != iss)
    return fail("The client_id does not match the client_assertion.");
  core::ClientId client_id{iss};
  auto app = find_client(org, client_id, "private_key_jwt");
  if (!app) return app.error();
  auto key = find_key(env, org, *(*app)->client, iss, *kid);
  if (!key) return key.error();
  // RFC 8725 §3.1: the algorithm comes from the registered key, never from the header.
  if (auto ok = jose::verify_signature(*jws, *key, jose::signing_alg(*key)); !ok) {
    return ok.error() == jose::Errc::bad_signature
               ? fail("The client_assertion signature is invalid.", ok.error())
               : fail("The client_assertion signature algorithm is not allowed.", ok.error());
  }
  auto now = core::epoch_ms(env.clock.now()) / 1000;
  auto exp = check_claims(claims, in, now);
  if (!exp) return exp.error();
  // RFC 7523 §3 item 7 and §11.19: the jti is usable once, remembered while exp + skew lasts.
  // ClientAuthenticator::consume_assertion records it, after the caller's rate limits
  // (okta-compat.md §1.12: a retried request carries the same assertion).
  auto out = authenticated(**app, std::move(client_id).str(), "private_key_jwt");
  out.assertion_replay_key = org.org().id + '\n' + std::string(iss) + '\n' +
                             std::string(claims.at("jti").get_string());
  out.assertion_expires_at = *exp + kClockSkew;
  if (auto* iat = claims.if_contains("iat")) out.assertion_issued_at = jose::parse_numeric_date(*iat);
  return out;
}

void prefetch_private_key_jwt(Env& env, const http::Params& form, model::OrgModel& org) {
  if (!env.jwks_cache) return;
  auto compact = form.get("client_assertion");
  if (!compact || compact->empty()) return;
  auto jws = jose::decode(*compact);
  if (!jws) return;
  auto kid = check_header(*jws);  // no fetch at all for jku, x5u, jwk, x5c, none, HS*
  if (!kid) return;
  boost::system::error_code ec;
  auto payload = json::parse(jws->payload, ec);
  if (ec || !payload.is_object()) return;
  auto iss = str_at(payload.get_object(), {"iss"});
  JwksCacheKey key;
  {
    std::shared_lock lk(org.mutex());
    auto app = find_client(org, core::ClientId{iss}, "private_key_jwt");
    if (!app) return;
    auto& uri = (*app)->client->jwks_uri;
    if (uri.empty()) return;
    key = {org.org().id, std::string(iss), uri};
  }
  // Not under the org lock: a fetch may take the fetcher's whole time limit.
  env.jwks_cache->refresh(key, *kid);
}

}  // namespace gh::oauth::detail
