// libFuzzer target: DPoP proof JWTs (src/oauth/dpop/proof.*, RFC 9449 §4.3): every proof sent
// to the token endpoint and to /api/v1 is checked by check_proof before anything else. The first
// byte picks what the proof must match (method, resource request with an access token or not);
// the rest is the proof. Every input must end in a value, never a crash, a leak or undefined
// behaviour; the error is one of dpop::Errc, and a proof that passes has a thumbprint.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "oauth/dpop/proof.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view compact(reinterpret_cast<const char*>(data + 1), size - 1);
  gh::oauth::dpop::ProofExpectations want;
  want.method = mode & 1 ? "GET" : "POST";
  want.url = mode & 2 ? "http://127.0.0.1:8080/api/v1/groups" : "http://127.0.0.1:8080/oauth2/v1/token";
  want.now = 1'765'000'000 + (mode >> 4) * 100;
  if (mode & 4) want.access_token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
  auto proof = gh::oauth::dpop::check_proof(compact, want);
  if (proof) {
    if (proof->jkt.empty() || proof->jti.empty()) __builtin_trap();
    (void)gh::oauth::dpop::replay_key("00o1", *proof);
  } else if (proof.error().category() != gh::oauth::dpop::dpop_category()) {
    __builtin_trap();
  }
  (void)gh::oauth::dpop::access_token_hash(compact);
  return 0;
}
