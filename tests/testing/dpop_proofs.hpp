#pragma once
// DPoP proofs (RFC 9449 §4.2) for tests: signed with a real key, any member overridable.
#include <boost/json.hpp>

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base64.hpp"
#include "crypto/mac.hpp"
#include "jose/jws.hpp"

namespace gh::testing {

struct ProofSpec {
  std::string htm = "POST";
  std::string htu;
  std::int64_t iat = 0;
  std::string jti;                   // "" → a fresh one
  std::string nonce;                 // "" → no nonce claim
  std::string access_token;          // "" → no ath claim
  boost::json::object claims = {};   // merged last; a null value removes the claim
  boost::json::object header = {};   // merged last; a null value removes the member
};

inline void merge_json(boost::json::object& into, const boost::json::object& over) {
  for (auto& m : over) {
    if (m.value().is_null()) into.erase(m.key());
    else into[m.key()] = m.value();
  }
}

inline std::string ath_of(std::string_view token) {
  auto h = crypto::sha256(token);
  return core::base64url_encode(std::string_view(reinterpret_cast<const char*>(h.data()), h.size()));
}

// Signs a proof with `key` (private) and `alg`; the header's jwk is the key's public JWK.
inline std::string dpop_proof(const jose::Jwk& key, jose::Alg alg, const ProofSpec& s) {
  static std::atomic<int> counter{0};
  boost::json::object c{{"htm", s.htm}, {"htu", s.htu}, {"iat", s.iat},
                        {"jti", s.jti.empty() ? "proof-" + std::to_string(++counter) : s.jti}};
  if (!s.nonce.empty()) c["nonce"] = s.nonce;
  if (!s.access_token.empty()) c["ath"] = ath_of(s.access_token);
  merge_json(c, s.claims);
  boost::json::object h{{"typ", "dpop+jwt"}, {"jwk", key.to_public_json()}};
  merge_json(h, s.header);
  auto header_alg = h.if_contains("alg");
  if (header_alg && header_alg->is_string() && header_alg->get_string() != jose::alg_name(alg)) {
    // A header naming another alg than the one signed with: assemble by hand.
    auto input = core::base64url_encode(boost::json::serialize(h)) + "." +
                 core::base64url_encode(boost::json::serialize(c));
    auto real = jose::sign(alg, key, {{"typ", "dpop+jwt"}}, "x").value();
    return input + real.substr(real.rfind('.'));
  }
  return jose::sign(alg, key, std::move(h), boost::json::serialize(c)).value();
}

}  // namespace gh::testing
