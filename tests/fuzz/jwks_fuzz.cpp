// libFuzzer target: JWK and JWK Set parsing (src/jose/jwk.*), the input of app registration
// (inline jwks, /credentials/jwks), jwks_uri responses and DPoP proof headers.
// Invariants: a parsed public key never reports private material; its thumbprint and public JSON
// re-parse to the same thumbprint (RFC 7638).
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "jose/jwk.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto set = gh::jose::JwkSet::parse_public(text)) {
    for (const auto& key : set->keys()) {
      if (key.is_private()) __builtin_trap();
      auto again = gh::jose::Jwk::parse_public(key.to_public_json());
      if (!again || again->thumbprint() != key.thumbprint()) __builtin_trap();
    }
  }
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return 0;
  if (auto key = gh::jose::Jwk::parse_public(value.as_object())) {
    if (key->is_private()) __builtin_trap();
    (void)key->thumbprint();
  }
  (void)gh::jose::Jwk::parse_private(value.as_object());
  return 0;
}
