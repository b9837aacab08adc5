/* Instructions per ES256 signature, for bench/profiles/measure.sh: N EVP_PKEY_sign calls on a
 * context prepared once with a P-256 key, each over the SHA-256 of a token-sized signing input
 * (what `openssl speed ecdsap256` times, plus the hash a JWS needs). Build: cc -O2 sign_loop.c
 * -lcrypto. Usage: sign_loop N */
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000;
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (!key) return 1;
  const char* msg =
      "eyJhbGciOiJFUzI1NiIsImtpZCI6ImtpZC0xIn0.eyJ2ZXIiOjEsImp0aSI6IkFULjAxMjM0NTY3ODlhYmNkZWZnaGlqa2xtbm9wcXJzdHV2"
      "d3h5ekFCQ0RFRkciLCJpc3MiOiJodHRwOi8vMTI3LjAuMC4xOjgwODAvb2F1dGgyL2RlZmF1bHQiLCJhdWQiOiJhcGk6Ly9kZWZhdWx0IiwiaWF0"
      "IjoxNzk1MDAwMDAwLCJleHAiOjE3OTUwMDM2MDAsImNpZCI6IjBvYTAxMjM0NTY3ODlhYmNkZWZnIiwic2NwIjpbImJlbmNoLnJlYWQiXX0";
  unsigned char sig[128], digest[32];
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, NULL);
  if (!ctx || EVP_PKEY_sign_init(ctx) != 1) return 1;
  for (long i = 0; i < n; ++i) {
    size_t len = sizeof sig;
    if (EVP_Digest(msg, strlen(msg), digest, NULL, EVP_sha256(), NULL) != 1 ||
        EVP_PKEY_sign(ctx, sig, &len, digest, sizeof digest) != 1)
      return 1;
  }
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(key);
  return 0;
}
