#include "core/random.hpp"

#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace gh::core {

const char kBase62[63] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

void SecureRandom::fill(std::span<std::uint8_t> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    std::fputs("fatal: CSPRNG failure\n", stderr);
    std::abort();
  }
}

void SeededRandom::fill(std::span<std::uint8_t> out) {
  for (auto& b : out) {  // xorshift64*
    s_ ^= s_ >> 12, s_ ^= s_ << 25, s_ ^= s_ >> 27;
    b = static_cast<std::uint8_t>((s_ * 2685821657736338717ULL) >> 56);
  }
}

std::string random_base62(Random& r, std::size_t n) {
  std::string out;
  out.reserve(n);
  std::uint8_t buf[64];
  while (out.size() < n) {
    r.fill(buf);
    for (std::uint8_t b : buf) {
      if (b >= 248) continue;  // 248 = 4*62: reject to avoid modulo bias
      out.push_back(kBase62[b % 62]);
      if (out.size() == n) break;
    }
  }
  return out;
}

}  // namespace gh::core
