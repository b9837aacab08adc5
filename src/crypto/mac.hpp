#pragma once
// Credential MACs: generated secrets are stored only as HMAC-SHA256(pepper, value) (DESIGN.md).
#include <openssl/sha.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/mac.hpp"

namespace gh::crypto {

using Mac = core::Mac;

// A server pepper: 32 secret bytes. Immutable; thread-safe.
class Pepper {
 public:
  explicit Pepper(std::string_view key32);
  ~Pepper();
  Pepper(const Pepper&) = default;
  Pepper& operator=(const Pepper&) = default;
  Mac mac(std::string_view value) const;

 private:
  // RFC 2104: HMAC's inner and outer hash states after the padded key, computed once; each MAC
  // copies them (every SSWS request and client secret check computes one). OpenSSL's SHA-256
  // (its assembly block function: a token's secret check costs two blocks, ~2k instructions
  // each against ~5.4k with libsodium's portable C; issue 20).
  SHA256_CTX inner_{}, outer_{};
};

// Constant-time comparison (CRYPTO_memcmp).
bool equal_mac(const Mac& a, const Mac& b);
std::string mac_key(const Mac& m);  // the raw 32 bytes as a string (a lookup key)
std::array<std::uint8_t, 32> sha256(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);

}  // namespace gh::crypto
