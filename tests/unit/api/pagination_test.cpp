#include "api/common/listing.hpp"

#include <gtest/gtest.h>

#include <map>

namespace gh::api {
namespace {

std::map<std::string, std::string, std::less<>> items(int n) {
  std::map<std::string, std::string, std::less<>> m;
  for (int i = 0; i < n; ++i) {
    char id[8];
    std::snprintf(id, sizeof id, "id%03d", i);
    m[id] = std::string("\"") + id + "\"";
  }
  return m;
}

TEST(Pagination, WalksEveryItemOnceAndNeverLinksToAnEmptyPage) {
  for (int n : {0, 1, 19, 20, 21, 40, 251}) {
    SCOPED_TRACE(n);
    auto m = items(n);
    std::size_t seen = 0;
    Page page{20, ""};
    for (int guard = 0; guard < 100; ++guard) {
      auto out = collect_page(m, page, [](auto&) { return true; }, [](const std::string& s) -> const std::string& { return s; });
      seen += out.items.size();
      if (!out.next_after) break;
      EXPECT_EQ(out.items.size(), 20u);  // a next link only after a full page...
      page.after = *out.next_after;
      auto rest = collect_page(m, page, [](auto&) { return true; }, [](const std::string& s) -> const std::string& { return s; });
      EXPECT_FALSE(rest.items.empty());  // ...and never to an empty one
    }
    EXPECT_EQ(seen, static_cast<std::size_t>(n));
  }
}

TEST(Pagination, FilteredPagesOnlyLinkWhenAnotherMatchExists) {
  auto m = items(100);
  auto odd = [](const std::string& s) { return (s[s.size() - 2] - '0') % 2 == 1; };
  Page page{50, ""};
  auto out = collect_page(m, page, odd, [](const std::string& s) -> const std::string& { return s; });
  EXPECT_EQ(out.items.size(), 50u);
  EXPECT_FALSE(out.next_after);
  page.limit = 49;
  out = collect_page(m, page, odd, [](const std::string& s) -> const std::string& { return s; });
  EXPECT_TRUE(out.next_after);
}

TEST(Pagination, ParsesLimitAndAfter) {
  auto q = http::Params::parse("limit=5&after=00g9");
  auto p = parse_page(*q, 200, 200);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->limit, 5u);
  EXPECT_EQ(p->after, "00g9");
  EXPECT_EQ(parse_page(*http::Params::parse("limit=100000"), 20, 200).value().limit, 200u);
  for (auto bad : {"limit=abc", "limit=-1", "limit=", "limit=1e3", "limit=5;DROP"}) {
    SCOPED_TRACE(bad);
    auto r = parse_page(*http::Params::parse(bad), 20, 200);
    ASSERT_TRUE(r.has_error());
    EXPECT_EQ(r.error().code, "E0000001");
  }
}

TEST(Pagination, LinksAreAbsoluteAndCarryEveryParameter) {
  auto q = http::Params::parse("limit=2&search=profile.name%20sw%20%22x%22");
  http::Response res;
  set_links(res, "http://127.0.0.1:9/o/acme", "/api/v1/groups", *q, std::string("00g5"));
  ASSERT_EQ(res.headers.size(), 2u);
  EXPECT_EQ(res.headers[0].second, "<http://127.0.0.1:9/o/acme/api/v1/groups?limit=2&search=profile.name%20sw%20%22x%22>; rel=\"self\"");
  EXPECT_EQ(res.headers[1].second, "<http://127.0.0.1:9/o/acme/api/v1/groups?limit=2&search=profile.name%20sw%20%22x%22&after=00g5>; rel=\"next\"");
}

}  // namespace
}  // namespace gh::api
