// Verifier: DPoP proofs of resource requests (RFC 9449 §4.3, §7.1).
#include <boost/json/parse.hpp>

#include "gatehouse/client/keys.hpp"
#include "gatehouse/client/verifier.hpp"
#include "jose/jws.hpp"
#include "jose/numeric_date.hpp"

namespace gh::sdk {
namespace json = boost::json;

namespace {
Error bad_proof(std::string d) { return Error(Errc::invalid_dpop_proof, 401, std::move(d)); }

std::string str(const json::object& p, std::string_view k) {
  auto* v = p.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
}  // namespace

Result<void> Verifier::check_proof(const IncomingRequest& req, std::string_view token, const Claims& c) {
  if (req.dpop.empty()) return bad_proof("no DPoP header");              // §4.3 (1)
  auto jws = jose::decode(req.dpop);                                     // §4.3 (2)
  if (!jws) return bad_proof("malformed proof");
  auto& h = jws->header;
  if (str(h, "typ") != "dpop+jwt") return bad_proof("typ");             // §4.3 (4)
  auto alg = jose::parse_alg(str(h, "alg"));                             // §4.3 (5): asymmetric only
  if (!alg) return bad_proof("alg");
  auto* jwk = h.if_contains("jwk");
  if (!jwk || !jwk->is_object()) return bad_proof("no jwk");             // §4.3 (3)
  auto key = jose::Jwk::parse_public(jwk->as_object());                  // §4.3 (7): no private key
  if (!key) return bad_proof("jwk: " + key.error().message());
  if (auto ok = jose::verify_signature(*jws, *key, *alg); !ok)           // §4.3 (6)
    return bad_proof("signature: " + ok.error().message());
  boost::system::error_code ec;
  auto v = json::parse(jws->payload, ec);
  if (ec || !v.is_object()) return bad_proof("claims");
  auto& p = v.as_object();
  auto jti = str(p, "jti");
  if (jti.empty() || jti.size() > 256) return bad_proof("jti");           // §4.3 (3)
  if (str(p, "htm") != req.method) return bad_proof("htm");              // §4.3 (8)
  if (str(p, "htu") != url_without_query(req.url)) return bad_proof("htu");  // §4.3 (9)
  auto now = core::epoch_ms(clock_->now()) / 1000;
  auto window = opts_.dpop_iat_window.count();
  std::int64_t issued = -1;
  if (auto* iat = p.if_contains("iat"))
    issued = jose::parse_numeric_date(*iat).value_or(-1);
  if (issued < 0 || issued < now - window || issued > now + window) return bad_proof("iat");  // §4.3 (11)
  if (str(p, "ath") != sha256_b64url(token)) return bad_proof("ath");    // §4.3 (12)
  if (!c.jkt || *c.jkt != key->thumbprint()) return bad_proof("cnf.jkt"); // §4.3 (12), §6.1
  // §11.1: a proof is used once within its window; the set forgets jtis once they expire.
  std::lock_guard lk(mu_);
  for (auto it = seen_jti_.begin(); it != seen_jti_.end();)
    it = it->second < now ? seen_jti_.erase(it) : std::next(it);
  auto rkey = key->thumbprint() + ":" + jti;
  if (!seen_jti_.emplace(rkey, issued + window).second) return bad_proof("jti replayed");
  return {};
}

}  // namespace gh::sdk
