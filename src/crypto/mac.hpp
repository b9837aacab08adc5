#pragma once
// Credential MACs: generated secrets are stored only as HMAC-SHA256(pepper, value) (DESIGN.md).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace gh::crypto {

using Mac = std::array<std::uint8_t, 32>;

// A server pepper: 32 secret bytes. Immutable; thread-safe.
class Pepper {
 public:
  explicit Pepper(std::string_view key32);
  Mac mac(std::string_view value) const;

 private:
  std::array<std::uint8_t, 32> key_{};
};

// Constant-time comparison (CRYPTO_memcmp).
bool equal_mac(const Mac& a, const Mac& b);
std::string mac_key(const Mac& m);  // the raw 32 bytes as a string (a lookup key)
std::array<std::uint8_t, 32> sha256(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);

}  // namespace gh::crypto
