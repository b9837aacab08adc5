// The management API in process: a real SQLite store, the read model and a FakeClock.
#include "api/common/management_api.hpp"

#include <gtest/gtest.h>

#include "testing/org_fixture.hpp"


namespace gh::api {
namespace {
using namespace std::chrono_literals;

class ManagementApiTest : public testing::OrgFixture {
 protected:
  ManagementApiTest() {
    auto first = add_org("");
    org_ = first.org;
    token_ = first.token;
    api_ = make_management_api();
  }

  http::Response call(http::Method m, std::string path, std::string body = "", std::string token = "") {
    return send(*api_, *org_, m, std::move(path), std::move(body), token.empty() ? token_ : token);
  }

  model::OrgModel* org_ = nullptr;
  std::unique_ptr<ManagementApi> api_;
  std::string token_;
};

TEST_F(ManagementApiTest, ApiTokenExpiresAfterThirtyDaysUnusedAndUseSlidesTheWindow) {
  EXPECT_EQ(call(http::Method::get, "/api/v1/groups").status, 200);
  clock_.advance(29 * 24h);
  EXPECT_EQ(call(http::Method::get, "/api/v1/groups").status, 200);  // used: window slides
  clock_.advance(29 * 24h);
  EXPECT_EQ(call(http::Method::get, "/api/v1/groups").status, 200);
  auto uses = api_->token_uses().take();
  EXPECT_EQ(uses.size(), 2u);  // batched for the store, not written per request
  clock_.advance(30 * 24h + 1min);
  auto res = call(http::Method::get, "/api/v1/groups");
  EXPECT_EQ(res.status, 401);
  EXPECT_NE(res.body.find("E0000011"), std::string::npos);
}

TEST_F(ManagementApiTest, CredentialProblemsAre401WithAChallenge) {
  struct Case {
    std::string name, header;
  };
  const Case cases[] = {{"unknown token", "SSWS gth_api_" + std::string(49, 'a')},
                        {"truncated", "SSWS " + token_.substr(0, token_.size() - 1)},
                        {"unknown scheme", "Basic abc"},
                        {"empty SSWS", "SSWS"},
                        {"bearer undefined", "Bearer undefined"}};
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    http::Request req;
    req.method = http::Method::get;
    req.path = "/api/v1/groups";
    req.headers.emplace_back("Authorization", c.header);
    auto res = api_->handle(req, *org_, req.path);
    EXPECT_EQ(res.status, 401);
    EXPECT_NE(res.body.find("E0000011"), std::string::npos);
    bool challenged = false;
    for (auto& [k, v] : res.headers) challenged = challenged || k == "WWW-Authenticate";
    EXPECT_TRUE(challenged);
  }
  // Scheme names match case-insensitively (okta-compat.md §11.3).
  http::Request req;
  req.method = http::Method::get;
  req.path = "/api/v1/groups";
  auto h = "sSwS " + token_;
  req.headers.emplace_back("Authorization", h);
  EXPECT_EQ(api_->handle(req, *org_, req.path).status, 200);
}

TEST_F(ManagementApiTest, AuthorizationComesBeforeBodyValidation) {
  // A READ_ONLY_ADMIN's malformed create gets 403, not 400 (okta-compat.md §11.4).
  auto created = call(http::Method::post, "/api/v1/users?activate=true",
                      R"({"profile":{"login":"r@x.io","email":"r@x.io","firstName":"R","lastName":"O"},"credentials":{"password":{"value":"Passw0rd!x"}}})");
  ASSERT_EQ(created.status, 200) << created.body;
  auto id = created.body.substr(created.body.find("00u"), 20);
  ASSERT_EQ(call(http::Method::post, "/api/v1/users/" + id + "/roles", R"({"type":"READ_ONLY_ADMIN"})").status, 201);
  auto tok = call(http::Method::post, "/api/v1/api-tokens", R"({"name":"ro","userId":")" + id + "\"}");
  ASSERT_EQ(tok.status, 201) << tok.body;
  auto pos = tok.body.find("gth_api_");
  auto ro = tok.body.substr(pos, 57);
  EXPECT_EQ(call(http::Method::get, "/api/v1/groups", "", ro).status, 200);
  EXPECT_EQ(call(http::Method::post, "/api/v1/groups", "{not json", ro).status, 403);
  EXPECT_EQ(call(http::Method::post, "/api/v1/groups", "{not json").status, 400);
}

TEST_F(ManagementApiTest, FilterTextIsDataAndBadFiltersAreRefused) {
  ASSERT_EQ(call(http::Method::post, "/api/v1/groups", R"({"profile":{"name":"it's; --%"}})").status, 200);
  auto r = call(http::Method::get, "/api/v1/groups?search=profile.name%20eq%20%22it's;%20--%25%22");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("it's; --%"), std::string::npos);
  r = call(http::Method::get, "/api/v1/groups?filter=profile.name%20eq%20%22x%22%20or%201=1");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("E0000031"), std::string::npos);
  r = call(http::Method::get, "/api/v1/groups?access_token=abc");
  EXPECT_EQ(r.status, 400);  // okta-compat.md §11.5
}

}  // namespace
}  // namespace gh::api
