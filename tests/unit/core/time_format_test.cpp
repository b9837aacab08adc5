#include "core/time_format.hpp"

#include <gtest/gtest.h>

#include "core/base64.hpp"

namespace gh::core {
namespace {

TEST(TimeFormat, WritesOktaFormatAndParsesWithOrWithoutMillis) {
  auto t = parse_iso8601("2024-01-02T03:04:05.678Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_iso8601(*t), "2024-01-02T03:04:05.678Z");
  EXPECT_EQ(format_iso8601(*parse_iso8601("2024-01-02T03:04:05Z")), "2024-01-02T03:04:05.000Z");
  EXPECT_EQ(format_iso8601(*parse_iso8601("2024-01-02T05:04:05+02:00")), "2024-01-02T03:04:05.000Z");
  for (auto bad : {"", "2024-01-02", "Mon Jan 01 2024 00:00:00 GMT+0000", "2024-13-01T00:00:00Z",
                   "2024-01-02T03:04:05", "2024-01-02T03:04:05.Z", "2024-01-02T03:04:05Zjunk"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(parse_iso8601(bad));
  }
}

TEST(Base64, RoundTripsAndRefusesNonCanonical) {
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(*base64url_decode("-_8"), "\xfb\xff");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(*base64_decode("Zm9vYg=="), "foob");
  EXPECT_FALSE(base64url_decode("a"));
  EXPECT_FALSE(base64url_decode("ab$c"));
  EXPECT_FALSE(base64url_decode("-_9"));  // trailing bits set
}

}  // namespace
}  // namespace gh::core
