// Token-bucket arithmetic behind every rate limit (okta-compat.md §1.12, §2, §11.30).
#include <gtest/gtest.h>

#include <algorithm>

#include "core/token_bucket.hpp"

namespace gh::core {
namespace {
using namespace std::chrono_literals;

constexpr std::int64_t kT0 = 1'900'000'000'000;  // epoch ms, a whole second

TEST(TokenBuckets, BurstThenRefillAtTheConfiguredRate) {
  TokenBuckets b(60, 1min);  // one token per second
  for (int i = 0; i < 60; ++i) {
    SCOPED_TRACE(i);
    auto d = b.take("k", kT0);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.limit, 60u);
    EXPECT_EQ(d.remaining, 59u - i);
  }
  auto refused = b.take("k", kT0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0u);
  EXPECT_EQ(refused.reset_epoch_s, kT0 / 1000 + 1);  // one token in one second
  EXPECT_FALSE(b.take("k", kT0 + 999).allowed);
  auto later = b.take("k", kT0 + 1000);
  EXPECT_TRUE(later.allowed);
  EXPECT_EQ(later.remaining, 0u);
  EXPECT_EQ(later.reset_epoch_s, kT0 / 1000 + 61);  // empty at t+1 s: full again a minute later
  // A whole minute refills everything, and never more than the capacity.
  EXPECT_EQ(b.take("k", kT0 + 3'600'000).remaining, 59u);
}

TEST(TokenBuckets, ResetOfAFullBucketIsNowAndKeysAreIndependent) {
  TokenBuckets b(1200, 1min);
  auto first = b.take("org1", kT0);
  EXPECT_EQ(first.remaining, 1199u);
  EXPECT_EQ(first.reset_epoch_s, kT0 / 1000 + 1);  // 1 token back in 50 ms → rounds up to the next second
  auto peek = b.peek("org2", kT0);
  EXPECT_TRUE(peek.allowed);
  EXPECT_EQ(peek.remaining, 1200u);
  EXPECT_EQ(b.size(), 1u);  // peeking remembers nothing
}

TEST(TokenBuckets, RefusalsDoNotDrainAndTheClockGoingBackAddsNothing) {
  TokenBuckets b(2, 1min);  // one token per 30 s
  EXPECT_TRUE(b.take("k", kT0).allowed);
  EXPECT_TRUE(b.take("k", kT0).allowed);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(b.take("k", kT0 + 1).allowed);
  EXPECT_TRUE(b.take("k", kT0 + 30'000).allowed);  // the refusals did not push it further out
  EXPECT_FALSE(b.take("k", kT0 - 60'000).allowed);  // backwards: no refill
}

TEST(TokenBuckets, BoundedKeysForgetOnlyFullBuckets) {
  TokenBuckets b(2, 1min, 3);
  for (auto k : {"a", "b", "c"}) EXPECT_TRUE(b.take(k, kT0).allowed);
  EXPECT_EQ(b.size(), 3u);
  EXPECT_TRUE(b.take("d", kT0).allowed);  // full of draining buckets: d is allowed, not remembered
  EXPECT_EQ(b.size(), 3u);
  EXPECT_TRUE(b.take("a", kT0).allowed);
  EXPECT_FALSE(b.take("a", kT0).allowed);  // a was not forgotten
  // Once the others refilled, a new key evicts them.
  EXPECT_TRUE(b.take("e", kT0 + 120'000).allowed);
  EXPECT_LE(b.size(), 3u);
  EXPECT_TRUE(b.take("e", kT0 + 120'000).allowed);
  EXPECT_FALSE(b.take("e", kT0 + 120'000).allowed);
}

TEST(TokenBuckets, UsageIsCountedOncePerTakenTokenAndDebitsDrainButNeverBelowEmpty) {
  TokenBuckets b(5);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(b.take("a", kT0).allowed);
  EXPECT_TRUE(b.take("b", kT0).allowed);
  EXPECT_TRUE(b.peek("c", kT0).allowed);  // a peek takes nothing
  auto usage = b.take_usage();
  std::sort(usage.begin(), usage.end());
  ASSERT_EQ(usage.size(), 2u);
  EXPECT_EQ(usage[0], (std::pair<std::string, std::uint32_t>{"a", 3}));
  EXPECT_EQ(usage[1], (std::pair<std::string, std::uint32_t>{"b", 1}));
  EXPECT_TRUE(b.take_usage().empty());  // counted from zero again
  b.take("a", kT0);
  b.take("a", kT0);
  EXPECT_FALSE(b.take("a", kT0).allowed);  // refused: not usage
  EXPECT_EQ(b.take_usage(), (std::vector<std::pair<std::string, std::uint32_t>>{{"a", 2}}));
  b.debit("b", 2.0, kT0);  // what other nodes took
  EXPECT_EQ(b.peek("b", kT0).remaining, 2u);
  b.debit("b", 50.0, kT0);
  EXPECT_EQ(b.peek("b", kT0).remaining, 0u);
  EXPECT_EQ(b.peek("b", kT0 + 12'000).remaining, 1u);  // refills from empty, not from below it
  b.debit("new", 4.0, kT0);  // a key this node never used starts full
  EXPECT_EQ(b.peek("new", kT0).remaining, 1u);
  EXPECT_TRUE(b.take_usage().empty());  // debits are not this node's usage
}

}  // namespace
}  // namespace gh::core
