// Rate limits across many nodes (issue 18: "approximately is fine for limits"): two SharedLimits,
// one per node, on one cluster count (an in-memory RateUsage standing for table rate_usage).
// Each round adds a node's own use and debits what the others used since its last round.
#include "server/shared_limits.hpp"

#include "core/errc.hpp"

#include <gtest/gtest.h>

#include <map>
#include <mutex>

namespace gh::server {
namespace {

const core::SysTime kT0 = core::from_epoch_ms(1'800'000'000'000);  // a minute's start

class MemoryRateUsage final : public store::pg::RateUsage {
 public:
  gh::Result<std::vector<std::pair<std::string, std::int64_t>>> add(
      std::int64_t window, std::vector<std::pair<std::string, std::int64_t>> usage) override {
    std::lock_guard lk(mu_);
    if (down) return make_error_code(core::Errc::io_failed);  // PostgreSQL out of reach
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (auto& [key, n] : usage) out.emplace_back(key, rows_[{window, key}] += n);
    return out;
  }
  gh::Result<void> prune(std::int64_t window) override {
    std::lock_guard lk(mu_);
    std::erase_if(rows_, [&](const auto& kv) { return kv.first.first < window; });
    return {};
  }
  bool down = false;

 private:
  std::mutex mu_;
  std::map<std::pair<std::int64_t, std::string>, std::int64_t> rows_;
};

struct Node {
  Node(MemoryRateUsage& usage, const core::Clock& clock) : shared(usage, nullptr, clock) {
    shared.share("token.client", buckets);
    shared.share("oauth.introspection.inactive", scans);
  }
  core::TokenBuckets buckets{10};
  oauth::IntrospectionScanLimit scans{10};
  SharedLimits shared;
};

std::int64_t ms(core::SysTime t) { return core::epoch_ms(t); }

TEST(SharedLimits, EachNodeIsDebitedWhatTheOthersTookSinceItsLastRound) {
  MemoryRateUsage usage;
  core::FakeClock clock(kT0);
  Node a(usage, clock), b(usage, clock);
  const auto t = ms(kT0);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(a.buckets.take("c", t).allowed);
  EXPECT_TRUE(b.buckets.take("c", t).allowed);  // b now tracks the key too
  ASSERT_TRUE(a.shared.sync_once(t + 1));  // cluster: 4; a saw nothing from others
  ASSERT_TRUE(b.shared.sync_once(t + 2));  // cluster: 5; b is debited a's 4
  EXPECT_EQ(b.buckets.peek("c", t + 2).remaining, 5u);
  EXPECT_EQ(a.buckets.peek("c", t + 2).remaining, 6u);
  ASSERT_TRUE(a.shared.sync_once(t + 3));  // a learns of b's 1
  EXPECT_EQ(a.buckets.peek("c", t + 3).remaining, 5u);
  ASSERT_TRUE(a.shared.sync_once(t + 4));  // nothing new: no second debit
  ASSERT_TRUE(b.shared.sync_once(t + 4));
  EXPECT_EQ(a.buckets.peek("c", t + 4).remaining, 5u);
  EXPECT_EQ(b.buckets.peek("c", t + 4).remaining, 5u);
}

TEST(SharedLimits, IntrospectionScanningStopsAtTheLimitAcrossNodes) {
  // okta-compat.md §11.32: inactive answers of every node add up; active answers never count.
  MemoryRateUsage usage;
  core::FakeClock clock(kT0);
  Node a(usage, clock), b(usage, clock);
  const auto t = ms(kT0);
  for (int i = 0; i < 4; ++i) a.scans.count_inactive("org\nscanner", t + i);
  for (int i = 0; i < 4; ++i) b.scans.count_inactive("org\nscanner", t + i);
  ASSERT_TRUE(a.shared.sync_once(t + 1000));
  ASSERT_TRUE(b.shared.sync_once(t + 1000));
  ASSERT_TRUE(a.shared.sync_once(t + 2000));
  // 8 of 10 on each node now, where alone each would have counted 4.
  EXPECT_FALSE(a.scans.blocked_for("org\nscanner", t + 2001));
  EXPECT_FALSE(b.scans.blocked_for("org\nscanner", t + 2001));
  a.scans.count_inactive("org\nscanner", t + 2002);
  a.scans.count_inactive("org\nscanner", t + 2002);
  EXPECT_TRUE(a.scans.blocked_for("org\nscanner", t + 2003));
  EXPECT_FALSE(b.scans.blocked_for("org\nscanner", t + 2003)) << "b learns of it at its next round";
  ASSERT_TRUE(a.shared.sync_once(t + 3000));
  ASSERT_TRUE(b.shared.sync_once(t + 3000));
  EXPECT_TRUE(b.scans.blocked_for("org\nscanner", t + 3001));
  // A client with no inactive answers is never counted, on either node.
  EXPECT_FALSE(a.scans.blocked_for("org\nresource-server", t + 3001));
  EXPECT_FALSE(b.scans.blocked_for("org\nresource-server", t + 3001));
}

TEST(SharedLimits, UsageWaitsWhileTheClusterIsDownAndIsAddedLater) {
  MemoryRateUsage usage;
  core::FakeClock clock(kT0);
  Node a(usage, clock), b(usage, clock);
  const auto t = ms(kT0);
  b.scans.count_inactive("org\nscanner", t);
  ASSERT_TRUE(b.shared.sync_once(t + 1));
  usage.down = true;
  for (int i = 0; i < 6; ++i) a.scans.count_inactive("org\nscanner", t + i);
  EXPECT_FALSE(a.shared.sync_once(t + 1000));  // kept for the next round
  usage.down = false;
  ASSERT_TRUE(a.shared.sync_once(t + 2000));
  ASSERT_TRUE(b.shared.sync_once(t + 2000));
  // b: its own 1 and a's 6; three more reach the limit.
  for (int i = 0; i < 2; ++i) b.scans.count_inactive("org\nscanner", t + 2001);
  EXPECT_FALSE(b.scans.blocked_for("org\nscanner", t + 2002));
  b.scans.count_inactive("org\nscanner", t + 2003);
  EXPECT_TRUE(b.scans.blocked_for("org\nscanner", t + 2004));
}

TEST(SharedLimits, ANewMinuteStartsANewCount) {
  MemoryRateUsage usage;
  core::FakeClock clock(kT0);
  Node a(usage, clock), b(usage, clock);
  const auto t = ms(kT0);
  for (int i = 0; i < 5; ++i) a.buckets.take("c", t);
  b.buckets.take("c", t);
  ASSERT_TRUE(a.shared.sync_once(t + 1));
  ASSERT_TRUE(b.shared.sync_once(t + 1));  // debited 5
  b.buckets.take("c", t + 60'000);  // refilled in the meantime
  ASSERT_TRUE(b.shared.sync_once(t + 60'001));  // the next minute: a's 5 are not debited again
  EXPECT_EQ(b.buckets.peek("c", t + 60'001).remaining, 9u);
}

}  // namespace
}  // namespace gh::server
