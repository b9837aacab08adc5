#include "http/url.hpp"

#include <gtest/gtest.h>

#include <string>

#include "http/router.hpp"

namespace gh::http {
namespace {

TEST(NormalizePath, CollapsesRepeatedSlashesAndTrailingSlash) {
  struct Case {
    std::string_view in, want;
  };
  const Case cases[] = {{"//api/v1/users", "/api/v1/users"}, {"/api///v1//users/", "/api/v1/users"},
                        {"/", "/"}, {"", "/"}, {"///", "/"}, {"/o/acme//api/v1", "/o/acme/api/v1"},
                        {"/oauth2/v1/token", "/oauth2/v1/token"}, {"/a", "/a"}, {"/a/", "/a"}, {"a//b", "a/b"}};
  for (auto& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(normalize_path(c.in), c.want);
  }
}

// The fast path (a path with nothing to collapse, copied whole) agrees with the character loop on
// every string of up to 8 characters over '/', 'a' and '.'.
TEST(NormalizePath, AgreesWithTheCharacterLoopEverywhere) {
  auto reference = [](std::string_view path) {
    std::string out;
    for (char c : path)
      if (!(c == '/' && !out.empty() && out.back() == '/')) out += c;
    if (out.empty()) out.push_back('/');
    if (out.size() > 1 && out.back() == '/') out.pop_back();
    return out;
  };
  const char alphabet[] = {'/', 'a', '.'};
  std::string s;
  for (std::size_t len = 0; len <= 8; ++len) {
    std::size_t total = 1;
    for (std::size_t i = 0; i < len; ++i) total *= 3;
    for (std::size_t k = 0; k < total; ++k) {
      s.assign(len, '/');
      for (std::size_t i = 0, v = k; i < len; ++i, v /= 3) s[i] = alphabet[v % 3];
      ASSERT_EQ(normalize_path(s), reference(s)) << s;
    }
  }
}

TEST(PercentDecode, DecodesAndRefusesBadEscapes) {
  EXPECT_EQ(percent_decode("alice%40example.com", false), "alice@example.com");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("%22x%22", true), "\"x\"");
  EXPECT_EQ(percent_decode("%", true), std::nullopt);
  EXPECT_EQ(percent_decode("%4", true), std::nullopt);
  EXPECT_EQ(percent_decode("%zz", true), std::nullopt);
  EXPECT_EQ(percent_decode("%00", true), std::nullopt);
  EXPECT_EQ(percent_decode(std::string_view("a\0b", 3), true), std::nullopt);  // raw NUL too
}

// The scan for something to decode tests 8 bytes at a time: an escape, a '+' or a NUL is seen at
// every offset of values up to three words long.
TEST(PercentDecode, SeesEscapesPlusAndNulAtEveryOffset) {
  for (std::size_t len = 1; len <= 24; ++len)
    for (std::size_t at = 0; at < len; ++at) {
      SCOPED_TRACE(testing::Message() << "len " << len << " at " << at);
      std::string s(len, 'x');
      EXPECT_EQ(percent_decode(s, true), s);
      s[at] = '+';
      EXPECT_EQ(percent_decode(s, false), s);
      EXPECT_EQ(percent_decode(s, true), std::string(len, 'x').replace(at, 1, " "));
      s[at] = '\0';
      EXPECT_EQ(percent_decode(s, true), std::nullopt);
      EXPECT_EQ(percent_decode(s, false), std::nullopt);
      s = std::string(len, 'x') + "%41";
      s.insert(0, at, 'y');
      EXPECT_EQ(percent_decode(s, false), std::string(at, 'y') + std::string(len, 'x') + "A");
    }
}

TEST(Params, ParsesQueryAndReencodesWithCursor) {
  auto p = Params::parse("limit=20&search=profile.name%20sw%20%22a%22&q=x+y");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->get("limit"), "20");
  EXPECT_EQ(p->get("search"), "profile.name sw \"a\"");
  EXPECT_EQ(p->get("q"), "x y");
  EXPECT_EQ(p->get("after"), std::nullopt);
  EXPECT_EQ(p->encode_with("after", "00g1"),
            "limit=20&search=profile.name%20sw%20%22a%22&q=x%20y&after=00g1");
  auto again = Params::parse(p->encode_with("after", "00g2"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->get("search"), p->get("search"));
  EXPECT_EQ(again->get("after"), "00g2");
  EXPECT_FALSE(Params::parse("a=%"));
}

TEST(Router, MatchesPatternsCapturesAndReportsWrongMethod) {
  Router<int> r;
  r.add(Method::get, "/api/v1/users/{id}", 1);
  r.add(Method::get, "/api/v1/users/{id}/groups", 2);
  r.add(Method::put, "/api/v1/groups/{g}/users/{u}", 3);
  auto m = r.match(Method::get, "/api/v1/users/alice%40example.com");
  ASSERT_TRUE(m.handler);
  EXPECT_EQ(*m.handler, 1);
  EXPECT_EQ(m.params[0], "alice@example.com");
  m = r.match(Method::put, "/api/v1/groups/00g1/users/00u2");
  ASSERT_TRUE(m.handler);
  EXPECT_EQ(m.params[1], "00u2");
  m = r.match(Method::delete_, "/api/v1/users/x");
  EXPECT_FALSE(m.handler);
  EXPECT_TRUE(m.path_known);  // → 405
  m = r.match(Method::get, "/api/v1/nope");
  EXPECT_FALSE(m.handler);
  EXPECT_FALSE(m.path_known);  // → 404
  EXPECT_TRUE(r.match(Method::head, "/api/v1/users/x").handler);
}

TEST(ParsePort, AcceptsOneTo65535InAtMostFiveDigits) {
  struct Case {
    std::string_view in;
    std::optional<std::uint16_t> want;
  };
  const Case cases[] = {{"443", 443},   {"1", 1},         {"65535", 65535}, {"08080", 8080},
                        {"", {}},       {"0", {}},        {"65536", {}},    {"123456", {}},
                        {"80a", {}},    {"-1", {}},       {" 80", {}},      {"+80", {}}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(parse_port(c.in), c.want);
  }
}

TEST(IsHttpAllowed, OnlyListedHostsCaseInsensitively) {
  const std::vector<std::string> allowed{"keys.internal.example"};
  EXPECT_TRUE(is_http_allowed("Keys.Internal.Example", allowed));
  EXPECT_FALSE(is_http_allowed("keys.internal.example.evil.test", allowed));
  EXPECT_FALSE(is_http_allowed("keys.internal.example", {}));
}

}  // namespace
}  // namespace gh::http
