#include "core/random.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace gh::core {

const char kBase62[63] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

namespace {

void rand_bytes(std::uint8_t* out, std::size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) {
    std::fputs("fatal: CSPRNG failure\n", stderr);
    std::abort();
  }
}

}  // namespace

// Small draws (ids, jti, credentials) are served from a per-thread buffer of CSPRNG output
// refilled 4 KiB at a time: one DRBG call (with its locking and fork check) per ~100 draws
// instead of one each. Served bytes are wiped from the buffer at once. The server never forks,
// so no two processes can share a buffer.
void SecureRandom::fill(std::span<std::uint8_t> out) {
  struct Buffer {
    std::uint8_t bytes[4096];
    std::size_t pos = sizeof bytes;
    ~Buffer() { OPENSSL_cleanse(bytes, sizeof bytes); }
  };
  thread_local Buffer buf;
  if (out.size() > 256) return rand_bytes(out.data(), out.size());
  if (out.size() > sizeof buf.bytes - buf.pos) {
    rand_bytes(buf.bytes, sizeof buf.bytes);
    buf.pos = 0;
  }
  std::memcpy(out.data(), buf.bytes + buf.pos, out.size());
  OPENSSL_cleanse(buf.bytes + buf.pos, out.size());
  buf.pos += out.size();
}

void SeededRandom::fill(std::span<std::uint8_t> out) {
  for (auto& b : out) {  // xorshift64*
    s_ ^= s_ >> 12, s_ ^= s_ << 25, s_ ^= s_ >> 27;
    b = static_cast<std::uint8_t>((s_ * 2685821657736338717ULL) >> 56);
  }
}

std::string random_base62(Random& r, std::size_t n) {
  std::string out(n, '\0');
  std::size_t have = 0;
  std::uint8_t buf[64];
  while (have < n) {
    // The bytes still needed and a margin for the 1 in 32 rejected, not a whole buffer: a
    // request id (20 characters, every request) drew 64 bytes (issue 20).
    std::size_t want = std::min(sizeof buf, (n - have) + (n - have) / 4 + 4);
    r.fill({buf, want});
    for (std::size_t i = 0; i < want && have < n; ++i) {
      if (buf[i] >= 248) continue;  // 248 = 4*62: reject to avoid modulo bias
      out[have++] = kBase62[buf[i] % 62];
    }
  }
  return out;
}

}  // namespace gh::core
