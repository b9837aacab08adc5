#pragma once
// JWS algorithms (RFC 7518 §3.1, RFC 8037 §3.1) and the key families they need.
// Only asymmetric algorithms exist here: "none" and HS* cannot be named (RFC 8725 §3.1, §3.2).
#include <array>
#include <string_view>

#include "core/result.hpp"

namespace gh::jose {

// Enumerators copy the wire names (STYLE.md §3, naming).
enum class Alg { RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA };

inline constexpr std::array<Alg, 10> kAllAlgs = {Alg::RS256, Alg::RS384, Alg::RS512, Alg::PS256,
                                                 Alg::PS384, Alg::PS512, Alg::ES256, Alg::ES384,
                                                 Alg::ES512, Alg::EdDSA};

enum class KeyType { rsa, ec, okp };                   // RFC 7518 §6.1, RFC 8037 §2
enum class Curve { none, p256, p384, p521, ed25519 };  // none for RSA

// The "alg" wire name, e.g. "RS256".
std::string_view alg_name(Alg alg) noexcept;
// Parses a wire name. Errors: alg_none for "none", alg_hmac for HS256/384/512, unsupported_alg
// for anything else unknown (names are case-sensitive, RFC 7515 §4.1.1).
Result<Alg> parse_alg(std::string_view name);

std::string_view kty_name(KeyType kty) noexcept;  // "RSA", "EC", "OKP"
std::string_view crv_name(Curve crv) noexcept;    // "P-256", ..., "Ed25519"; "" for none

// The key family an algorithm needs: RS*/PS* → RSA, ES256/384/512 → EC P-256/384/521
// (RFC 7518 §3.4), EdDSA → OKP Ed25519 (RFC 8037 §3.1; Ed448 is not supported).
KeyType key_type_for(Alg alg) noexcept;
Curve curve_for(Alg alg) noexcept;  // Curve::none for RSA algorithms

}  // namespace gh::jose
