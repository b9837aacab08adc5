// The management API in process: a real SQLite store, the read model and a FakeClock.
#include "api/common/management_api.hpp"

#include <gtest/gtest.h>

#include "api/common/renderer.hpp"
#include "oauth/keys/signing_keys.hpp"
#include "api/orgs/bootstrap.hpp"
#include "core/time_format.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "testing/temp_dir.hpp"

namespace gh::api {
namespace {
using namespace std::chrono_literals;

class ManagementApiTest : public ::testing::Test {
 protected:
  ManagementApiTest()
      : store_(store::open_sqlite_store(dir_.path() + "/g.db")),
        clock_(*core::parse_iso8601("2030-01-01T00:00:00Z")),
        random_(7),
        pepper_(std::string(32, 'p')),
        sealer_(std::string(32, 'm')),
        keyring_(sealer_),
        deps_{*store_, directory_, clock_, random_, pepper_, sealer_, keyring_, {}, "http://gh.test", {}} {
    deps_.add_org = [this](store::OrgSnapshot s) -> model::OrgModel& {
      auto url = s.org.slug.empty() ? deps_.base_url : deps_.base_url + "/o/" + s.org.slug;
      return directory_.add(std::make_unique<model::OrgModel>(std::move(s), url, renderer_));
    };
    auto b = bootstrap_org(random_, pepper_, sealer_, now(), "", "First", {{"login", "admin@x.io"}, {"email", "admin@x.io"},
                           {"firstName", "A"}, {"lastName", "D"}}, "x", 1);
    EXPECT_TRUE(store_->create_org(b.org, b.changes));
    token_ = std::string(b.tokens[0].reveal());
    admin_ = b.admin_id;
    org_ = &deps_.add_org(*store_->load_org(b.org.id));
    api_ = std::make_unique<ManagementApi>(deps_);
  }
  domain::Millis now() const { return core::epoch_ms(clock_.now()); }

  http::Response call(http::Method m, std::string path, std::string body = "", std::string token = "") {
    http::Request req;
    req.method = m;
    auto q = path.find('?');
    query_ = q == std::string::npos ? "" : path.substr(q + 1);
    req.path = path.substr(0, q);
    req.query = query_;
    auth_ = "SSWS " + (token.empty() ? token_ : token);
    req.headers.emplace_back("Authorization", auth_);
    body_ = std::move(body);
    if (!body_.empty()) req.headers.emplace_back("Content-Type", "application/json");
    req.body = body_;
    req.request_id = "rid";
    return api_->handle(req, *org_, req.path);
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  core::FakeClock clock_;
  core::SeededRandom random_;
  crypto::Pepper pepper_;
  crypto::Sealer sealer_;
  oauth::KeyRing keyring_;
  model::Directory directory_;
  ApiRenderer renderer_;
  Deps deps_;
  model::OrgModel* org_ = nullptr;
  std::unique_ptr<ManagementApi> api_;
  std::string token_, admin_, query_, auth_, body_;
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
