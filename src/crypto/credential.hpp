#pragma once
// Format of generated credentials (issue #2, "API token semantics"; DESIGN.md "Credentials"):
//   gth_<kind>_<43 base62 chars = 256 random bits><6 base62 chars of CRC-32 over what precedes>
// The prefix lets secret scanners recognise a leaked value; the checksum refuses a mistyped or
// truncated one before any lookup.
#include <optional>
#include <string>
#include <string_view>

#include "core/random.hpp"
#include "core/secret_string.hpp"

namespace gh::crypto {

enum class CredentialKind { api_token, client_secret, integration_secret };

std::string_view credential_prefix(CredentialKind k);  // "gth_api_", "gth_cs_", "gth_is_"
core::SecretString generate_credential(core::Random& r, CredentialKind k);
// True when `value` has the kind's prefix, the right length and alphabet, and a valid checksum.
bool is_well_formed(std::string_view value, CredentialKind k);
// The visible hint of a credential: its prefix and first four random characters.
std::string credential_hint(std::string_view value, CredentialKind k);

}  // namespace gh::crypto
