// model::MacIndex (the SSWS lookup by MAC): against a std::map under random inserts, updates and
// erases, with MACs whose first bytes collide so that probe runs are long and wrap around.
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <random>

#include "model/mac_index.hpp"
#include "model/token_table.hpp"

namespace gh::model {
namespace {

crypto::Mac mac_with(std::uint8_t low, std::uint32_t tail) {
  crypto::Mac m{};
  m[0] = low;  // the slot: only a few distinct values, so runs collide
  m[7] = 0xff;  // high bits of the prefix: the run wraps at the end of the table
  m[28] = static_cast<std::uint8_t>(tail), m[29] = static_cast<std::uint8_t>(tail >> 8);
  m[30] = static_cast<std::uint8_t>(tail >> 16), m[31] = static_cast<std::uint8_t>(tail >> 24);
  return m;
}

domain::ApiToken with_mac(const crypto::Mac& m) {
  domain::ApiToken t;
  t.mac = m;
  return t;
}

TEST(MacIndex, EmptyFindsNothing) {
  MacIndex idx;
  EXPECT_EQ(idx.find(mac_with(1, 1)), nullptr);
  idx.erase(mac_with(1, 1));
  EXPECT_EQ(idx.size(), 0u);
}

TEST(MacIndex, AgreesWithAMapUnderRandomChanges) {
  std::deque<TokenEntry> entries;
  std::map<crypto::Mac, TokenEntry*> ref;
  MacIndex idx;
  std::mt19937 rng(5);
  for (int step = 0; step < 20000; ++step) {
    // Slots 0..3 and 60..63 of tables of 16..: prefixes equal modulo the table size.
    auto m = mac_with(static_cast<std::uint8_t>(rng() % 2 ? rng() % 4 : 60 + rng() % 4), rng() % 600);
    if (rng() % 3 == 0) {
      idx.erase(m);
      ref.erase(m);
    } else {
      auto& e = entries.emplace_back();
      e.assign(with_mac(m));
      idx.insert(&e);  // replaces an entry with the same MAC
      ref[m] = &e;
    }
    ASSERT_EQ(idx.size(), ref.size());
    if (step % 97 == 0)
      for (auto& [mac, e] : ref) ASSERT_EQ(idx.find(mac), e);
  }
  for (auto& [mac, e] : ref) EXPECT_EQ(idx.find(mac), e);
  for (std::uint32_t t = 600; t < 700; ++t) EXPECT_EQ(idx.find(mac_with(2, t)), nullptr);
}

TEST(MacIndex, ReserveKeepsEntries) {
  std::deque<TokenEntry> entries;
  MacIndex idx;
  for (std::uint32_t i = 0; i < 100; ++i) {
    auto& e = entries.emplace_back();
    e.assign(with_mac(mac_with(static_cast<std::uint8_t>(i), i)));
    idx.insert(&e);
  }
  idx.reserve(100000);
  for (auto& e : entries) EXPECT_EQ(idx.find(e.mac()), &e);
}

}  // namespace
}  // namespace gh::model
