// Verifier: JWT access tokens (RFC 9068 §4, RFC 7519 §7.2, RFC 8725) and the JWK set cache.
#include "gatehouse/client/verifier.hpp"

#include <boost/json/parse.hpp>

#include "gatehouse/client/token_client.hpp"
#include "jose/jws.hpp"
#include "jose/numeric_date.hpp"

namespace gh::sdk {
namespace json = boost::json;
using namespace std::chrono;

namespace {
const core::SystemClock kSystemClock;

Error invalid(std::string d) { return Error(Errc::invalid_token, 401, std::move(d)); }

bool has_audience(const json::object& p, std::string_view aud) {
  auto* a = p.if_contains("aud");
  if (!a) return false;
  if (a->is_string()) return a->as_string() == aud;
  if (a->is_array())
    for (auto& x : a->as_array())
      if (x.is_string() && x.as_string() == aud) return true;
  return false;
}

std::vector<std::string> scopes_of(const json::object& p) {
  std::vector<std::string> out;
  if (auto* s = p.if_contains("scp"); s && s->is_array()) {  // okta-compat.md §4.2
    for (auto& x : s->as_array())
      if (x.is_string()) out.emplace_back(x.as_string());
  } else if (auto* s = p.if_contains("scope"); s && s->is_string()) {  // RFC 9068 §2.2.3
    std::string_view v = s->as_string();
    while (!v.empty()) {
      auto sp = v.find(' ');
      if (sp != 0) out.emplace_back(v.substr(0, sp));
      if (sp == std::string_view::npos) break;
      v.remove_prefix(sp + 1);
    }
  }
  return out;
}

std::string str(const json::object& p, std::string_view k) {
  auto* v = p.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
}  // namespace

Verifier::Verifier(VerifierOptions o, std::shared_ptr<Transport> t, const core::Clock* c)
    : opts_(std::move(o)), transport_(std::move(t)), clock_(c ? c : &kSystemClock) {
  if (!transport_) transport_ = make_beast_transport();
}

Result<std::unique_ptr<Verifier>> Verifier::create(VerifierOptions opts, std::shared_ptr<Transport> transport,
                                                   const core::Clock* clock) {
  if (opts.issuer.empty() || opts.audience.empty())
    return Error(Errc::bad_config, 0, "issuer and audience are required");
  if (auto ok = check_url(opts.issuer); !ok) return ok.error();
  if (!opts.jwks_uri.empty())
    if (auto ok = check_url(opts.jwks_uri); !ok) return ok.error();
  return std::unique_ptr<Verifier>(new Verifier(std::move(opts), std::move(transport), clock));
}

int Verifier::jwks_fetches() const {
  std::lock_guard lk(mu_);
  return fetches_;
}

Result<jose::Jwk> Verifier::key_for(std::string_view kid) {
  std::lock_guard lk(mu_);
  if (jwks_)
    if (auto* k = jwks_->find(kid)) return *k;
  auto now = clock_->now();
  // An unknown kid refetches the set (key rotation), but at most once per interval, so that
  // tokens with made-up kids cannot make the verifier hammer the issuer.
  if (last_fetch_ && now - *last_fetch_ < opts_.jwks_refresh_interval)
    return invalid("unknown kid");
  last_fetch_ = now;
  ++fetches_;
  if (opts_.jwks_uri.empty()) {
    auto md = discover(*transport_, opts_.issuer);
    if (!md) return Error(Errc::jwks_unavailable, 0, md.error().message());
    if (md->jwks_uri.empty()) return Error(Errc::jwks_unavailable, 0, "metadata has no jwks_uri");
    if (auto ok = check_url(md->jwks_uri); !ok) return ok.error();
    opts_.jwks_uri = md->jwks_uri;
  }
  auto res = transport_->send({"GET", opts_.jwks_uri, {{"Accept", "application/json"}}, {}});
  if (!res) return Error(Errc::jwks_unavailable, 0, res.error().message());
  if (res->status != 200) return Error(Errc::jwks_unavailable, res->status, opts_.jwks_uri);
  // Keys the SDK cannot use (e.g. "oct", or without kid) are skipped, not fatal: other
  // issuers publish them beside their signing keys.
  boost::system::error_code ec;
  auto v = json::parse(res->body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("keys") || !v.as_object().at("keys").is_array())
    return Error(Errc::jwks_unavailable, 200, "not a JWK set");
  std::vector<jose::Jwk> keys;
  for (auto& k : v.as_object().at("keys").as_array()) {
    if (!k.is_object()) continue;
    auto j = jose::Jwk::parse_public(k.as_object());
    if (j && !j->kid().empty() && (j->use().empty() || j->use() == "sig")) keys.push_back(*j);
  }
  auto set = jose::JwkSet::from_keys(std::move(keys));
  if (!set) return Error(Errc::jwks_unavailable, 200, set.error().message());
  jwks_ = std::move(*set);
  if (auto* k = jwks_->find(kid)) return *k;
  return invalid("unknown kid");
}

Result<Claims> Verifier::verify_token(std::string_view jwt) {
  auto jws = jose::decode(jwt);
  if (!jws) return invalid("malformed token");
  // RFC 8725 §3.11 / RFC 9449 §4.2: a DPoP proof is not an access token.
  if (auto* typ = jws->header.if_contains("typ"); typ && typ->is_string() && typ->as_string() == "dpop+jwt")
    return invalid("a DPoP proof is not an access token");
  auto kid = jose::find_kid(*jws);
  if (!kid || !*kid) return invalid("no kid");
  auto key = key_for(**kid);
  if (!key) return key.error();
  // RFC 8725 §3.1: the algorithm is the key's, never the header's.
  if (auto ok = jose::verify_signature(*jws, *key, jose::signing_alg(*key)); !ok)
    return invalid(std::string("signature: ") + ok.error().message());
  boost::system::error_code ec;
  auto v = json::parse(jws->payload, ec);
  if (ec || !v.is_object()) return invalid("claims are not a JSON object");
  Claims c;
  c.payload = std::move(v.as_object());
  auto& p = c.payload;
  if (str(p, "iss") != opts_.issuer) return invalid("issuer");         // RFC 9068 §4 step 3
  if (!has_audience(p, opts_.audience)) return invalid("audience");    // RFC 9068 §4 step 4
  auto now = core::epoch_ms(clock_->now()) / 1000;
  auto skew = opts_.clock_skew.count();
  auto exp = p.contains("exp") ? jose::parse_numeric_date(p.at("exp")) : std::nullopt;
  if (!exp) return invalid("no exp");                                   // RFC 9068 §2.2
  if (now - skew >= *exp) return invalid("expired");                    // RFC 7519 §4.1.4
  if (p.contains("nbf")) {
    auto nbf = jose::parse_numeric_date(p.at("nbf"));
    if (!nbf || *nbf > now + skew) return invalid("not yet valid");     // RFC 7519 §4.1.5
  }
  if (p.contains("iat")) {
    auto iat = jose::parse_numeric_date(p.at("iat"));
    if (!iat || *iat > now + skew) return invalid("issued in the future");  // RFC 7519 §4.1.6
  }
  c.expires_at = *exp;
  c.subject = str(p, "sub");
  c.client_id = p.contains("cid") ? str(p, "cid") : str(p, "client_id");
  c.scopes = scopes_of(p);
  if (auto* cnf = p.if_contains("cnf"); cnf && cnf->is_object())
    if (auto* j = cnf->as_object().if_contains("jkt"); j && j->is_string()) c.jkt = std::string(j->as_string());
  for (auto& need : opts_.required_scopes)  // RFC 6750 §3.1 insufficient_scope
    if (std::find(c.scopes.begin(), c.scopes.end(), need) == c.scopes.end())
      return Error(Errc::insufficient_scope, 403, "missing scope " + need);
  return c;
}

Result<Claims> Verifier::verify(const IncomingRequest& req) {
  std::string_view auth = req.authorization;
  auto sp = auth.find(' ');
  if (auth.empty() || sp == std::string_view::npos) return Error(Errc::missing_token, 401, "");
  auto scheme = auth.substr(0, sp);
  auto token = auth.substr(sp + 1);
  auto ieq = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
  };
  bool dpop = ieq(scheme, "DPoP");
  if (!dpop && !ieq(scheme, "Bearer")) return Error(Errc::missing_token, 401, "unknown scheme");
  if (!dpop && opts_.require_dpop) return invalid("DPoP required");
  auto c = verify_token(token);
  if (!c) return c;
  // RFC 9449 §7.1: a bound token only with the DPoP scheme and its proof; an unbound one
  // never with the DPoP scheme.
  if (c->jkt && !dpop) return invalid("DPoP-bound token sent as Bearer");
  if (dpop && !c->jkt) return invalid("token is not DPoP-bound");
  if (dpop)
    if (auto ok = check_proof(req, token, *c); !ok) return ok.error();
  return c;
}

std::string Verifier::www_authenticate(const Error& e) const {
  std::string scheme = opts_.require_dpop ? "DPoP" : "Bearer";
  std::string s = scheme + " realm=\"" + opts_.audience + "\"";
  if (e.code == Errc::missing_token) return s;
  if (e.code == Errc::insufficient_scope) {
    std::string scopes;
    for (auto& x : opts_.required_scopes) scopes += (scopes.empty() ? "" : " ") + x;
    return s + ", error=\"insufficient_scope\", scope=\"" + scopes + "\"";
  }
  if (e.code == Errc::invalid_dpop_proof)
    return "DPoP realm=\"" + opts_.audience + "\", error=\"invalid_dpop_proof\"";
  return s + ", error=\"invalid_token\"";
}

}  // namespace gh::sdk
