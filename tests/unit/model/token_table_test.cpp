// model::TokenTable (an org's API tokens: id order, lookup by id and by MAC) against a std::map
// reference under random inserts, updates and erases; core::SmallString at the inline limit.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "core/small_string.hpp"
#include "model/token_table.hpp"

namespace gh::model {
namespace {

domain::ApiToken token(std::mt19937& rng, std::string id) {
  domain::ApiToken t;
  t.id = std::move(id);
  t.user_id = "00u" + std::to_string(rng() % 5);
  // Names on both sides of the inline limit (23), so some live on the heap.
  t.name = std::string(rng() % 40, static_cast<char>('a' + rng() % 26));
  for (auto& b : t.mac) b = static_cast<std::uint8_t>(rng());
  t.hint = "gth_api_" + std::to_string(rng() % 10000);
  t.created = static_cast<domain::Millis>(rng());
  t.last_updated = t.created + 1;
  t.last_used = t.created + static_cast<domain::Millis>(rng() % 1000);
  return t;
}

void expect_entry(const TokenEntry& e, const domain::ApiToken& t) {
  EXPECT_EQ(e.id(), t.id);
  EXPECT_EQ(e.user_id(), t.user_id);
  EXPECT_EQ(e.name(), t.name);
  EXPECT_EQ(e.hint(), t.hint);
  EXPECT_EQ(e.mac(), t.mac);
  EXPECT_EQ(e.created(), t.created);
  EXPECT_EQ(e.last_updated(), t.last_updated);
  auto back = e.token();
  EXPECT_EQ(back.id, t.id);
  EXPECT_EQ(back.name, t.name);
  EXPECT_EQ(back.mac, t.mac);
  EXPECT_FALSE(back.revoked);
}

// The table against a map: same ids in the same order, every entry equal, each MAC found (and
// only the current MAC of each token).
void expect_same(const TokenTable& table, const std::map<std::string, domain::ApiToken>& ref,
                 const std::map<crypto::Mac, std::string>& gone_macs) {
  ASSERT_EQ(table.size(), ref.size());
  auto it = table.begin();
  for (auto& [id, t] : ref) {
    ASSERT_NE(it, table.end());
    EXPECT_EQ(it->first, id);
    expect_entry(it->second, t);
    EXPECT_EQ(table.find(id), &it->second);
    EXPECT_EQ(table.find_by_mac(t.mac), &it->second);
    ++it;
  }
  EXPECT_EQ(it, table.end());
  for (auto& [mac, id] : gone_macs)
    if (!ref.contains(id) || ref.at(id).mac != mac) EXPECT_EQ(table.find_by_mac(mac), nullptr) << id;
}

TEST(TokenTable, AgreesWithAMapUnderRandomChanges) {
  std::mt19937 rng(11);
  TokenTable table;
  std::map<std::string, domain::ApiToken> ref;
  std::map<crypto::Mac, std::string> old_macs;  // MACs replaced or erased
  auto some_id = [&] { return "00T" + std::to_string(rng() % 3000); };  // random order, collisions
  for (int step = 0; step < 20000; ++step) {
    auto id = some_id();
    switch (rng() % 4) {
      case 0: {  // erase
        if (auto r = ref.find(id); r != ref.end()) old_macs[r->second.mac] = id, ref.erase(r);
        table.erase(id);
        EXPECT_EQ(table.find(id), nullptr);
        break;
      }
      case 1: {  // update: a new name and MAC; last_used never goes back
        auto r = ref.find(id);
        if (r == ref.end()) break;
        auto t = token(rng, id);
        old_macs[r->second.mac] = id;
        auto keep = std::max(r->second.last_used, t.last_used);
        auto& e = table.put(t);
        EXPECT_EQ(e.last_used.load(), keep);
        t.last_used = keep;
        r->second = t;
        break;
      }
      default: {  // insert (or replace)
        auto t = token(rng, id);
        if (auto r = ref.find(id); r != ref.end()) {
          old_macs[r->second.mac] = id;
          t.last_used = std::max(t.last_used, r->second.last_used);
        }
        table.put(t);
        ref[id] = t;
      }
    }
    if (step % 1000 == 0) expect_same(table, ref, old_macs);
  }
  expect_same(table, ref, old_macs);
}

TEST(TokenTable, PagesInIdOrderFromACursor) {
  std::mt19937 rng(3);
  TokenTable table;
  for (auto id : {"00Tc", "00Ta", "00Te", "00Tb", "00Td"}) table.put(token(rng, id));
  std::string seen;
  for (auto it = table.upper_bound("00Tb"); it != table.end(); ++it) seen += it->first.back();
  EXPECT_EQ(seen, "cde");
  EXPECT_EQ(table.upper_bound("00Te"), table.end());
  EXPECT_EQ(table.upper_bound("")->first, "00Ta");
}

TEST(TokenTable, ReusesErasedEntriesAndSurvivesAMove) {
  std::mt19937 rng(4);
  TokenTable table;
  table.reserve(3);
  auto a = token(rng, "00Ta"), b = token(rng, "00Tb");
  auto* ea = &table.put(a);
  table.put(b);
  table.erase("00Ta");
  auto c = token(rng, "00Tc");
  EXPECT_EQ(&table.put(c), ea);  // the erased slot
  TokenTable moved(std::move(table));
  EXPECT_EQ(moved.find("00Tc"), ea);  // entries do not move with the table
  EXPECT_EQ(moved.find_by_mac(b.mac)->id(), "00Tb");
  EXPECT_EQ(moved.find_by_mac(a.mac), nullptr);
  EXPECT_EQ(moved.size(), 2u);
  EXPECT_EQ(moved.begin()->first, "00Tb");
}

TEST(SmallString, InlineUpTo23AndHeapBeyond) {
  for (std::size_t n : {0, 1, 20, 23, 24, 100}) {
    std::string s(n, 'x');
    s.front() = 'a';
    core::SmallString a(s);
    EXPECT_EQ(a.view(), s);
    EXPECT_EQ(a.is_heap(), n > 23);
    core::SmallString b = a;  // a copy owns its own bytes
    a.assign("other");
    EXPECT_EQ(b.view(), s);
    core::SmallString c = std::move(b);
    EXPECT_EQ(c.view(), s);
    EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
    c = core::SmallString(std::string(30, 'y'));
    EXPECT_EQ(c.view(), std::string(30, 'y'));
  }
}

}  // namespace
}  // namespace gh::model
