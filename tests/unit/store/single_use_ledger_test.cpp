// Many nodes on one PostgreSQL (issue 18): the shared single-use ledger (exact: a value claimed
// by one node is refused by every other), the rate-usage counters, SharedLimits' rounds, and the
// ReplayCache in front of a ledger. Each test has a fresh database of the throwaway cluster
// (testing/pg_cluster.hpp); each ledger object stands for one node (its own connection).
#include "store/postgres/single_use_ledger.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "core/clock.hpp"
#include "oauth/client_auth/replay_cache.hpp"
#include "server/shared_limits.hpp"
#include "store/errc.hpp"
#include "store/postgres/pg_store.hpp"
#include "testing/pg_cluster.hpp"

namespace gh::store::pg {
namespace {

class SingleUseLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = open_postgres_store(db_.url()); }  // migrated
  void cut_off(bool off) {
    auto& admin = testing::PgDatabase::admin();
    ASSERT_EQ(admin.exec(("ALTER DATABASE " + db_.name() + " ALLOW_CONNECTIONS " + (off ? "false" : "true")).c_str()),
              Errc::ok);
    if (off) {
      auto kill = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db_.name() + "'";
      ASSERT_EQ(admin.exec(kill.c_str()), Errc::ok);
    }
  }
  testing::PgDatabase db_;
  std::unique_ptr<Store> store_;
};

TEST_F(SingleUseLedgerTest, AValueClaimedOnOneNodeIsRefusedOnEveryNodeUntilItExpires) {
  auto a = open_single_use_ledger(db_.url()), b = open_single_use_ledger(db_.url());
  EXPECT_EQ(a->claim("org\nclient\njti-1", 1'000, 900).value(), true);
  EXPECT_EQ(a->claim("org\nclient\njti-1", 1'000, 900).value(), false);   // same node
  EXPECT_EQ(b->claim("org\nclient\njti-1", 1'000, 950).value(), false);   // another node
  EXPECT_EQ(b->claim("org\nclient\njti-2", 1'000, 950).value(), true);    // another value
  EXPECT_EQ(b->claim("org\nclient\njti-1", 1'000, 1'000).value(), false); // expires_at itself: still live
  // Past its expiry (not pruned yet) the value is free again, as in the in-memory cache.
  EXPECT_EQ(b->claim("org\nclient\njti-1", 2'000, 1'001).value(), true);
  EXPECT_EQ(a->claim("org\nclient\njti-1", 2'000, 1'002).value(), false);
}

TEST_F(SingleUseLedgerTest, KeysOfAnyLengthAndBytesAreTheirOwn) {
  auto a = open_single_use_ledger(db_.url());
  std::string nul("a\0b", 3), other("a\0c", 3), huge(20'000, 'x');  // a jti is the client's text
  EXPECT_TRUE(a->claim(nul, 100, 1).value());
  EXPECT_TRUE(a->claim(other, 100, 1).value());
  EXPECT_FALSE(a->claim(nul, 100, 1).value());
  EXPECT_TRUE(a->claim(huge, 100, 1).value());
  EXPECT_FALSE(a->claim(huge, 100, 1).value());
  EXPECT_TRUE(a->claim(huge + "y", 100, 1).value());
}

TEST_F(SingleUseLedgerTest, OfConcurrentClaimsOnTwoNodesExactlyOneIsFresh) {
  auto a = open_single_use_ledger(db_.url()), b = open_single_use_ledger(db_.url());
  constexpr int kKeys = 200;
  std::atomic<int> fresh{0}, errors{0};
  auto race = [&](PgSingleUseLedger& l) {
    for (int i = 0; i < kKeys; ++i) {
      auto r = l.claim("k" + std::to_string(i), 100, 1);
      if (!r) ++errors;
      else if (*r) ++fresh;
    }
  };
  std::thread ta(race, std::ref(*a)), tb(race, std::ref(*b));
  ta.join(), tb.join();
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(fresh, kKeys);
}

TEST_F(SingleUseLedgerTest, PruningDeletesOnlyExpiredRows) {
  auto a = open_single_use_ledger(db_.url());
  ASSERT_TRUE(a->claim("old", 10, 1).value());
  ASSERT_TRUE(a->claim("live", 100, 1).value());
  EXPECT_EQ(a->prune(50).value(), 1);
  EXPECT_FALSE(a->claim("live", 100, 50).value());  // still remembered
  EXPECT_EQ(a->prune(50).value(), 0);
}

TEST_F(SingleUseLedgerTest, UnreachableIsAnErrorNeverFreshAndItRecovers) {
  auto a = open_single_use_ledger(db_.url());
  ASSERT_TRUE(a->claim("before", 100, 1).value());
  cut_off(true);
  auto r = a->claim("during", 100, 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), Errc::unavailable);
  EXPECT_EQ(a->claim("during", 100, 1).error(), Errc::unavailable);  // paced: at once
  cut_off(false);
  // Reconnects after its pause (one second), then answers as before.
  gh::Result<bool> back(boost::system::in_place_error, make_error_code(Errc::unavailable));
  for (int i = 0; i < 40 && !back; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    back = a->claim("during", 100, 1);
  }
  ASSERT_TRUE(back);
  EXPECT_TRUE(*back);
  EXPECT_FALSE(a->claim("before", 100, 1).value());
}

TEST_F(SingleUseLedgerTest, RateUsageSumsTheNodesPerKeyAndWindow) {
  auto a = open_rate_usage(db_.url()), b = open_rate_usage(db_.url());
  auto totals = [](const std::vector<std::pair<std::string, std::int64_t>>& v, const std::string& k) {
    for (auto& [key, n] : v)
      if (key == k) return n;
    return std::int64_t{-1};
  };
  auto ra = a->add(7, {{"t\no1\nc1", 3}, {"x\"y\\z", 1}});
  ASSERT_TRUE(ra);
  EXPECT_EQ(totals(*ra, "t\no1\nc1"), 3);
  EXPECT_EQ(totals(*ra, "x\"y\\z"), 1);  // quoted in the array literal, not spliced
  auto rb = b->add(7, {{"t\no1\nc1", 2}});
  EXPECT_EQ(totals(rb.value(), "t\no1\nc1"), 5);
  EXPECT_EQ(totals(a->add(7, {{"t\no1\nc1", 0}}).value(), "t\no1\nc1"), 5);  // read only
  EXPECT_EQ(totals(a->add(8, {{"t\no1\nc1", 1}}).value(), "t\no1\nc1"), 1);  // a new window
  ASSERT_TRUE(a->prune(8));
  EXPECT_EQ(totals(b->add(7, {{"t\no1\nc1", 0}}).value(), "t\no1\nc1"), 0);  // window 7 forgotten
}

TEST_F(SingleUseLedgerTest, SharedLimitsMakeEachNodesBucketReflectTheOthersUse) {
  auto ua = open_rate_usage(db_.url()), ub = open_rate_usage(db_.url());
  core::SystemClock clock;
  core::TokenBuckets a(10), b(10);  // one client's token bucket on node A and on node B
  server::SharedLimits sa(*ua, nullptr, clock), sb(*ub, nullptr, clock);
  sa.share("token.client", a);
  sb.share("token.client", b);
  const std::int64_t t = 1'700'000'000'000;  // one instant: no refill
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(a.take("o1\nc1", t).allowed);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(b.take("o1\nc1", t).allowed);
  EXPECT_EQ(a.peek("o1\nc1", t).remaining, 4u);
  ASSERT_TRUE(sa.sync_once(t));
  ASSERT_TRUE(sb.sync_once(t));  // B learns A's 6
  ASSERT_TRUE(sa.sync_once(t));  // A learns B's 3
  EXPECT_EQ(a.peek("o1\nc1", t).remaining, 1u);
  EXPECT_EQ(b.peek("o1\nc1", t).remaining, 1u);
  ASSERT_TRUE(b.take("o1\nc1", t).allowed);  // the cluster's 10th
  ASSERT_TRUE(sb.sync_once(t));
  ASSERT_TRUE(sa.sync_once(t));
  EXPECT_FALSE(a.take("o1\nc1", t).allowed);
  EXPECT_FALSE(b.take("o1\nc1", t).allowed);
  ASSERT_TRUE(sa.sync_once(t));  // a round with nothing new debits nothing more
  EXPECT_EQ(a.peek("o1\nc1", t + 6'000).remaining, 1u);  // and the bucket refills as usual
}

TEST_F(SingleUseLedgerTest, SharedLimitsKeepTheUseWhilePostgresqlIsDownAndAddItLater) {
  auto ua = open_rate_usage(db_.url()), ub = open_rate_usage(db_.url());
  core::SystemClock clock;
  core::TokenBuckets a(10), b(10);
  server::SharedLimits sa(*ua, nullptr, clock), sb(*ub, nullptr, clock);
  sa.share("n", a);
  sb.share("n", b);
  const std::int64_t t = 1'700'000'000'000;
  ASSERT_TRUE(b.take("k", t).allowed);
  ASSERT_TRUE(sb.sync_once(t));
  cut_off(true);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(a.take("k", t).allowed);
  EXPECT_FALSE(sa.sync_once(t));
  cut_off(false);
  bool synced = false;
  for (int i = 0; i < 40 && !synced; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    synced = sa.sync_once(t);
  }
  ASSERT_TRUE(synced);
  ASSERT_TRUE(sb.sync_once(t));
  EXPECT_EQ(b.peek("k", t).remaining, 5u);  // 10 - B's 1 - A's 4
  EXPECT_EQ(a.peek("k", t).remaining, 5u);
}

}  // namespace
}  // namespace gh::store::pg

namespace gh::oauth {
namespace {

// A ledger in memory that answers what it is told: ReplayCache's mapping of its answers.
class FakeLedger final : public store::SingleUseLedger {
 public:
  gh::Result<bool> claim(std::string_view key, std::int64_t, std::int64_t) override {
    last = std::string(key);
    if (down) return gh::Result<bool>(boost::system::in_place_error, make_error_code(store::Errc::unavailable));
    return seen.insert(std::string(key)).second;
  }
  bool down = false;
  std::string last;
  std::set<std::string> seen;
};

TEST(SharedReplayCache, TheLedgerDecidesAndUnreachableIsRefusedNotFresh) {
  FakeLedger ledger;
  ReplayCache cache(1);  // the in-memory bound does not apply to a shared cache
  cache.share(ledger);
  EXPECT_EQ(cache.insert("a", 100, 1, 1), ReplayCache::Outcome::fresh);
  EXPECT_EQ(cache.insert("b", 100, 1, 1), ReplayCache::Outcome::fresh);
  EXPECT_EQ(cache.insert("a", 100, 1, 1), ReplayCache::Outcome::replay);
  ledger.down = true;
  EXPECT_EQ(cache.insert("c", 100, 1, 1), ReplayCache::Outcome::unavailable);
  EXPECT_FALSE(cache.insert_unique("c", 100, 1, 1));
  EXPECT_EQ(ledger.last, "c");
  EXPECT_EQ(cache.size(), 0u);  // nothing held in memory
}

}  // namespace
}  // namespace gh::oauth
