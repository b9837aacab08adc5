#include "http/address_policy.hpp"

#include <arpa/inet.h>

namespace gh::http {
namespace {

bool in4(std::uint32_t a, std::uint32_t net, int bits) {
  auto mask = bits == 0 ? 0u : ~std::uint32_t{0} << (32 - bits);
  return (a & mask) == (net & mask);
}

std::uint32_t v4_at(const std::array<std::uint8_t, 16>& b, std::size_t i) {
  return (std::uint32_t{b[i]} << 24) | (std::uint32_t{b[i + 1]} << 16) |
         (std::uint32_t{b[i + 2]} << 8) | b[i + 3];
}

bool zero(const std::array<std::uint8_t, 16>& b, std::size_t from, std::size_t to) {
  for (auto i = from; i < to; ++i)
    if (b[i] != 0) return false;
  return true;
}

}  // namespace

IpAddress IpAddress::v4(std::uint32_t a) {
  IpAddress out;
  out.bytes[0] = static_cast<std::uint8_t>(a >> 24);
  out.bytes[1] = static_cast<std::uint8_t>(a >> 16);
  out.bytes[2] = static_cast<std::uint8_t>(a >> 8);
  out.bytes[3] = static_cast<std::uint8_t>(a);
  return out;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.size() > 64) return std::nullopt;
  std::string s(text);
  IpAddress out;
  if (inet_pton(AF_INET, s.c_str(), out.bytes.data()) == 1) return out;
  out.is_v6 = true;
  if (inet_pton(AF_INET6, s.c_str(), out.bytes.data()) == 1) return out;
  return std::nullopt;
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(is_v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

// IANA IPv4 Special-Purpose Address Registry (RFC 6890 and updates) plus cloud metadata.
bool is_forbidden_ipv4(std::uint32_t a) {
  struct Net {
    std::uint32_t net;
    int bits;
  };
  static constexpr Net kNets[] = {
      {0x00000000, 8},   // 0/8 "this network"; 0.0.0.0 reaches the local host (RFC 791)
      {0x0A000000, 8},   // 10/8 private (RFC 1918)
      {0x64400000, 10},  // 100.64/10 shared address space, CGNAT (RFC 6598); Alibaba metadata
      {0x7F000000, 8},   // 127/8 loopback (RFC 1122)
      {0xA9FE0000, 16},  // 169.254/16 link-local (RFC 3927); 169.254.169.254 metadata
      {0xAC100000, 12},  // 172.16/12 private (RFC 1918)
      {0xC0000000, 24},  // 192.0.0/24 IETF protocol assignments (RFC 6890)
      {0xC0000200, 24},  // 192.0.2/24 TEST-NET-1 (RFC 5737)
      {0xC0586300, 24},  // 192.88.99/24 6to4 relay anycast (RFC 7526)
      {0xC0A80000, 16},  // 192.168/16 private (RFC 1918)
      {0xC6120000, 15},  // 198.18/15 benchmarking (RFC 2544)
      {0xC6336400, 24},  // 198.51.100/24 TEST-NET-2 (RFC 5737)
      {0xCB007100, 24},  // 203.0.113/24 TEST-NET-3 (RFC 5737)
      {0xE0000000, 4},   // 224/4 multicast (RFC 5771)
      {0xF0000000, 4},   // 240/4 reserved (RFC 1112) incl. 255.255.255.255 broadcast (RFC 919)
      {0xA83F8110, 32},  // 168.63.129.16 Azure wire server (metadata)
  };
  for (auto& n : kNets)
    if (in4(a, n.net, n.bits)) return true;
  return false;
}

// IANA IPv6 Special-Purpose Address Registry (RFC 6890 and updates).
bool is_forbidden_ipv6(const std::array<std::uint8_t, 16>& b) {
  // ::ffff:0:0/96 IPv4-mapped (RFC 4291 §2.5.5.2): judged as the IPv4 address it names.
  if (zero(b, 0, 10) && b[10] == 0xFF && b[11] == 0xFF) return is_forbidden_ipv4(v4_at(b, 12));
  // 64:ff9b::/96 well-known NAT64 prefix (RFC 6052): reaches the embedded IPv4 address.
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && zero(b, 4, 12))
    return is_forbidden_ipv4(v4_at(b, 12));
  // Global unicast is 2000::/3 (RFC 4291 §2.4); everything else is loopback, unspecified,
  // IPv4-compatible, unique local, link-local, site-local, multicast or unassigned.
  if ((b[0] & 0xE0) != 0x20) return true;
  if (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xFE) == 0x00) return true;  // 2001::/23 IETF (Teredo…)
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return true;  // 2001:db8::/32
  if (b[0] == 0x20 && b[1] == 0x02) return is_forbidden_ipv4(v4_at(b, 2));  // 6to4 (RFC 3056)
  if (b[0] == 0x3F && b[1] == 0xFF && (b[2] & 0xF0) == 0x00) return true;   // 3fff::/20 (RFC 9637)
  return false;
}

bool is_public_unicast(const IpAddress& a) {
  return a.is_v6 ? !is_forbidden_ipv6(a.bytes) : !is_forbidden_ipv4(v4_at(a.bytes, 0));
}

}  // namespace gh::http
