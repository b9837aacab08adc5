// libFuzzer target: compact JWS decoding and verification (src/jose/jws.*) with attacker-chosen
// tokens: client assertions, DPoP proofs and access tokens all arrive this way. Every input must
// end in a value (an error or a verified JWS), never a crash, a leak or undefined behaviour.
// Run by scripts/fuzz.sh (make test) with a bounded number of runs.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "jose/keys.hpp"

namespace {

struct Keys {
  std::vector<std::pair<gh::jose::Jwk, gh::jose::Alg>> keys;
  Keys() {
    using gh::jose::Alg;
    for (Alg alg : {Alg::RS256, Alg::PS256, Alg::ES256, Alg::ES384, Alg::EdDSA}) {
      auto pkey = gh::jose::generate_for_alg(alg);
      if (!pkey) __builtin_trap();
      auto jwk = gh::jose::Jwk::from_pkey(std::move(*pkey), "k", alg);
      if (!jwk) __builtin_trap();
      keys.emplace_back(std::move(*jwk), alg);
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Keys keys;
  const std::string_view compact(reinterpret_cast<const char*>(data), size);
  auto jws = gh::jose::decode(compact);
  if (!jws) return 0;
  (void)gh::jose::find_kid(*jws);
  (void)gh::jose::check_header_no_embedded_keys(jws->header);
  for (const auto& [key, alg] : keys.keys) {
    // A fuzzer cannot forge a signature: any success here is a verifier bug.
    if (gh::jose::verify_signature(*jws, key, alg)) __builtin_trap();
  }
  return 0;
}
