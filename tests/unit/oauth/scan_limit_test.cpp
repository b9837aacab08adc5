// okta-compat.md §11.32 (RFC 7662 §4): inactive introspection answers per client per minute.
#include "oauth/introspection/scan_limit.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace gh::oauth
