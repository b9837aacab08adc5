#include "http/url.hpp"

#include <cstdint>

#include "core/swar.hpp"
#include "http/message.hpp"

namespace gh::http {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<std::uint16_t> parse_port(std::string_view digits) {
  if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  std::uint32_t n = 0;
  for (char c : digits) n = n * 10 + static_cast<std::uint32_t>(c - '0');
  if (n == 0 || n > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(n);
}

bool is_http_allowed(std::string_view host, const std::vector<std::string>& allow_http_hosts) {
  for (auto& h : allow_http_hosts)
    if (iequals(h, host)) return true;
  return false;
}

std::string normalize_path(std::string_view path) {
  // Most paths have nothing to collapse: one copy instead of a character at a time (issue 20).
  if (path.size() > 1 && path.front() == '/' && path.back() != '/' && path.find("//") == std::string_view::npos)
    return std::string(path);
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out += c;
  }
  if (out.empty()) out.push_back('/');
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

namespace {
// Whether `s` holds a '%', a NUL or (plus_is_space) a '+'.
bool needs_decoding(std::string_view s, bool plus_is_space) {
  namespace swar = core::swar;
  const std::uint8_t plus = plus_is_space ? '+' : '%';  // '%' again: no third byte to look for
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    const auto w = swar::load(s, i, 'a');
    if (swar::byte_mask(w, '%') | swar::byte_mask(w, 0) | swar::byte_mask(w, plus)) return true;
  }
  for (; i < s.size(); ++i)
    if (s[i] == '%' || s[i] == '\0' || (s[i] == '+' && plus_is_space)) return true;
  return false;
}
}  // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  // Most values (ids, secrets, grant types, scopes) hold nothing to decode: one scan, one copy
  // (a character at a time cost ~50 instructions each on the token path, issue 20). The scan
  // tests 8 bytes at a time ('+' counts only when it means a space).
  if (!needs_decoding(s, plus_is_space)) return std::string(s);
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int a = hex(s[i + 1]), b = hex(s[i + 2]);
      if (a < 0 || b < 0) return std::nullopt;
      char d = static_cast<char>(a * 16 + b);
      if (d == '\0') return std::nullopt;
      out += d;
      i += 2;
    } else if (c == '\0') {
      return std::nullopt;  // a raw NUL is refused like %00 (found by tests/fuzz/form_fuzz)
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%', out += hex[c >> 4], out += hex[c & 15];
    }
  }
  return out;
}

std::optional<Params> Params::parse(std::string_view raw) {
  Params p;
  while (!raw.empty()) {
    auto amp = raw.find('&');
    auto part = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    auto name = percent_decode(part.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : part.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    p.items_.emplace_back(std::move(*name), std::move(*value));
  }
  return p;
}

std::optional<std::string_view> Params::get(std::string_view name) const {
  for (auto& [k, v] : items_)
    if (k == name) return std::string_view{v};
  return std::nullopt;
}

std::size_t Params::count(std::string_view name) const {
  std::size_t n = 0;
  for (auto& [k, v] : items_) n += k == name;
  return n;
}

std::string Params::encode_with(std::string_view name, std::string_view value) const {
  std::string out;
  bool replaced = false;
  auto add = [&](std::string_view k, std::string_view v) {
    if (!out.empty()) out += '&';
    out += percent_encode(k);
    out += '=';
    out += percent_encode(v);
  };
  for (auto& [k, v] : items_) {
    if (k == name) {
      if (!replaced) add(k, value);
      replaced = true;
    } else {
      add(k, v);
    }
  }
  if (!replaced) add(name, value);
  return out;
}

}  // namespace gh::http
