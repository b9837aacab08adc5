// https://www.rfc-editor.org/rfc/rfc9449#section-4.3
#include "oauth/dpop/proof.hpp"

#include <boost/json/parse.hpp>
#include <openssl/crypto.h>

#include "core/base64.hpp"
#include "crypto/mac.hpp"
#include "jose/errc.hpp"
#include "jose/jws.hpp"
#include "jose/key_memo.hpp"
#include "jose/numeric_date.hpp"
#include "oauth/dpop/htu.hpp"

namespace gh::oauth::dpop {
namespace {
namespace json = boost::json;

constexpr std::size_t kMaxProofSize = 8 * 1024;  // a proof with an RSA-4096 jwk is ~1.5 KiB

// §4.3 (5): asymmetric, supported, and never "none".
gh::Result<jose::Alg> proof_alg(const json::object& header) {
  auto* alg = header.if_contains("alg");
  if (!alg || !alg->is_string()) return Errc::bad_alg;
  auto parsed = jose::parse_alg(alg->get_string());  // none, HS* and unknown names fail here
  if (!parsed) return Errc::bad_alg;
  for (auto a : {jose::Alg::RS256, jose::Alg::RS384, jose::Alg::RS512, jose::Alg::ES256, jose::Alg::ES384,
                 jose::Alg::ES512})
    if (*parsed == a) return a;
  return Errc::bad_alg;
}

// §4.2, §4.3 (7): the public key the proof is signed with, never with private parts.
gh::Result<jose::Jwk> proof_key(const json::object& header, jose::Alg alg) {
  auto* jwk = header.if_contains("jwk");
  if (!jwk || !jwk->is_object()) return Errc::missing_jwk;
  auto key = jose::parse_public_memo(jwk->get_object());
  if (!key) return key.error() == jose::Errc::private_key_material ? Errc::private_key_in_jwk : Errc::bad_jwk;
  if (!key->check_alg(alg)) return Errc::bad_jwk;  // §4.3 (5): alg fits the key (type, curve, alg)
  return std::move(*key);
}

// RFC 7519 §2 NumericDate, by the one policy of jose/numeric_date.hpp; nullopt when absent.
std::optional<std::int64_t> numeric_date(const json::value* v) {
  return v ? jose::parse_numeric_date(*v) : std::nullopt;
}

const json::string* string_claim(const json::object& c, std::string_view name) {
  auto* v = c.if_contains(name);
  return v && v->is_string() ? &v->get_string() : nullptr;
}

gh::Result<void> check_claims(const json::object& c, const ProofExpectations& want) {
  auto* jti = string_claim(c, "jti");  // §4.2: unique identifier
  if (!jti || jti->empty() || jti->size() > kMaxJtiLength) return Errc::bad_jti;
  auto* htm = string_claim(c, "htm");  // §4.3 (8): method names are case-sensitive (RFC 9110 §9.1)
  if (!htm || want.method.empty() || *htm != want.method) return Errc::bad_htm;
  auto* htu = string_claim(c, "htu");  // §4.3 (9), okta-compat.md §11.27
  if (!htu || !htu_matches(*htu, want.url)) return Errc::bad_htu;
  auto iat = numeric_date(c.if_contains("iat"));  // §4.3 (11), okta-compat.md §4.1: ±5 min
  if (!iat) return Errc::bad_iat;
  if (*iat > want.now + kIatWindow) return Errc::iat_in_future;
  if (*iat < want.now - kIatWindow) return Errc::iat_too_old;
  if (want.access_token) {  // §4.3 (10): ath = base64url(sha256(access_token))
    auto* ath = string_claim(c, "ath");
    auto expected = access_token_hash(*want.access_token);
    if (!ath || ath->size() != expected.size() ||
        CRYPTO_memcmp(ath->data(), expected.data(), expected.size()) != 0)
      return Errc::bad_ath;
  }
  if (auto* nonce = c.if_contains("nonce"); nonce && !nonce->is_string()) return Errc::bad_nonce;
  return {};
}

}  // namespace

gh::Result<std::string_view> proof_header(const http::Request& req) {
  std::string_view found;
  int n = 0;
  for (auto& [name, value] : req.headers)
    if (http::iequals(name, "DPoP")) ++n, found = value;
  if (n > 1) return Errc::multiple_headers;
  while (!found.empty() && (found.front() == ' ' || found.front() == '\t')) found.remove_prefix(1);
  while (!found.empty() && (found.back() == ' ' || found.back() == '\t')) found.remove_suffix(1);
  if (found.empty()) return Errc::missing_header;
  return found;
}

gh::Result<Proof> check_proof(std::string_view compact, const ProofExpectations& want) {
  if (compact.size() > kMaxProofSize) return Errc::malformed;
  auto jws = jose::decode(compact);  // §4.3 (2): a well-formed JWT
  if (!jws || jws->signature.empty()) return Errc::malformed;
  auto& h = jws->header;
  // §4.3 (4): typ is dpop+jwt (a media type: compared case-insensitively, RFC 7515 §4.1.9).
  auto* typ = h.if_contains("typ");
  if (!typ || !typ->is_string() || !http::iequals(typ->get_string(), "dpop+jwt")) return Errc::bad_typ;
  auto alg = proof_alg(h);
  if (!alg) return alg.error();
  if (h.contains("crit")) return Errc::unsupported_crit;
  auto key = proof_key(h, *alg);
  if (!key) return key.error();
  // §4.3 (6): the signature verifies with the embedded key; the alg was vetted above.
  if (auto ok = jose::verify_signature(*jws, *key, *alg); !ok)
    return ok.error() == jose::Errc::bad_signature ? Errc::bad_signature : Errc::bad_alg;
  boost::system::error_code ec;
  auto payload = json::parse(jws->payload, ec);
  if (ec || !payload.is_object()) return Errc::malformed;
  auto& claims = payload.get_object();
  if (auto ok = check_claims(claims, want); !ok) return ok.error();
  Proof p;
  p.jkt = key->thumbprint();
  p.jti = std::string(claims.at("jti").get_string());
  p.iat = *numeric_date(claims.if_contains("iat"));
  if (auto* nonce = string_claim(claims, "nonce")) p.nonce = std::string(*nonce);
  return p;
}

std::string replay_key(std::string_view scope, const Proof& p) {
  // Hashed: fixed 32 bytes per entry whatever the jti's length.
  std::string input(scope);
  input += '\n';
  input += p.jkt;
  input += '\n';
  input += p.jti;
  auto h = crypto::sha256(input);
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

std::string access_token_hash(std::string_view access_token) {
  auto h = crypto::sha256(access_token);
  return core::base64url_encode(std::string_view(reinterpret_cast<const char*>(h.data()), h.size()));
}

}  // namespace gh::oauth::dpop
