#pragma once
// Byte tests on a 64-bit word, 8 bytes at a time (hot paths that scan short strings for a few
// byte values: JSON escapes, header values). Each answers "is there any such byte in the word"
// exactly; which byte it is must then be found byte by byte.
#include <cstdint>
#include <cstring>
#include <string_view>

namespace gh::core::swar {

inline constexpr std::uint64_t kOnes = 0x0101010101010101ull;
inline constexpr std::uint64_t kHighs = 0x8080808080808080ull;

// Nonzero when a byte of `w` is below `n` (n <= 128): its subtraction borrows into a clear bit 7.
// The masks combine with | to test several conditions without a branch each.
constexpr std::uint64_t less_mask(std::uint64_t w, std::uint8_t n) { return (w - kOnes * n) & ~w & kHighs; }
// Nonzero when a byte of `w` equals `c`.
constexpr std::uint64_t byte_mask(std::uint64_t w, std::uint8_t c) { return less_mask(w ^ (kOnes * c), 1); }

// The 8 bytes of `s` at `i` (i + 8 <= s.size()), or the tail from `i` padded with `pad`.
inline std::uint64_t load(std::string_view s, std::size_t i, char pad) {
  std::uint64_t w = kOnes * static_cast<std::uint8_t>(pad);
  if (s.size() - i >= 8)
    std::memcpy(&w, s.data() + i, 8);  // one load
  else
    std::memcpy(&w, s.data() + i, s.size() - i);
  return w;
}

}  // namespace gh::core::swar
