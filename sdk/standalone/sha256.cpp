// Only in the standalone SDK build (sdk/CMakeLists.txt): jose's JWK thumbprint (jose/jwk.cpp)
// calls gh::crypto::sha256, the one function of src/crypto that jose uses. Defined here on
// OpenSSL so that the SDK package needs neither the rest of crypto/ nor libsodium.
#include <openssl/sha.h>

#include <array>
#include <cstdint>
#include <string_view>

namespace gh::crypto {
std::array<std::uint8_t, 32> sha256(std::string_view data);
std::array<std::uint8_t, 32> sha256(std::string_view data) {
  std::array<std::uint8_t, 32> out{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
  return out;
}
}  // namespace gh::crypto
