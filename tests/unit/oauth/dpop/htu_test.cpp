// htu normalisation (RFC 9449 §4.3 step 9, RFC 3986 §6.2; okta-compat.md §1.2, §11.27).
#include <gtest/gtest.h>

#include "oauth/dpop/htu.hpp"

namespace gh::oauth::dpop {
namespace {

TEST(DpopHtu, Normalisation) {
  struct Case {
    std::string in;
    std::optional<std::string> want;
  };
  const Case cases[] = {
      {"http://gh.test/api/v1/groups", "http://gh.test/api/v1/groups"},
      {"HTTP://GH.Test/api/v1/groups", "http://gh.test/api/v1/groups"},
      {"http://gh.test:80/api/v1/groups", "http://gh.test/api/v1/groups"},
      {"https://gh.test:443/x", "https://gh.test/x"},
      {"http://gh.test:443/x", "http://gh.test:443/x"},
      {"http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x"},
      {"http://127.0.0.1:08080/x", "http://127.0.0.1:8080/x"},
      {"http://[::1]:8080/x", "http://[::1]:8080/x"},
      {"http://gh.test/api/v1/groups?limit=1#frag", "http://gh.test/api/v1/groups"},
      {"http://gh.test//api/v1/groups", "http://gh.test/api/v1/groups"},
      {"http://gh.test/api/v1/groups/", "http://gh.test/api/v1/groups"},
      {"http://gh.test", "http://gh.test/"},
      {"http://gh.test/", "http://gh.test/"},
      {"http://gh.test/a%2fb", "http://gh.test/a%2Fb"},
      {"http://gh.test/%61pi", "http://gh.test/api"},
      {"http://gh.test/a%40b", "http://gh.test/a%40b"},
      {"ftp://gh.test/x", std::nullopt},
      {"/api/v1/groups", std::nullopt},
      {"http:///x", std::nullopt},
      {"http://user@gh.test/x", std::nullopt},
      {"http://gh.test:port/x", std::nullopt},
      {"http://gh.test:123456/x", std::nullopt},
      {"http://gh.test/a b", std::nullopt},
      {"http://gh.test/a%zz", std::nullopt},
      {"http://gh.test/a%4", std::nullopt},
      {"http://[::1/x", std::nullopt},
      {"", std::nullopt},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(normalize_htu(c.in), c.want);
  }
}

TEST(DpopHtu, MatchesOnlyTheSameUrl) {
  EXPECT_TRUE(htu_matches("http://GH.test:80//oauth2/v1/token?x=1", "http://gh.test/oauth2/v1/token"));
  EXPECT_FALSE(htu_matches("http://gh.test:81/oauth2/v1/token", "http://gh.test/oauth2/v1/token"));
  EXPECT_FALSE(htu_matches("http://other.test/oauth2/v1/token", "http://gh.test/oauth2/v1/token"));
  EXPECT_FALSE(htu_matches("not a url", "not a url"));
}

}  // namespace
}  // namespace gh::oauth::dpop
