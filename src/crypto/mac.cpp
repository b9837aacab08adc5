// SHA256_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP, whose per-call
// overhead (provider dispatch, context allocation) is several thousand instructions: more than a
// block's compression. They remain in every OpenSSL 3 build with the 3.0 API (Debian's included).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/mac.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>

namespace gh::crypto {

Pepper::Pepper(std::string_view key32) {
  // RFC 2104 §2: the key zero-padded to SHA-256's 64-byte block, XOR ipad (0x36) / opad (0x5c).
  std::array<std::uint8_t, 64> block{};
  std::copy_n(key32.begin(), std::min<std::size_t>(key32.size(), 32), block.begin());
  for (auto& b : block) b ^= 0x36;
  SHA256_Init(&inner_);
  SHA256_Update(&inner_, block.data(), block.size());
  for (auto& b : block) b ^= 0x36 ^ 0x5c;
  SHA256_Init(&outer_);
  SHA256_Update(&outer_, block.data(), block.size());
  OPENSSL_cleanse(block.data(), block.size());
}

Pepper::~Pepper() {
  OPENSSL_cleanse(&inner_, sizeof inner_);
  OPENSSL_cleanse(&outer_, sizeof outer_);
}

Mac Pepper::mac(std::string_view value) const {
  Mac out{};
  SHA256_CTX c = inner_;
  SHA256_Update(&c, value.data(), value.size());
  SHA256_Final(out.data(), &c);  // the inner hash
  c = outer_;
  SHA256_Update(&c, out.data(), out.size());
  SHA256_Final(out.data(), &c);
  OPENSSL_cleanse(&c, sizeof c);
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
