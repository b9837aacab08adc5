#pragma once
// Randomness is injected. SecureRandom draws from OpenSSL's CSPRNG (RAND_bytes).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace gh::core {

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

class SecureRandom final : public Random {
 public:
  void fill(std::span<std::uint8_t> out) override;  // aborts if the CSPRNG fails
};

// For tests: deterministic, not secure.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : s_(seed | 1) {}
  void fill(std::span<std::uint8_t> out) override;

 private:
  std::uint64_t s_;
};

extern const char kBase62[63];
// `n` characters drawn uniformly from [0-9A-Za-z] (rejection sampling, no modulo bias).
std::string random_base62(Random& r, std::size_t n);

}  // namespace gh::core
