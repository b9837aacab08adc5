#include "core/json_text.hpp"

#include <cstring>

#include "core/swar.hpp"

namespace gh::core {
namespace {

bool escaped(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// The index of the first byte of `s` at or after `i` that needs escaping (RFC 8259 §7: C0
// controls, '"' and '\\'), or s.size(). Words are tested 8 bytes at a time (the tail padded
// with 'a'); a word holding such a byte is then searched byte by byte.
std::size_t next_escape(std::string_view s, std::size_t i) {
  for (; i < s.size(); i += 8) {
    auto w = swar::load(s, i, 'a');
    if (swar::less_mask(w, 0x20) | swar::byte_mask(w, '"') | swar::byte_mask(w, '\\')) break;
  }
  while (i < s.size() && !escaped(static_cast<unsigned char>(s[i]))) ++i;
  return i < s.size() ? i : s.size();
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
