#include "crypto/credential.hpp"

#include <zlib.h>

namespace gh::crypto {
namespace {
constexpr std::size_t kRandomChars = 43;  // 62^43 > 2^256
constexpr std::size_t kChecksumChars = 6;  // 62^6 > 2^32

std::string checksum(std::string_view body) {
  auto crc = static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
  std::string out(kChecksumChars, '0');
  for (std::size_t i = kChecksumChars; i-- > 0;) {
    out[i] = core::kBase62[crc % 62];
    crc /= 62;
  }
  return out;
}

bool is_base62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
}  // namespace

std::string_view credential_prefix(CredentialKind k) {
  switch (k) {
    case CredentialKind::api_token: return "gth_api_";
    case CredentialKind::client_secret: return "gth_cs_";
    case CredentialKind::integration_secret: return "gth_is_";
  }
  return "gth_";
}

core::SecretString generate_credential(core::Random& r, CredentialKind k) {
  std::string v{credential_prefix(k)};
  v += core::random_base62(r, kRandomChars);
  v += checksum(v);
  return core::SecretString{std::move(v)};
}

bool is_well_formed(std::string_view value, CredentialKind k) {
  auto prefix = credential_prefix(k);
  if (value.size() != prefix.size() + kRandomChars + kChecksumChars) return false;
  if (value.substr(0, prefix.size()) != prefix) return false;
  for (char c : value.substr(prefix.size()))
    if (!is_base62(c)) return false;
  auto body = value.substr(0, value.size() - kChecksumChars);
  return checksum(body) == value.substr(body.size());
}

std::string credential_hint(std::string_view value, CredentialKind k) {
  auto n = credential_prefix(k).size() + 4;
  return std::string(value.substr(0, std::min(n, value.size())));
}

}  // namespace gh::crypto
