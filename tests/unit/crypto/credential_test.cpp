#include "crypto/credential.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/random.hpp"
#include "crypto/mac.hpp"
#include "core/base64.hpp"

namespace gh::crypto {
namespace {

TEST(Credential, GeneratedTokenIsWellFormedWithPrefixAndLength) {
  core::SecureRandom r;
  auto t = generate_credential(r, CredentialKind::api_token);
  auto v = t.reveal();
  EXPECT_TRUE(v.starts_with("gth_api_"));
  EXPECT_EQ(v.size(), 8u + 43u + 6u);
  EXPECT_TRUE(is_well_formed(v, CredentialKind::api_token));
  EXPECT_FALSE(is_well_formed(v, CredentialKind::client_secret));  // wrong kind
}

TEST(Credential, RefusesMistypedTruncatedOrForeignValues) {
  core::SeededRandom r(42);
  std::string good(generate_credential(r, CredentialKind::api_token).reveal());
  struct Case {
    std::string name, value;
  };
  std::string flipped = good;
  flipped[20] = flipped[20] == 'a' ? 'b' : 'a';
  std::string swapped = good;
  std::swap(swapped[10], swapped[11]);
  std::vector<Case> cases = {
      {"empty", ""},
      {"truncated", good.substr(0, good.size() - 1)},
      {"extended", good + "0"},
      {"one char changed", flipped},
      {"two chars swapped", swapped == good ? good + "x" : swapped},
      {"checksum changed", good.substr(0, good.size() - 1) + (good.back() == '0' ? "1" : "0")},
      {"okta-style token", "00abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"},
      {"bad alphabet", good.substr(0, 12) + "-" + good.substr(13)},
      {"wrong prefix", "gth_xyz_" + good.substr(8)},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_FALSE(is_well_formed(c.value, CredentialKind::api_token));
  }
  EXPECT_TRUE(is_well_formed(good, CredentialKind::api_token));
}

TEST(Credential, ValuesAreUniqueAndHintRevealsOnlyAPrefix) {
  core::SecureRandom r;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(std::string(generate_credential(r, CredentialKind::api_token).reveal()));
  EXPECT_EQ(seen.size(), 1000u);
  auto v = *seen.begin();
  EXPECT_EQ(credential_hint(v, CredentialKind::api_token), v.substr(0, 12));
}

TEST(CredentialMac, IsKeyedDeterministicAndComparedInConstantTime) {
  Pepper a(std::string(32, 'a')), b(std::string(32, 'b'));
  auto m1 = a.mac("gth_api_x"), m2 = a.mac("gth_api_x"), m3 = b.mac("gth_api_x"), m4 = a.mac("gth_api_y");
  EXPECT_TRUE(equal_mac(m1, m2));
  EXPECT_FALSE(equal_mac(m1, m3));  // another server's pepper
  EXPECT_FALSE(equal_mac(m1, m4));
  // Pepper::mac is HMAC-SHA256 keyed with the pepper (stored MACs stay valid), for messages
  // within, at and across SHA-256's block boundaries.
  const std::string key = "0123456789abcdef0123456789ABCDEF";
  Pepper p(key);
  for (std::size_t n : {0u, 1u, 31u, 32u, 55u, 56u, 63u, 64u, 65u, 119u, 120u, 200u}) {
    std::string msg(n, 'x');
    for (std::size_t i = 0; i < n; ++i) msg[i] = static_cast<char>('a' + i * 7 % 26);
    auto m = p.mac(msg);
    EXPECT_EQ(std::string(m.begin(), m.end()), hmac_sha256(key, msg)) << n;
  }
  // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?")
  EXPECT_EQ(core::hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace gh::crypto
