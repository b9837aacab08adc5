#pragma once
// Encryption at rest of server secrets (signing keys): AES-256-GCM under a key derived from the
// master key (DESIGN.md "Credentials and secrets"). Immutable; thread-safe.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/random.hpp"
#include "core/secret_string.hpp"

namespace gh::crypto {

class Sealer {
 public:
  explicit Sealer(std::string_view master_key);  // derives the AEAD key with HMAC-SHA256
  // base64url(nonce[12] || ciphertext || tag[16]); `aad` binds the ciphertext to its context.
  std::string seal(core::Random& r, std::string_view plaintext, std::string_view aad) const;
  std::optional<core::SecretString> open(std::string_view sealed, std::string_view aad) const;

 private:
  std::array<std::uint8_t, 32> key_{};
};

}  // namespace gh::crypto
