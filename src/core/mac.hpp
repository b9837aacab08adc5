#pragma once
// The value of a credential MAC (HMAC-SHA256, 32 bytes): a plain value type that the domain can
// hold without knowing how it is computed (src/crypto/mac.hpp computes and compares it).
#include <array>
#include <cstdint>

namespace gh::core {

using Mac = std::array<std::uint8_t, 32>;

}  // namespace gh::core
