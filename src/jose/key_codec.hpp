#pragma once
// Conversions between JWK members and OpenSSL keys (RFC 7518 §6, RFC 8037 §2).
// Internal to jose: callers use jwk.hpp.
#include <openssl/evp.h>

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "jose/alg.hpp"
#include "jose/openssl_ptr.hpp"

namespace gh::jose::detail {

struct KeyInfo {
  KeyType kty = KeyType::rsa;
  Curve crv = Curve::none;
  int bits = 0;
  bool is_private = false;
};

// Builds a key from the members of one kty. `want_private` requires and imports the private
// members; otherwise they are ignored (the caller has already refused them).
// Errors: missing_key_member, bad_key, unsupported_crv, not_private_key, crypto_failed.
Result<PkeyPtr> rsa_from_jwk(const boost::json::object& o, bool want_private);
Result<PkeyPtr> ec_from_jwk(const boost::json::object& o, bool want_private);
Result<PkeyPtr> okp_from_jwk(const boost::json::object& o, bool want_private);

// Key family, curve, size and whether private material is present.
// Errors: unsupported_kty (e.g. RSA-PSS-restricted, DSA, X25519), unsupported_crv.
Result<KeyInfo> inspect(EVP_PKEY& key);

// The RFC 7638 §3.2 required members of the public key: {kty, n, e} / {kty, crv, x, y} /
// {kty, crv, x} (RFC 8037 §2), values canonical (no leading zero octets in n and e).
Result<boost::json::object> required_public_members(EVP_PKEY& key, const KeyInfo& info);

}  // namespace gh::jose::detail
