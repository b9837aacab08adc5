// The SSRF address policy (http/address_policy.hpp; issue #3 "jwks_uri"; okta-compat.md §11.23):
// which resolved addresses an outbound fetch may connect to, as a table.
#include <gtest/gtest.h>

#include "http/address_policy.hpp"
#include "http/cache_control.hpp"

namespace gh::http {
namespace {

TEST(AddressPolicy, OnlyPublicUnicastPasses) {
  struct Case {
    const char* addr;
    bool allowed;
  };
  const Case cases[] = {
      // IPv4 public unicast.
      {"8.8.8.8", true},
      {"1.1.1.1", true},
      {"93.184.216.34", true},
      {"9.255.255.255", true},     // just below 10/8
      {"11.0.0.0", true},          // just above 10/8
      {"100.63.255.255", true},    // just below 100.64/10
      {"100.128.0.0", true},       // just above 100.64/10
      {"126.255.255.255", true},   // just below 127/8
      {"128.0.0.0", true},         // just above 127/8
      {"169.253.255.255", true},   // just below 169.254/16
      {"169.255.0.0", true},       // just above 169.254/16
      {"172.15.255.255", true},    // just below 172.16/12
      {"172.32.0.0", true},        // just above 172.16/12
      {"192.167.255.255", true},   // just below 192.168/16
      {"192.169.0.0", true},       // just above 192.168/16
      {"198.17.255.255", true},    // just below 198.18/15
      {"198.20.0.0", true},        // just above 198.18/15
      {"223.255.255.255", true},   // last before multicast
      // IPv4 refused.
      {"0.0.0.0", false},          // unspecified
      {"0.255.255.255", false},    // 0/8
      {"127.0.0.1", false},        // loopback
      {"127.255.255.254", false},
      {"10.0.0.1", false},         // RFC 1918
      {"10.255.255.255", false},
      {"172.16.0.1", false},
      {"172.31.255.255", false},
      {"192.168.0.1", false},
      {"192.168.255.255", false},
      {"100.64.0.1", false},       // CGNAT
      {"100.127.255.255", false},
      {"100.100.100.200", false},  // Alibaba metadata
      {"169.254.0.1", false},      // link-local
      {"169.254.169.254", false},  // cloud metadata
      {"168.63.129.16", false},    // Azure wire server
      {"192.0.0.1", false},        // IETF protocol assignments
      {"192.0.2.1", false},        // TEST-NET-1
      {"198.51.100.1", false},     // TEST-NET-2
      {"203.0.113.1", false},      // TEST-NET-3
      {"198.18.0.1", false},       // benchmarking
      {"198.19.255.255", false},
      {"192.88.99.1", false},      // 6to4 relay anycast
      {"224.0.0.1", false},        // multicast
      {"239.255.255.250", false},
      {"240.0.0.1", false},        // reserved
      {"255.255.255.255", false},  // broadcast
      // IPv6 public unicast.
      {"2001:4860:4860::8888", true},
      {"2606:4700:4700::1111", true},
      {"2a00:1450:4001::1", true},
      {"2001:200::1", true},       // first block after the IETF 2001::/23
      {"2002:808:808::1", true},   // 6to4 of 8.8.8.8
      {"64:ff9b::808:808", true},  // NAT64 of 8.8.8.8
      {"::ffff:8.8.8.8", true},    // IPv4-mapped public
      // IPv6 refused.
      {"::", false},               // unspecified
      {"::1", false},              // loopback
      {"::127.0.0.1", false},      // IPv4-compatible (deprecated) loopback
      {"::8.8.8.8", false},        // IPv4-compatible, even of a public address
      {"::ffff:127.0.0.1", false},  // mapped forms of every refused IPv4 range
      {"::ffff:7f00:1", false},
      {"::ffff:10.0.0.1", false},
      {"::ffff:169.254.169.254", false},
      {"::ffff:100.64.0.1", false},
      {"::ffff:0.0.0.0", false},
      {"::ffff:255.255.255.255", false},
      {"::ffff:224.0.0.1", false},
      {"64:ff9b::7f00:1", false},   // NAT64 of loopback
      {"64:ff9b::a9fe:a9fe", false},  // NAT64 of metadata
      {"64:ff9b:1::1", false},      // local-use NAT64
      {"2002:7f00:1::", false},     // 6to4 of loopback
      {"2002:a00:1::", false},      // 6to4 of 10.0.0.1
      {"2002:a9fe:a9fe::", false},  // 6to4 of metadata
      {"fc00::1", false},           // unique local
      {"fdff:ffff::1", false},
      {"fd00:ec2::254", false},     // AWS metadata (IPv6)
      {"fe80::1", false},           // link-local
      {"febf:ffff::1", false},
      {"fec0::1", false},           // site-local (deprecated)
      {"ff02::1", false},           // multicast
      {"ff05::1:3", false},
      {"100::1", false},            // discard
      {"2001::1", false},           // Teredo
      {"2001:2::1", false},         // benchmarking
      {"2001:10::1", false},        // ORCHID
      {"2001:db8::1", false},       // documentation
      {"3fff::1", false},           // documentation (RFC 9637)
      {"4000::1", false},           // outside 2000::/3: unassigned
      {"1fff:ffff::1", false},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.addr);
    auto a = IpAddress::parse(c.addr);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(is_public_unicast(*a), c.allowed);
  }
}

TEST(AddressPolicy, ParsesOnlyStrictAddressText) {
  EXPECT_FALSE(IpAddress::parse("127.1").has_value());
  EXPECT_FALSE(IpAddress::parse("0x7f.0.0.1").has_value());
  EXPECT_FALSE(IpAddress::parse("[::1]").has_value());
  EXPECT_FALSE(IpAddress::parse("localhost").has_value());
  EXPECT_FALSE(IpAddress::parse("").has_value());
  auto v4 = IpAddress::parse("169.254.169.254");
  ASSERT_TRUE(v4.has_value());
  EXPECT_FALSE(v4->is_v6);
  EXPECT_EQ(v4->to_string(), "169.254.169.254");
  EXPECT_EQ(IpAddress::v4(0x7F000001).to_string(), "127.0.0.1");
  auto v6 = IpAddress::parse("FD00:EC2::254");
  ASSERT_TRUE(v6.has_value());
  EXPECT_TRUE(v6->is_v6);
  EXPECT_EQ(v6->to_string(), "fd00:ec2::254");
}

TEST(CacheControl, MaxAgeAndNoStore) {
  using std::chrono::seconds;
  struct Case {
    const char* value;
    std::optional<seconds> want;
  };
  const Case cases[] = {
      {"", std::nullopt},
      {"public", std::nullopt},
      {"max-age=600", seconds(600)},
      {"public, max-age=3600", seconds(3600)},
      {"Max-Age=60 , must-revalidate", seconds(60)},
      {"max-age=\"120\"", seconds(120)},
      {"max-age=0", seconds(0)},
      {"max-age=abc", std::nullopt},
      {"max-age=", std::nullopt},
      {"max-age=-5", std::nullopt},
      {"max-age=10, max-age=20", seconds(10)},
      {"s-maxage=50", std::nullopt},
      {"no-store", seconds(0)},
      {"max-age=600, no-cache", seconds(0)},
      {"max-age=99999999999999999999", seconds(2147483648)},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.value);
    EXPECT_EQ(max_age(c.value), c.want);
  }
}

}  // namespace
}  // namespace gh::http
