#include "core/base64.hpp"

#include <array>
#include <cstdint>

#include "core/errc.hpp"

namespace gh::core {
namespace {
constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Both directions write through a pointer into a string sized once: appending a character at a
// time cost about 12k instructions per access token (callgrind, issue #3).
void encode_into(std::string& out, std::string_view in, const char* alpha, bool pad) {
  const std::size_t full = in.size() / 3, rest = in.size() % 3;
  const std::size_t at = out.size();
  out.resize(at + full * 4 + (rest == 0 ? 0 : pad ? 4 : rest + 1));
  auto* o = out.data() + at;
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  for (std::size_t k = 0; k < full; ++k, p += 3) {
    unsigned v = (unsigned(p[0]) << 16) | (unsigned(p[1]) << 8) | p[2];
    *o++ = alpha[v >> 18], *o++ = alpha[(v >> 12) & 63], *o++ = alpha[(v >> 6) & 63], *o++ = alpha[v & 63];
  }
  if (rest) {
    unsigned v = (unsigned(p[0]) << 16) | (rest == 2 ? unsigned(p[1]) << 8 : 0u);
    *o++ = alpha[v >> 18], *o++ = alpha[(v >> 12) & 63];
    if (rest == 2) *o++ = alpha[(v >> 6) & 63];
    if (pad) *o++ = '=';
    if (pad && rest == 1) *o++ = '=';
  }
}

std::string encode(std::string_view in, const char* alpha, bool pad) {
  std::string out;
  encode_into(out, in, alpha, pad);
  return out;
}

// 0..63 for the alphabet's characters, 64 for anything else.
constexpr std::array<std::uint8_t, 256> decode_table(const char* alpha) {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = 64;
  for (std::uint8_t i = 0; i < 64; ++i) t[static_cast<unsigned char>(alpha[i])] = i;
  return t;
}
constexpr auto kStdTable = decode_table(kStd);
constexpr auto kUrlTable = decode_table(kUrl);

// Four characters (three bytes) at a time: a character outside the alphabet reads 64, so one
// test of bit 6 over the four refuses it (a character at a time cost ~20 instructions, 1.7k
// for a token request's Basic credentials; issue 20).
Result<std::string> decode(std::string_view in, bool url) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  const std::size_t full = in.size() / 4, rest = in.size() % 4;
  if (rest == 1) return Errc::bad_base64;  // a length of 4n+1 encodes no whole byte
  const auto& table = url ? kUrlTable : kStdTable;
  std::string out(full * 3 + (rest ? rest - 1 : 0), '\0');
  auto* o = out.data();
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  for (std::size_t k = 0; k < full; ++k, p += 4, o += 3) {
    const unsigned a = table[p[0]], b = table[p[1]], c = table[p[2]], d = table[p[3]];
    if ((a | b | c | d) & 64) return Errc::bad_base64;
    const unsigned v = (a << 18) | (b << 12) | (c << 6) | d;
    o[0] = static_cast<char>(v >> 16), o[1] = static_cast<char>((v >> 8) & 0xff), o[2] = static_cast<char>(v & 0xff);
  }
  if (rest) {  // 2 or 3 characters: 1 or 2 bytes
    const unsigned a = table[p[0]], b = table[p[1]], c = rest == 3 ? table[p[2]] : 0u;
    if ((a | b | c) & 64) return Errc::bad_base64;
    // Non-canonical: the unused low bits of the last character must be zero (RFC 4648 §3.5).
    if (rest == 2 ? (b & 15) : (c & 3)) return Errc::bad_base64;
    const unsigned v = (a << 18) | (b << 12) | (c << 6);
    *o++ = static_cast<char>(v >> 16);
    if (rest == 3) *o = static_cast<char>((v >> 8) & 0xff);
  }
  return out;
}
}  // namespace

std::string base64url_encode(std::string_view b) { return encode(b, kUrl, false); }
void base64url_append(std::string& out, std::string_view b) { encode_into(out, b, kUrl, false); }
Result<std::string> base64url_decode(std::string_view s) { return decode(s, true); }
std::string base64_encode(std::string_view b) { return encode(b, kStd, true); }
Result<std::string> base64_decode(std::string_view s) { return decode(s, false); }

std::string hex_encode(std::string_view bytes) {
  static constexpr char h[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) out += h[c >> 4], out += h[c & 15];
  return out;
}

}  // namespace gh::core
