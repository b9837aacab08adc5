#include "core/base64.hpp"

#include "core/errc.hpp"

namespace gh::core {
namespace {
constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view in, const char* alpha, bool pad) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto u = [&](std::size_t k) { return static_cast<unsigned char>(in[k]); };
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (u(i) << 16) | (u(i + 1) << 8) | u(i + 2);
    out += alpha[v >> 18], out += alpha[(v >> 12) & 63], out += alpha[(v >> 6) & 63],
        out += alpha[v & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = u(i) << 16;
    out += alpha[v >> 18], out += alpha[(v >> 12) & 63];
    if (pad) out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v = (u(i) << 16) | (u(i + 1) << 8);
    out += alpha[v >> 18], out += alpha[(v >> 12) & 63], out += alpha[(v >> 6) & 63];
    if (pad) out += '=';
  }
  return out;
}

Result<std::string> decode(std::string_view in, bool url) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  if (in.size() % 4 == 1) return Errc::bad_base64;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == (url ? '-' : '+')) v = 62;
    else if (c == (url ? '_' : '/')) v = 63;
    else return Errc::bad_base64;
    acc = (acc << 6) | unsigned(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return Errc::bad_base64;  // non-canonical
  return out;
}
}  // namespace

std::string base64url_encode(std::string_view b) { return encode(b, kUrl, false); }
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
