// okta-compat.md §11.33: single use across restarts — the replay cache's restart rule and the
// data directory's journal that carries the keys the rule cannot refuse.
#include "server/single_use_journal.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace gh::server {
namespace {
using oauth::ReplayCache;
using Outcome = ReplayCache::Outcome;

struct RecordingJournal : oauth::Journal {
  std::vector<std::string> keys;
  bool ok = true;
  bool record(std::string_view, std::string_view key, std::int64_t) override {
    if (ok) keys.emplace_back(key);
    return ok;
  }
};

class SingleUseJournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gh-journal-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/single-use.journal";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_, path_;
};

TEST(ReplayCacheRestart, KeysIssuedUpToTheStartSecondAreRefused) {
  RecordingJournal j;
  ReplayCache cache;
  cache.survive_restarts("dpop", j, 1000);
  EXPECT_EQ(cache.insert("a", 1300, 1002, 999), Outcome::replay) << "issued before the start";
  EXPECT_EQ(cache.insert("b", 1300, 1002, 1000), Outcome::replay) << "issued in the start second";
  EXPECT_EQ(cache.insert("c", 1300, 1002, 1001), Outcome::fresh);
  EXPECT_EQ(cache.insert("c", 1300, 1003, 1001), Outcome::replay);
  EXPECT_TRUE(j.keys.empty()) << "keys issued up to now need no journal";
}

TEST(ReplayCacheRestart, FutureOrUndatedKeysAreJournalledFirstAndRefusedIfTheyCannotBe) {
  RecordingJournal j;
  ReplayCache cache;
  cache.survive_restarts("assertion", j, 0);
  EXPECT_EQ(cache.insert("future", 1300, 1000, 1030), Outcome::fresh);
  EXPECT_EQ(cache.insert("undated", 1300, 1000), Outcome::fresh);
  EXPECT_EQ(cache.insert("now", 1300, 1000, 1000), Outcome::fresh);
  EXPECT_EQ(j.keys, (std::vector<std::string>{"future", "undated"}));
  j.ok = false;
  EXPECT_EQ(cache.insert("lost", 1300, 1000, 1060), Outcome::full) << "fail closed";
  EXPECT_EQ(cache.insert("lost", 1300, 1000, 1060), Outcome::full) << "and nothing was recorded";
}

TEST(ReplayCacheRestart, RestoredKeysAreReplays) {
  ReplayCache cache;
  cache.restore("k", 2000);
  EXPECT_EQ(cache.insert("k", 2000, 1500, 1600), Outcome::replay);
  EXPECT_EQ(cache.insert("k", 3000, 2001, 2001), Outcome::fresh) << "until it expires";
}

TEST_F(SingleUseJournalTest, KeysComeBackAfterARestartAndExpiredOnesAreDropped) {
  {
    SingleUseJournal j(path_, 1000);
    EXPECT_FALSE(j.existed());
    EXPECT_TRUE(j.record("dpop-token", std::string("org\nclient\n jti with spaces\0x", 30), 1500));
    EXPECT_TRUE(j.record("assertion", "short-lived", 1100));
    EXPECT_TRUE(j.record("assertion", "long-lived", 1600));
  }
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // A crash mid-append leaves a torn line: it is skipped.
  { std::ofstream(path_, std::ios::app) << "assertion 1700 6a7"; }
  SingleUseJournal again(path_, 1200);
  EXPECT_TRUE(again.existed());
  std::map<std::string, std::int64_t> got;
  for (auto& e : again.entries()) got[e.cache + "/" + e.key] = e.expires_at;
  EXPECT_EQ(got, (std::map<std::string, std::int64_t>{
                     {"assertion/long-lived", 1600},
                     {"dpop-token/" + std::string("org\nclient\n jti with spaces\0x", 30), 1500}}));
  ReplayCache cache;
  again.restore("assertion", cache);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.insert("long-lived", 1600, 1200, 1300), Outcome::replay);
  std::ifstream in(path_);
  std::string all((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 2) << "rewritten with the live entries only";
}

}  // namespace
}  // namespace gh::server
