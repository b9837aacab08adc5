#include "oauth/verify/access_token_verifier.hpp"

#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/base64.hpp"
#include "crypto/mac.hpp"
#include "domain/documents.hpp"
#include "domain/json_fields.hpp"
#include "jose/errc.hpp"
#include "jose/jws.hpp"
#include "jose/numeric_date.hpp"
#include "oauth/verify/integration_scopes.hpp"

namespace gh::oauth {
namespace {
namespace json = boost::json;

class TokenCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "gh.access_token"; }
  std::string message(int ev) const override {
    switch (static_cast<TokenErrc>(ev)) {
      case TokenErrc::ok: return "ok";
      case TokenErrc::malformed: return "malformed";
      case TokenErrc::missing_kid: return "missing_kid";
      case TokenErrc::unknown_kid: return "unknown_kid";
      case TokenErrc::alg_none: return "alg_none";
      case TokenErrc::alg_hmac: return "alg_hmac";
      case TokenErrc::alg_mismatch: return "alg_mismatch";
      case TokenErrc::bad_signature: return "bad_signature";
      case TokenErrc::bad_claims: return "bad_claims";
      case TokenErrc::wrong_issuer: return "wrong_issuer";
      case TokenErrc::wrong_audience: return "wrong_audience";
      case TokenErrc::expired: return "expired";
      case TokenErrc::not_yet_valid: return "not_yet_valid";
      case TokenErrc::unknown_auth_server: return "unknown_auth_server";
      case TokenErrc::auth_server_inactive: return "auth_server_inactive";
      case TokenErrc::unknown_client: return "unknown_client";
      case TokenErrc::client_inactive: return "client_inactive";
      case TokenErrc::revoked: return "revoked";
    }
    return "unknown";
  }
};


std::optional<std::int64_t> int_member(const json::object& o, std::string_view k) {
  auto* v = o.if_contains(k);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->get_uint64());
  return std::nullopt;
}

// RFC 7519 §2 NumericDate, by the one policy of jose/numeric_date.hpp.
std::optional<std::int64_t> date_member(const json::object& o, std::string_view k) {
  auto* v = o.if_contains(k);
  return v ? jose::parse_numeric_date(*v) : std::nullopt;
}

bool nonempty_string(const json::value& v) { return v.is_string() && !v.get_string().empty(); }

// okta-compat.md §4.2: jti, iss, cid, sub strings; iat, exp NumericDates; scp an array of strings;
// aud a string or an array of strings; uid a string when present; cnf.jkt when DPoP-bound.
gh::Result<AccessTokenClaims> parse_claims(std::string_view payload) {
  boost::system::error_code ec;
  auto v = json::parse(payload, ec);
  if (ec || !v.is_object()) return TokenErrc::bad_claims;
  auto& o = v.get_object();
  AccessTokenClaims c;
  auto *jti = domain::find_str_member(o, "jti"), *iss = domain::find_str_member(o, "iss"),
       *cid = domain::find_str_member(o, "cid"), *sub = domain::find_str_member(o, "sub");
  auto iat = date_member(o, "iat"), exp = date_member(o, "exp");
  if (!jti || jti->empty() || !iss || !cid || cid->empty() || !sub || !iat || !exp)
    return TokenErrc::bad_claims;
  c.jti = *jti, c.iss = *iss, c.cid = *cid, c.sub = *sub, c.iat = *iat, c.exp = *exp;
  auto* scp = o.if_contains("scp");
  if (!scp || !scp->is_array()) return TokenErrc::bad_claims;
  for (auto& s : scp->get_array()) {
    if (!s.is_string()) return TokenErrc::bad_claims;
    c.scp.emplace_back(s.get_string());
  }
  auto* aud = o.if_contains("aud");
  if (!aud) return TokenErrc::bad_claims;
  if (aud->is_array()) {
    if (aud->get_array().empty()) return TokenErrc::bad_claims;
    for (auto& a : aud->get_array())
      if (!nonempty_string(a)) return TokenErrc::bad_claims;
  } else if (!nonempty_string(*aud)) {
    return TokenErrc::bad_claims;
  }
  c.aud = *aud;
  if (auto* uid = o.if_contains("uid")) {
    if (!uid->is_string()) return TokenErrc::bad_claims;
    c.uid = std::string(uid->get_string());
  }
  if (auto* cnf = o.if_contains("cnf")) {
    auto* jkt = cnf->is_object() ? domain::find_str_member(cnf->get_object(), "jkt") : nullptr;
    if (!jkt || jkt->empty()) return TokenErrc::bad_claims;
    c.jkt = std::string(*jkt);
  }
  if (o.contains("nbf")) {
    c.nbf = date_member(o, "nbf");
    if (!c.nbf) return TokenErrc::bad_claims;
  }
  return c;
}

TokenErrc from_jose(const boost::system::error_code& ec) {
  if (ec == jose::Errc::alg_none) return TokenErrc::alg_none;
  if (ec == jose::Errc::alg_hmac) return TokenErrc::alg_hmac;
  if (ec == jose::Errc::alg_mismatch || ec == jose::Errc::unsupported_alg ||
      ec == jose::Errc::missing_alg || ec == jose::Errc::key_alg_mismatch)
    return TokenErrc::alg_mismatch;
  if (ec == jose::Errc::bad_signature) return TokenErrc::bad_signature;
  return TokenErrc::malformed;
}

std::vector<std::string_view> audiences_of(const json::value& aud) {
  std::vector<std::string_view> out;
  if (aud.is_string()) out.push_back(aud.get_string());
  if (aud.is_array())
    for (auto& a : aud.get_array())
      if (a.is_string()) out.push_back(a.get_string());
  return out;
}

std::string token_ref(std::string_view token) {  // STYLE.md: log sha256(token)[0:8], never the token
  auto h = crypto::sha256(token);
  return core::hex_encode(std::string_view(reinterpret_cast<const char*>(h.data()), 4));
}
}  // namespace

const boost::system::error_category& token_category() noexcept {
  static const TokenCategory c;
  return c;
}

std::string issuer_of(const model::OrgModel& org, std::string_view as_id) {
  if (as_id.empty()) return org.url();
  return org.url() + "/oauth2/" + std::string(as_id);
}

bool has_active_grant(const model::OrgModel& org, std::string_view client_id, std::string_view scope) {
  for (auto* g : org.children(domain::kind::scope_grant, client_id)) {
    auto *sid = domain::find_str_member(g->body, "scopeId"), *st = domain::find_str_member(g->body, "status");
    if (sid && *sid == scope && st && *st == "ACTIVE") return true;
  }
  return false;
}

AccessTokenVerifier::AccessTokenVerifier(keys::KeyRing& keyring, const core::Clock& clock,
                                         std::chrono::seconds skew, std::size_t cache_capacity,
                                         const model::Directory* directory)
    : keyring_(keyring),
      clock_(clock),
      directory_(directory),
      skew_s_(std::clamp<std::int64_t>(skew.count(), 0, kMaxClockSkew.count())),
      shard_capacity_(std::max<std::size_t>(1, cache_capacity / kShards)) {}

bool AccessTokenVerifier::may_use_scope(const model::OrgModel& org, std::string_view client_id,
                                        std::string_view scope) const {
  return directory_ ? oauth::may_use_scope(*directory_, org, client_id, scope) : has_active_grant(org, client_id, scope);
}

bool AccessTokenVerifier::is_integration_instance(const model::OrgModel& org, std::string_view client_id) {
  auto* app = org.client(core::ClientId{client_id});
  return app && app->client && app->client->integration;
}

gh::Result<std::shared_ptr<const AccessTokenClaims>> AccessTokenVerifier::verify(
    std::string_view token, const model::OrgModel& org, std::string_view as_id) {
  // The cache key is the whole token with its org and AS, compared in full: a hit is the very
  // token whose signature was verified (issue 20: a SHA-256 of it cost ~27k instructions a
  // request, a quarter of an introspection; only verified tokens are ever inserted).
  std::string key;
  key.reserve(org.org().id.size() + as_id.size() + token.size() + 2);
  key += org.org().id;
  key += '\n';
  key += as_id;
  key += '\n';
  key += token;
  auto claims = cache_find(key);
  gh::Result<void> live;
  if (claims) {
    live = check_live(*claims, org, as_id);
  } else {
    auto fresh = verify_uncached(token, org, as_id);
    if (fresh) {
      claims = std::move(*fresh);
      live = check_live(*claims, org, as_id);
      if (live) cache_put(std::move(key), claims);
    } else {
      live = fresh.error();
    }
  }
  if (!live) {
    spdlog::debug("access token refused org={} as={} reason={} token={}", org.org().id,
                  as_id.empty() ? "org" : as_id, live.error().message(), token_ref(token));
    return live.error();
  }
  return claims;
}

gh::Result<AccessTokenVerifier::Claims> AccessTokenVerifier::verify_uncached(
    std::string_view token, const model::OrgModel& org, std::string_view as_id) {
  auto jws = jose::decode(token);  // RFC 7515 §7.1; bounded by jose::kMaxCompactSize
  if (!jws) return TokenErrc::malformed;
  if (!jose::check_header_no_embedded_keys(jws->header)) return TokenErrc::malformed;
  auto kid = jose::find_kid(*jws);
  if (!kid) return TokenErrc::missing_kid;
  if (!*kid || (*kid)->empty()) return TokenErrc::missing_kid;
  auto key = keyring_.verifier(org, as_id, **kid);
  if (!key || !key->alg()) return TokenErrc::unknown_kid;
  // DESIGN.md "Tokens", RFC 8725 §3.1: the key fixes the algorithm, never the header.
  if (auto ok = jose::verify_signature(*jws, *key, *key->alg()); !ok) return from_jose(ok.error());
  auto c = parse_claims(jws->payload);
  if (!c) return c.error();
  c->kid = std::string(**kid);
  return std::make_shared<const AccessTokenClaims>(std::move(*c));
}

gh::Result<void> AccessTokenVerifier::check_live(const AccessTokenClaims& c, const model::OrgModel& org,
                                             std::string_view as_id) const {
  // The key may have been removed since the signature was checked (cache hit).
  auto* key = org.doc(domain::kind::signing_key, c.kid);
  if (!key || key->parent != as_id) return TokenErrc::unknown_kid;
  // RFC 7519 §4.1.4: now must be before exp; §4.1.5/§4.1.6: nbf and iat not in the future.
  const std::int64_t now = core::epoch_ms(clock_.now()) / 1000;
  if (now >= c.exp + skew_s_) return TokenErrc::expired;
  if (c.iat > now + skew_s_ || (c.nbf && *c.nbf > now + skew_s_)) return TokenErrc::not_yet_valid;
  // okta-compat.md §4: iss and aud as the AS issues them.
  if (c.iss != issuer_of(org, as_id)) return TokenErrc::wrong_issuer;
  auto auds = audiences_of(c.aud);
  if (auds.empty()) return TokenErrc::wrong_audience;
  if (as_id.empty()) {
    for (auto a : auds)
      if (a != org.url()) return TokenErrc::wrong_audience;
  } else {
    auto* as = org.doc(domain::kind::auth_server, as_id);
    if (!as) return TokenErrc::unknown_auth_server;
    auto* st = domain::find_str_member(as->body, "status");
    if (!st || *st != "ACTIVE") return TokenErrc::auth_server_inactive;
    auto* configured = as->body.if_contains("audiences");
    if (!configured || !configured->is_array()) return TokenErrc::wrong_audience;
    for (auto a : auds) {
      auto& arr = configured->get_array();
      if (std::none_of(arr.begin(), arr.end(),
                       [&](const json::value& v) { return v.is_string() && v.get_string() == a; }))
        return TokenErrc::wrong_audience;
    }
  }
  // Deactivating an app kills its tokens at once (issue #3); an app of another org is unknown.
  auto* app = org.doc(domain::kind::app, c.cid);
  if (!app) return TokenErrc::unknown_client;
  auto* st = domain::find_str_member(app->body, "status");
  if (!st || *st != "ACTIVE") return TokenErrc::client_inactive;
  // Optional `_gh.tokensNotBefore` (epoch s): tokens issued before it stay dead after reactivation.
  if (auto* gh = app->body.if_contains("_gh"); gh && gh->is_object())
    if (auto nbf = int_member(gh->get_object(), "tokensNotBefore"); nbf && c.iat < *nbf)
      return TokenErrc::client_inactive;
  // Issue 15: the operator revoked every install of the instance's integration.
  if (directory_)
    if (auto* p = org.client(core::ClientId{c.cid}); p && p->client && p->client->integration &&
                                                     instance_revoked(*directory_, *p->client->integration))
      return TokenErrc::client_inactive;
  // DESIGN.md "Tokens": a revoked jti stays in the revocation set until its exp.
  if (org.doc(domain::kind::revoked_token, c.jti)) return TokenErrc::revoked;
  return {};
}

AccessTokenVerifier::Shard& AccessTokenVerifier::shard_of(const std::string& key) const {
  return shards_[(std::hash<std::string>{}(key) >> 7) % kShards];
}

AccessTokenVerifier::Claims AccessTokenVerifier::cache_find(const std::string& key) const {
  auto& s = shard_of(key);
  std::lock_guard lk(s.mu);
  auto it = s.map.find(key);
  return it == s.map.end() ? nullptr : it->second;
}

void AccessTokenVerifier::cache_put(std::string key, Claims claims) {
  auto& s = shard_of(key);
  const std::int64_t now = core::epoch_ms(clock_.now()) / 1000;
  std::lock_guard lk(s.mu);
  if (s.map.size() >= shard_capacity_) {
    std::erase_if(s.map, [&](const auto& e) { return now >= e.second->exp + skew_s_; });
    // Still full: drop an arbitrary half (bounded memory beats a perfect LRU here).
    if (s.map.size() >= shard_capacity_) {
      std::size_t drop = s.map.size() / 2 + 1;
      for (auto it = s.map.begin(); it != s.map.end() && drop > 0; --drop) it = s.map.erase(it);
    }
  }
  s.map.emplace(std::move(key), std::move(claims));
}

}  // namespace gh::oauth
