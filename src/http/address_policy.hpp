#pragma once
// The SSRF address policy for outbound requests (issue #3 "jwks_uri"; okta-compat.md §11.23):
// which resolved IP addresses Gatehouse may connect to on behalf of a client's configuration.
// Pure functions; no sockets, no DNS. Used after DNS resolution by src/net and for IP literals
// at registration by api/apps.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gh::http {

struct IpAddress {
  bool is_v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // network order; IPv4 uses the first four bytes

  static IpAddress v4(std::uint32_t host_order);
  static IpAddress v6(const std::array<std::uint8_t, 16>& bytes) { return {true, bytes}; }
  // Strict dotted-quad IPv4 or RFC 4291 IPv6 text (inet_pton), no brackets or zone; else nullopt.
  static std::optional<IpAddress> parse(std::string_view text);
  std::string to_string() const;
};

// IPv4 (host order) that is not public unicast: 0/8, RFC 1918, 100.64/10 (CGNAT), loopback,
// 169.254/16 (link-local and metadata), the IETF, documentation and benchmarking blocks,
// 6to4 relay anycast, multicast, 240/4 (reserved and broadcast) and 168.63.129.16 (Azure).
bool is_forbidden_ipv4(std::uint32_t host_order);
// IPv6 that is not public unicast: anything outside 2000::/3 (::, ::1, IPv4-compatible,
// fc00::/7 incl. fd00:ec2::254, fe80::/10, fec0::/10, ff00::/8, 100::/64, ...), 2001::/23 (IETF:
// Teredo, benchmarking, ORCHID), 2001:db8::/32 and 3fff::/20 (documentation);
// IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96 and 6to4 2002::/16 are judged by their embedded
// IPv4 address.
bool is_forbidden_ipv6(const std::array<std::uint8_t, 16>& bytes);

// The policy: true only for a public unicast address (neither of the above).
bool is_public_unicast(const IpAddress& a);

}  // namespace gh::http
