// Micro-benchmark of JWS signing (issue 3 "Performance": the token endpoint's floor is the
// signature). Compares jose::sign (a whole compact JWS: header, payload, base64url, signature)
// with a bare OpenSSL loop over the same key (EVP_PKEY_sign on a prepared context, pre-hashed
// input) — what `openssl speed` measures. Run: build/gh_micro_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <string>

#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "jose/keys.hpp"

namespace {

using gh::jose::Alg;

gh::jose::Jwk make_key(Alg alg) {
  auto pkey = gh::jose::generate_for_alg(alg);
  if (!pkey) std::abort();
  auto jwk = gh::jose::Jwk::from_pkey(std::move(*pkey), "kid-1", alg);
  if (!jwk) std::abort();
  return std::move(*jwk);
}

const std::string kPayload =
    R"({"ver":1,"jti":"AT.0123456789abcdefghijklmnopqrstuvwxyzABCDEFG","iss":"http://127.0.0.1:8080/oauth2/default",)"
    R"("aud":"api://default","iat":1795000000,"exp":1795003600,"cid":"0oa0123456789abcdefg","scp":["bench.read"],)"
    R"("sub":"0oa0123456789abcdefg"})";

void jose_sign(benchmark::State& state, Alg alg) {
  auto key = make_key(alg);
  for (auto _ : state) {
    auto jws = gh::jose::sign(alg, key, {{"kid", "kid-1"}}, kPayload);
    if (!jws) state.SkipWithError("sign failed");
    benchmark::DoNotOptimize(jws);
  }
}

void openssl_sign(benchmark::State& state, Alg alg) {
  auto key = make_key(alg);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key.pkey(), nullptr);
  if (!ctx || EVP_PKEY_sign_init(ctx) != 1 || EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) != 1)
    std::abort();
  unsigned char digest[32];
  unsigned int dlen = 0;
  EVP_Digest(kPayload.data(), kPayload.size(), digest, &dlen, EVP_sha256(), nullptr);
  unsigned char sig[512];
  for (auto _ : state) {
    std::size_t len = sizeof sig;
    if (EVP_PKEY_sign(ctx, sig, &len, digest, dlen) != 1) state.SkipWithError("sign failed");
    benchmark::DoNotOptimize(sig);
  }
  EVP_PKEY_CTX_free(ctx);
}

BENCHMARK_CAPTURE(jose_sign, RS256, Alg::RS256)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(openssl_sign, RS256, Alg::RS256)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(jose_sign, ES256, Alg::ES256)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(openssl_sign, ES256, Alg::ES256)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(jose_sign, EdDSA, Alg::EdDSA)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
