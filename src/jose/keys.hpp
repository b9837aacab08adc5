#pragma once
// Key generation and PKCS#8 PEM storage encoding for signing keys (issue 3: keys are generated
// by the server and stored encrypted under the master key; encryption is the caller's job).
#include <openssl/evp.h>

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/secret_string.hpp"
#include "jose/alg.hpp"
#include "jose/openssl_ptr.hpp"

namespace gh::jose {

// New private keys. Errors: key_too_small (bits < 2048), bad_key (bits > kMaxRsaBits or
// Curve::none / ed25519 passed to generate_ec), crypto_failed. Thread-safe.
Result<PkeyPtr> generate_rsa(int bits = 2048);
Result<PkeyPtr> generate_ec(Curve crv = Curve::p256);
Result<PkeyPtr> generate_ed25519();
// A key fit for `alg`: RSA-2048 for RS*/PS*, the matching NIST curve for ES*, Ed25519 for EdDSA.
Result<PkeyPtr> generate_for_alg(Alg alg);

// Unencrypted PKCS#8 ("-----BEGIN PRIVATE KEY-----"). Errors: not_private_key, crypto_failed.
Result<core::SecretString> to_pkcs8_pem(EVP_PKEY& key);
// Reads exactly one PKCS#8 PEM private key; PKCS#1/SEC1 ("RSA PRIVATE KEY", "EC PRIVATE KEY")
// and encrypted PEM are refused (never prompts for a passphrase). Errors: bad_pem, and
// unsupported_kty / unsupported_crv / key_too_small for a key Jwk could not hold.
Result<PkeyPtr> from_pkcs8_pem(std::string_view pem);

// The public key as SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----").
Result<std::string> to_public_pem(EVP_PKEY& key);

}  // namespace gh::jose
