#include "crypto/mac.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>

namespace gh::crypto {

Pepper::Pepper(std::string_view key32) {
  std::array<std::uint8_t, 32> key{};
  std::copy_n(key32.begin(), std::min<std::size_t>(key32.size(), key.size()), key.begin());
  crypto_auth_hmacsha256_init(&keyed_, key.data(), key.size());
  OPENSSL_cleanse(key.data(), key.size());
}

Pepper::~Pepper() { OPENSSL_cleanse(&keyed_, sizeof keyed_); }

Mac Pepper::mac(std::string_view value) const {
  Mac out{};
  crypto_auth_hmacsha256_state st = keyed_;
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(value.data()), value.size());
  crypto_auth_hmacsha256_final(&st, out.data());
  OPENSSL_cleanse(&st, sizeof st);
  return out;
}

bool equal_mac(const Mac& a, const Mac& b) { return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0; }

std::string mac_key(const Mac& m) { return std::string(reinterpret_cast<const char*>(m.data()), m.size()); }

std::array<std::uint8_t, 32> sha256(std::string_view data) {
  std::array<std::uint8_t, 32> out{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

}  // namespace gh::crypto
