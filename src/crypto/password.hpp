#pragma once
// Human passwords: argon2id (libsodium). Slow by design: call off the I/O threads.
#include <string>
#include <string_view>

namespace gh::crypto {

std::string hash_password(std::string_view password);  // PHC string; empty on failure
bool verify_password(std::string_view phc, std::string_view password);

}  // namespace gh::crypto
