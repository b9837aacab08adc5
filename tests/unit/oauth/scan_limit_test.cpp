// okta-compat.md §11.32 (RFC 7662 §4): inactive introspection answers per client per minute.
#include "oauth/introspection/scan_limit.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace gh::oauth {
namespace {

TEST(IntrospectionScanLimit, BlocksTheClientForTheRestOfTheMinuteAfterLimitInactiveAnswers) {
  IntrospectionScanLimit s(3);
  const std::int64_t t0 = 1'000'000;
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(s.blocked_for("org\nscanner", t0 + i));
    s.count_inactive("org\nscanner", t0 + i);
  }
  EXPECT_EQ(s.blocked_for("org\nscanner", t0 + 10), 60) << "whole seconds to the end of the window";
  EXPECT_EQ(s.blocked_for("org\nscanner", t0 + 59'001), 1);
  EXPECT_FALSE(s.blocked_for("org\nother", t0 + 10)) << "per client";
  EXPECT_FALSE(s.blocked_for("org\nscanner", t0 + 60'000)) << "the minute is over";
  s.count_inactive("org\nscanner", t0 + 60'000);
  EXPECT_FALSE(s.blocked_for("org\nscanner", t0 + 60'001)) << "a new window counts from zero";
}

TEST(IntrospectionScanLimit, BoundedMemoryFailsOpenForNewClientsOnly) {
  IntrospectionScanLimit s(1, std::chrono::minutes(1), 2);
  s.count_inactive("a", 0);
  s.count_inactive("b", 0);
  s.count_inactive("c", 0);  // full of open windows: not counted
  EXPECT_TRUE(s.blocked_for("a", 1));
  EXPECT_FALSE(s.blocked_for("c", 1));
  s.count_inactive("c", 60'000);  // the old windows are over: pruned, and c is counted
  EXPECT_TRUE(s.blocked_for("c", 60'001));
}

TEST(IntrospectionScanLimit, ReportsItsInactiveAnswersAndCountsTheOtherNodes) {
  IntrospectionScanLimit s(5);
  const std::int64_t t0 = 1'000'000;
  s.count_inactive("a", t0);
  s.count_inactive("a", t0 + 1);
  s.count_inactive("b", t0 + 2);
  auto usage = s.take_usage();
  std::sort(usage.begin(), usage.end());
  EXPECT_EQ(usage, (std::vector<std::pair<std::string, std::uint32_t>>{{"a", 2}, {"b", 1}}));
  EXPECT_TRUE(s.take_usage().empty()) << "counted from zero again";
  s.debit("a", 2.0, t0 + 10);  // other nodes' inactive answers: 4 of 5
  EXPECT_FALSE(s.blocked_for("a", t0 + 11));
  s.count_inactive("a", t0 + 12);  // the fifth, this node's
  EXPECT_EQ(s.blocked_for("a", t0 + 13), 60) << "blocked for the rest of this node's window";
  EXPECT_EQ(s.take_usage(), (std::vector<std::pair<std::string, std::uint32_t>>{{"a", 1}}))
      << "debits are not this node's usage";
  s.debit("fresh", 9.0, t0 + 20);  // a client this node never saw: a window opened now, full
  EXPECT_EQ(s.blocked_for("fresh", t0 + 21), 60);
  EXPECT_FALSE(s.blocked_for("fresh", t0 + 60'020)) << "the minute is over";
  EXPECT_TRUE(s.take_usage().empty());
  s.debit("b", 0.5, t0 + 30);  // less than one answer: nothing
  s.debit("b", 3.0, t0 + 30);
  EXPECT_FALSE(s.blocked_for("b", t0 + 31)) << "1 + 3 of 5";
}

}  // namespace
}  // namespace gh::oauth
