// Registration-time checks of a client's jwks_uri (okta-compat.md §11.23; issue #3 "jwks_uri").
// Only the URI text is judged here; the fetcher (src/net) checks the resolved addresses again
// with the same policy (http/address_policy.hpp: DNS may point anywhere) and follows no redirects.
#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/apps/apps.hpp"
#include "http/address_policy.hpp"
#include "http/message.hpp"
#include "http/url.hpp"

namespace gh::api::apps {
namespace {

constexpr std::size_t kMaxUriLength = 2048;

bool is_uri_char(char c) {
  // RFC 3986 §2: unreserved, reserved and '%'. Anything else (space, '\\', '"', '<', '>', '^',
  // '`', '{', '|', '}', controls, non-ASCII) is refused rather than "fixed" the way browsers do.
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-._~:/?#[]@!$&'()*+,;=%").find(c) != std::string_view::npos;
}

// One part of a WHATWG IPv4 address: 0x… hex, 0… octal, else decimal (URL Standard §3.5,
// "IPv4 number parser"), so that 2130706433, 0x7f.1 and 0177.0.0.1 are read as 127.0.0.1.
std::optional<std::uint64_t> ipv4_number(std::string_view s) {
  int base = 10;
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() >= 2 && s[0] == '0') {
    base = 8;
    s.remove_prefix(1);
  }
  if (s.empty()) return base == 10 ? std::nullopt : std::optional<std::uint64_t>(0);
  if (s.size() > 32) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    if (d < 0 || d >= base) return std::nullopt;
    v = v * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
    if (v > 0xFFFFFFFFull) return std::nullopt;
  }
  return v;
}

std::vector<std::string_view> split_dots(std::string_view host) {
  std::vector<std::string_view> parts;
  while (true) {
    auto dot = host.find('.');
    parts.push_back(host.substr(0, dot));
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  return parts;
}

// URL Standard "ends in a number": the last label is all digits or a 0x number.
bool ends_in_number(std::string_view host) {
  auto parts = split_dots(host);
  auto last = parts.back();
  if (last.empty() && parts.size() > 1) last = parts[parts.size() - 2];
  if (last.empty()) return false;
  bool digits = true;
  for (char c : last) digits = digits && c >= '0' && c <= '9';
  return digits || ((last.starts_with("0x") || last.starts_with("0X")) && ipv4_number(last));
}

std::optional<std::uint32_t> parse_ipv4(std::string_view host) {
  auto parts = split_dots(host);
  if (parts.size() > 1 && parts.back().empty()) parts.pop_back();
  if (parts.empty() || parts.size() > 4) return std::nullopt;
  std::vector<std::uint64_t> nums;
  for (auto p : parts) {
    auto n = ipv4_number(p);
    if (!n) return std::nullopt;
    nums.push_back(*n);
  }
  for (std::size_t i = 0; i + 1 < nums.size(); ++i)
    if (nums[i] > 255) return std::nullopt;
  auto rest_bits = 8 * (5 - nums.size());
  if (rest_bits < 64 && nums.back() >= (std::uint64_t{1} << rest_bits)) return std::nullopt;
  std::uint64_t v = nums.back();
  for (std::size_t i = 0; i + 1 < nums.size(); ++i) v += nums[i] << (8 * (3 - i));
  return static_cast<std::uint32_t>(v);
}

std::optional<std::string> check_host(std::string_view raw) {
  if (raw.empty()) return "The URI has no host.";
  if (raw.find('%') != std::string_view::npos) return "The host must not be percent-encoded.";
  if (raw.front() == '[') {
    if (raw.back() != ']') return "The host is not a valid IPv6 literal.";
    std::string inner(raw.substr(1, raw.size() - 2));
    std::array<std::uint8_t, 16> b{};
    if (inet_pton(AF_INET6, inner.c_str(), b.data()) != 1) return "The host is not a valid IPv6 literal.";
    if (http::is_forbidden_ipv6(b)) return "The host is a loopback, private, link-local or reserved address.";
    return std::nullopt;
  }
  auto host = http::ascii_lower(raw);
  if (host.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-._") != std::string::npos)
    return "The host is not a valid host name.";
  std::string_view name = host;
  if (name.size() > 1 && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.front() == '.' || name.find("..") != std::string_view::npos)
    return "The host is not a valid host name.";
  if (name == "localhost" || name.ends_with(".localhost") || name == "localhost.localdomain")
    return "The host must not be localhost.";  // RFC 6761 §6.3
  if (name == "metadata" || name == "metadata.google.internal")
    return "The host is a cloud metadata service.";
  if (ends_in_number(host)) {
    auto v4 = parse_ipv4(host);
    if (!v4) return "The host is not a valid IPv4 address.";
    if (http::is_forbidden_ipv4(*v4)) return "The host is a loopback, private, link-local or reserved address.";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_jwks_uri(std::string_view uri,
                                          const std::vector<std::string>& allow_http_hosts) {
  if (uri.empty() || uri.size() > kMaxUriLength) return "The URI must be between 1 and 2048 characters.";
  for (char c : uri)
    if (!is_uri_char(c)) return "The URI contains characters that are not allowed.";
  auto sep = uri.find("://");
  if (sep == std::string_view::npos) return "The URI must be an absolute https URI.";
  auto scheme = http::ascii_lower(uri.substr(0, sep));
  if (scheme != "https" && scheme != "http") return "The URI must be an absolute https URI.";
  auto rest = uri.substr(sep + 3);
  if (rest.find('#') != std::string_view::npos) return "The URI must not have a fragment.";
  auto authority = rest.substr(0, rest.find_first_of("/?"));
  if (authority.find('@') != std::string_view::npos) return "The URI must not carry user information.";
  std::string_view host = authority, port;
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return "The host is not a valid IPv6 literal.";
    host = authority.substr(0, close + 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return "The URI authority is malformed.";
      port = after.substr(1);
      if (port.empty()) return "The URI port is malformed.";
    }
  } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return "The URI port is malformed.";
  }
  if (!port.empty() && !http::parse_port(port)) return "The URI port is malformed.";
  // §11.23: http only to a host the operator listed ([jwks_uri] allow_http_hosts).
  if (scheme == "http" && !http::is_http_allowed(host, allow_http_hosts)) return "The URI must use https.";
  return check_host(host);
}

}  // namespace gh::api::apps
