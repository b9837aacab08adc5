#pragma once
// Raw JWS signature primitives over the signing input (RFC 7518 §3, RFC 8037 §3.1).
// Internal to jose: callers use jws.hpp, which first checks that the key fits the algorithm.
#include <openssl/evp.h>

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "jose/alg.hpp"

namespace gh::jose::detail {

// Signs `data`; ECDSA results are JOSE raw R||S (RFC 7518 §3.4), not DER.
// Errors: crypto_failed (wrong key type for `alg`, or an OpenSSL failure). Thread-safe.
Result<std::string> sign_bytes(Alg alg, EVP_PKEY& key, std::string_view data);

// Verifies `sig` over `data`. Errors: bad_signature (including a wrong-length ECDSA value).
// Thread-safe.
Result<void> verify_bytes(Alg alg, EVP_PKEY& key, std::string_view data, std::string_view sig);

// Size in bytes of one ECDSA coordinate for an ES* algorithm: 32, 48 or 66 (RFC 7518 §3.4).
std::size_t ecdsa_coordinate_size(Alg alg) noexcept;

}  // namespace gh::jose::detail
