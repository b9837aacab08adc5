// URL checks, form encoding and header look-up (no I/O).
#include <boost/url/parse.hpp>
#include <cctype>
#include <string>

#include "gatehouse/client/http.hpp"

namespace gh::sdk {
namespace {
bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}
bool is_loopback(std::string_view host) {
  if (iequals(host, "localhost") || host == "::1") return true;
  // 127.0.0.0/8 written as a dotted quad, nothing else (not "127.0.0.1.evil.example").
  int parts = 0;
  for (std::size_t i = 0; i <= host.size(); ++parts) {
    auto dot = host.find('.', i);
    auto p = host.substr(i, dot == std::string_view::npos ? host.npos : dot - i);
    if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string_view::npos) return false;
    if (std::stoi(std::string(p)) > 255) return false;
    if (dot == std::string_view::npos) break;
    i = dot + 1;
  }
  return parts == 3 && host.starts_with("127.");
}
}  // namespace

std::optional<std::string_view> HttpResponse::header(std::string_view name) const {
  for (auto& [k, v] : headers)
    if (iequals(k, name)) return std::string_view(v);
  return std::nullopt;
}

Result<UrlParts> split_url(std::string_view url) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u) return Error(Errc::bad_url, 0, std::string(url));
  // The authority is read here rather than from Boost.URL, which (1.81) reads the host of
  // "http://127.0.0.1.evil.example/" as the IPv4 address 127.0.0.1.
  UrlParts p;
  auto colon = url.find("://");
  if (colon == std::string_view::npos) return Error(Errc::bad_url, 0, std::string(url));
  p.scheme = std::string(url.substr(0, colon));
  for (auto& c : p.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto rest = url.substr(colon + 3);
  auto end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, end);
  p.target = end == std::string_view::npos ? "/" : std::string(rest.substr(end));
  if (auto hash = p.target.find('#'); hash != std::string::npos) p.target.resize(hash);
  if (p.target.empty() || p.target[0] == '?') p.target = "/" + p.target;
  if (authority.find('@') != std::string_view::npos) return Error(Errc::bad_url, 0, "userinfo in URL");
  p.host_header = std::string(authority);
  std::string_view host = authority, port;
  if (authority.starts_with("[")) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return Error(Errc::bad_url, 0, std::string(url));
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') port = authority.substr(close + 2);
  } else if (auto c = authority.rfind(':'); c != std::string_view::npos) {
    host = authority.substr(0, c);
    port = authority.substr(c + 1);
  }
  if (host.empty()) return Error(Errc::bad_url, 0, std::string(url));
  if (p.scheme != "http" && p.scheme != "https") return Error(Errc::bad_url, 0, std::string(url));
  p.host = std::string(host);
  p.port = !port.empty() ? std::string(port) : (p.scheme == "https" ? "443" : "80");
  return p;
}

Result<void> check_url(std::string_view url) {
  auto p = split_url(url);
  if (!p) return p.error();
  if (p->scheme == "https") return {};
  // RFC 6749 §3.1.2.1 / RFC 8414 §2: TLS is required; plain http only to this machine.
  if (is_loopback(p->host)) return {};
  return Error(Errc::insecure_url, 0, std::string(url));
}

std::string url_without_query(std::string_view url) {
  auto cut = url.find_first_of("?#");
  return std::string(url.substr(0, cut));
}

std::string form_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace gh::sdk
