#include "http/cache_control.hpp"

#include <cstdint>

#include "http/message.hpp"

namespace gh::http {
namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 9111 §1.2.2 delta-seconds; a quoted form is tolerated (§5.2: "recipients SHOULD accept").
std::optional<std::int64_t> delta_seconds(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty()) return std::nullopt;
  constexpr std::int64_t kCap = 2147483648;  // §1.2.2: at least 2^31 must be representable
  std::int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n >= kCap ? kCap : n * 10 + (c - '0');
  }
  return n > kCap ? kCap : n;
}
}  // namespace

std::optional<std::chrono::seconds> max_age(std::string_view cc) {
  std::optional<std::chrono::seconds> found;
  while (!cc.empty()) {
    auto comma = cc.find(',');
    auto item = trim(cc.substr(0, comma));
    cc = comma == std::string_view::npos ? std::string_view{} : cc.substr(comma + 1);
    auto eq = item.find('=');
    auto name = trim(item.substr(0, eq));
    if (iequals(name, "no-store") || iequals(name, "no-cache")) return std::chrono::seconds{0};
    if (found || eq == std::string_view::npos || !iequals(name, "max-age")) continue;
    if (auto n = delta_seconds(trim(item.substr(eq + 1)))) found = std::chrono::seconds{*n};
  }
  return found;
}

}  // namespace gh::http
