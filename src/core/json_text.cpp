#include "core/json_text.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/swar.hpp"

namespace gh::core {
namespace {

bool escaped(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// A bit set (bit 7 of byte k) for each byte of the 8-byte word that needs escaping. Only the
// lowest set bit is exact (a matching byte's borrow may mark the byte above it), which is all
// the search uses.
std::uint64_t word_mask(std::uint64_t w) {
  return swar::less_mask(w, 0x20) | swar::byte_mask(w, '"') | swar::byte_mask(w, '\\');
}
std::uint64_t load8(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

#if defined(__SSE2__)
// Bit k set when byte k of the 16 at `p` needs escaping (exact).
unsigned block_mask(const char* p) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i controls = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x);  // x <= 0x1f
  const __m128i quote = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(controls, _mm_or_si128(quote, backslash))));
}
#endif

// The index of the first byte of `s` at or after `i` that needs escaping (RFC 8259 §7: C0
// controls, '"' and '\\'), or s.size(). 16 bytes at a time with SSE2 (8 with SWAR elsewhere); the
// last, partial block is tested as the block ending at s.size(), overlapping bytes already
// searched, so nothing is copied and no byte is tested one by one but in strings shorter
// than 8 bytes (issue 20: the token's claims, response and System Log record scan ~45 strings,
// most of them short: inlined, as a call's own cost was a third of the scan's).
[[gnu::always_inline]] inline std::size_t next_escape(std::string_view s, std::size_t i) {
  const char* p = s.data();
  const std::size_t n = s.size();
#if defined(__SSE2__)
  if (n >= 16) {
    for (; i + 16 <= n; i += 16)
      if (auto m = block_mask(p + i)) return i + static_cast<std::size_t>(std::countr_zero(m));
    if (i == n) return n;
    const auto m = block_mask(p + n - 16) >> (16 - (n - i));  // drop the bytes before i
    return m ? i + static_cast<std::size_t>(std::countr_zero(m)) : n;
  }
#endif
  if (std::endian::native == std::endian::little && n >= 8) {  // byte k of a word is p[k]
    for (; i + 8 <= n; i += 8)
      if (auto m = word_mask(load8(p + i))) return i + static_cast<std::size_t>(std::countr_zero(m)) / 8;
    if (i == n) return n;
    // The word ending at s.size(), shifted so that byte i comes first and padded with 'a' (the
    // bytes before i may hold the escape just found, whose borrow would mark a clean byte).
    const unsigned shift = 8 * static_cast<unsigned>(8 - (n - i));
    const auto w = (load8(p + n - 8) >> shift) | (swar::kOnes * 'a' << (64 - shift));
    const auto m = word_mask(w);
    return m ? i + static_cast<std::size_t>(std::countr_zero(m)) / 8 : n;
  }
  while (i < n && !escaped(static_cast<unsigned char>(p[i]))) ++i;
  return i;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t i = next_escape(s, 0);
  if (i == s.size()) {  // the usual case: one copy between the quotes
    const auto at = out.size();
    out.resize(at + s.size() + 2);
    char* p = out.data() + at;
    *p = '"';
    if (!s.empty()) std::memcpy(p + 1, s.data(), s.size());
    p[s.size() + 1] = '"';
    return;
  }
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (; i < s.size(); i = next_escape(s, i)) {
    auto c = static_cast<unsigned char>(s[i]);
    out.append(s.data() + run, i - run);
    run = ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

}  // namespace gh::core
