#include "oauth/dpop/htu.hpp"

#include <cctype>

namespace gh::oauth::dpop {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_unreserved(char c) {  // RFC 3986 §2.3
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 3986 §3.2.2-3.2.3: host (reg-name or IP literal) and optional port; no userinfo.
bool normalize_authority(std::string_view auth, std::string_view default_port, std::string& out) {
  if (auth.empty() || auth.find('@') != std::string_view::npos) return false;
  std::string_view host = auth, port;
  if (auth.front() == '[') {
    auto close = auth.find(']');
    if (close == std::string_view::npos) return false;
    host = auth.substr(0, close + 1);
    auto rest = auth.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
    }
  } else if (auto colon = auth.rfind(':'); colon != std::string_view::npos) {
    host = auth.substr(0, colon);
    port = auth.substr(colon + 1);
  }
  if (host.empty()) return false;
  for (char c : host) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f || c == '%') return false;
    out += lower(c);
  }
  if (port.size() > 5) return false;
  for (char c : port)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  while (port.size() > 1 && port.front() == '0') port.remove_prefix(1);  // ":080" is port 80
  if (!port.empty() && port != default_port) {
    out += ':';
    out += port;
  }
  return true;
}

// The path: repeated '/' collapsed, one trailing '/' dropped, escapes normalised.
bool normalize_path(std::string_view path, std::string& out) {
  auto start = out.size();
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;
    if (c == '%') {
      if (i + 2 >= path.size()) return false;
      int hi = hex_value(path[i + 1]), lo = hex_value(path[i + 2]);
      if (hi < 0 || lo < 0) return false;
      char decoded = static_cast<char>(hi * 16 + lo);
      if (is_unreserved(decoded)) {
        out += decoded;
      } else {
        static constexpr char kHex[] = "0123456789ABCDEF";
        out += '%';
        out += kHex[hi];
        out += kHex[lo];
      }
      i += 2;
      continue;
    }
    if (c == '/' && out.size() > start && out.back() == '/') continue;
    out += c;
  }
  if (out.size() == start) out += '/';
  if (out.size() - start > 1 && out.back() == '/') out.pop_back();
  return true;
}

}  // namespace

std::optional<std::string> normalize_htu(std::string_view url) {
  // RFC 9449 §4.3 (9): the URI without query and fragment.
  url = url.substr(0, url.find('#'));
  url = url.substr(0, url.find('?'));
  auto sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  std::string out;
  out.reserve(url.size());
  for (char c : url.substr(0, sep)) out += lower(c);
  std::string_view default_port;
  if (out == "http") default_port = "80";
  else if (out == "https") default_port = "443";
  else return std::nullopt;
  out += "://";
  auto rest = url.substr(sep + 3);
  auto slash = rest.find('/');
  if (!normalize_authority(rest.substr(0, slash), default_port, out)) return std::nullopt;
  if (!normalize_path(slash == std::string_view::npos ? std::string_view{} : rest.substr(slash), out))
    return std::nullopt;
  return out;
}

bool htu_matches(std::string_view htu, std::string_view request_url) {
  auto a = normalize_htu(htu);
  if (!a) return false;
  auto b = normalize_htu(request_url);
  return b && *a == *b;
}

}  // namespace gh::oauth::dpop
