// API service integrations, operator side and catalog (issue 15), in process over three orgs:
// the first (the operator's), a vendor and a customer. Every rule and refusal of the review queue
// (operator only, only SUBMITTED is reviewed, a reject needs a comment), versions of a published
// integration, the scope diff, the catalog (listed only, q, paging) and the events.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/integrations/versions.hpp"
#include "testing/org_fixture.hpp"

namespace gh::api {
namespace {
namespace json = boost::json;
using M = http::Method;

std::string body_of(std::string_view name, std::string_view scopes, std::string_view logo) {
  return R"({"id":"acme_sync","name":")" + std::string(name) + R"(","description":"Syncs ACME users","logo":")" +
         std::string(logo) +
         R"(","appContactDetails":[{"contactType":"CUSTOMER_SUPPORT","contactValueType":"EMAIL","contact":"s@acme.io"}],)"
         R"("apiService":{"scopes":)" + std::string(scopes) + R"(,"configGuideUrl":"https://acme.example/guide"}})";
}
constexpr std::string_view kUsersRead = R"([{"scope":"okta.users.read","reason":"read users"}])";
constexpr std::string_view kUsersAndGroups =
    R"([{"scope":"okta.users.read","reason":"read users"},{"scope":"okta.groups.read","reason":"read groups"}])";

class IntegrationReviewTest : public testing::OrgFixture {
 protected:
  IntegrationReviewTest() : OrgFixture(21) {
    auto op = add_org("");
    op_ = {op.org, op.token};
    op_admin_ = op.admin_id;
    auto v = add_org("acme");
    vendor_ = {v.org, v.token};
    auto c = add_org("cust");
    cust_ = {c.org, c.token};
    api_ = make_management_api();
    commit_to(*vendor_.org, {store::PutDocument{{"integration_logo", "fslogo", "", {{"contentType", "image/png"}}}}});
    logo_ = vendor_.org->url() + "/integrations/logos/fslogo";
  }

  struct Who {
    model::OrgModel* org;
    std::string token;
  };
  http::Response call(const Who& w, M m, std::string path, std::string body = "") {
    return send(*api_, *w.org, m, std::move(path), std::move(body), w.token, m == M::post);
  }
  json::value ok(const Who& w, M m, std::string path, std::string body = "", int want = 200) {
    auto r = call(w, m, path, std::move(body));
    EXPECT_EQ(r.status, want) << path << " " << r.body;
    return r.body.empty() ? json::value() : json::parse(r.body);
  }
  // An admin of `w`'s org with `role` and an API token of its own.
  Who with_role(const Who& w, std::string_view role) {
    std::string login = http::ascii_lower(role) + "@x.io";
    auto u = ok(w, M::post, "/api/v1/users?activate=true",
                R"({"profile":{"login":")" + login + R"(","email":"r@x.io","firstName":"R","lastName":"O"},)"
                R"("credentials":{"password":{"value":"Passw0rd!x"}}})");
    std::string id(u.at("id").as_string());
    ok(w, M::post, "/api/v1/users/" + id + "/roles", R"({"type":")" + std::string(role) + "\"}", 201);
    auto t = ok(w, M::post, "/api/v1/api-tokens", R"({"name":"r","userId":")" + id + "\"}", 201);
    return {w.org, std::string(t.at("token").as_string())};
  }
  // The vendor creates and submits acme_sync with `scopes`.
  void submit(std::string_view scopes = kUsersRead, std::string_view name = "Acme Sync") {
    ok(vendor_, M::post, "/integrations/api/v1/submissions", body_of(name, scopes, logo_), 201);
    ok(vendor_, M::post, "/integrations/api/v1/submissions/acme_sync/submit", "", 202);
  }
  std::string status_of(std::string_view key) {
    return std::string(ok(vendor_, M::get, "/integrations/api/v1/submissions/" + std::string(key)).at("status").as_string());
  }
  static std::string link_of(const http::Response& r) {
    for (auto& [k, v] : r.headers)
      if (k == "Link" && v.find("rel=\"next\"") != std::string::npos) return v;
    return "";
  }

  Who op_, vendor_, cust_;
  std::string op_admin_;
  std::unique_ptr<ManagementApi> api_;
  std::string logo_;
};

constexpr std::string_view kQueue = "/api/v1/review/submissions";

TEST_F(IntegrationReviewTest, OnlyTheOperatorReviews) {
  submit();
  auto org_admin = with_role(op_, "ORG_ADMIN");
  auto read_only = with_role(op_, "READ_ONLY_ADMIN");
  for (auto& [who, name] : {std::pair{vendor_, "vendor super admin"}, {org_admin, "first org ORG_ADMIN"},
                            {read_only, "first org READ_ONLY_ADMIN"}, {cust_, "customer super admin"}}) {
    SCOPED_TRACE(name);
    for (auto [m, path] : {std::pair{M::get, std::string(kQueue)}, {M::get, std::string(kQueue) + "/acme_sync"},
                           {M::post, std::string(kQueue) + "/acme_sync/approve"},
                           {M::post, std::string(kQueue) + "/acme_sync/unpublish"}}) {
      auto r = call(who, m, path, m == M::post ? R"({"comment":"x"})" : "");
      EXPECT_EQ(r.status, 403) << path << " " << r.body;
      EXPECT_NE(r.body.find("E0000006"), std::string::npos) << r.body;
    }
    auto r = call(who, M::post, std::string(kQueue) + "/acme_sync/reject", R"({"comment":"no"})");
    EXPECT_EQ(r.status, 403);
  }
  EXPECT_EQ(status_of("acme_sync"), "SUBMITTED");  // nothing changed
  EXPECT_FALSE(directory_.published("acme_sync"));
  // The operator sees it; a key nobody has is 404.
  EXPECT_EQ(ok(op_, M::get, std::string(kQueue)).as_array().size(), 1u);
  EXPECT_EQ(call(op_, M::get, std::string(kQueue) + "/nothing").status, 404);
  EXPECT_EQ(call(op_, M::post, std::string(kQueue) + "/nothing/approve").status, 404);
}

TEST_F(IntegrationReviewTest, RejectNeedsACommentTheVendorReads) {
  submit();
  for (auto body : {"", R"({"comment":""})", R"({"comment":7})"}) {
    auto r = call(op_, M::post, std::string(kQueue) + "/acme_sync/reject", body);
    EXPECT_EQ(r.status, 400) << body << r.body;
    EXPECT_NE(r.body.find("comment:"), std::string::npos) << r.body;
  }
  auto r = call(op_, M::post, std::string(kQueue) + "/acme_sync/reject", R"({"comment":")" + std::string(2049, 'c') + "\"}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(status_of("acme_sync"), "SUBMITTED");
  auto v = ok(op_, M::post, std::string(kQueue) + "/acme_sync/reject", R"({"comment":"Explain okta.users.read\nplease"})");
  EXPECT_EQ(v.at("status").as_string(), "REJECTED");
  EXPECT_EQ(v.at("comments").as_array().size(), 1u);
  EXPECT_EQ(status_of("acme_sync"), "REJECTED");
  // Reviewed once: a second reject or an approve is 400 until the vendor submits again.
  EXPECT_EQ(call(op_, M::post, std::string(kQueue) + "/acme_sync/reject", R"({"comment":"again"})").status, 400);
  EXPECT_EQ(call(op_, M::post, std::string(kQueue) + "/acme_sync/approve").status, 400);
  auto comments = ok(vendor_, M::get, "/integrations/api/v1/submissions/acme_sync/comments").as_array();
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_EQ(comments[0].at("comment").as_string(), "Explain okta.users.read\nplease");
  EXPECT_EQ(comments[0].at("action").as_string(), "REJECTED");
  EXPECT_EQ(comments[0].at("author").as_string(), op_admin_);  // as the vendor's System Log names it
  // Not another org's to read; the vendor's GET never shows _gh.
  EXPECT_EQ(call(cust_, M::get, "/integrations/api/v1/submissions/acme_sync/comments").status, 404);
  EXPECT_EQ(call(vendor_, M::get, "/integrations/api/v1/submissions/acme_sync").body.find("_gh"), std::string::npos);
  // REJECTED is editable: the vendor edits and resubmits; the queue lists it again.
  ok(vendor_, M::put, "/integrations/api/v1/submissions/acme_sync", body_of("Acme Sync 2", kUsersRead, logo_));
  ok(vendor_, M::post, "/integrations/api/v1/submissions/acme_sync/submit", "", 202);
  EXPECT_EQ(ok(op_, M::get, std::string(kQueue)).as_array().size(), 1u);
  EXPECT_EQ(ok(op_, M::get, std::string(kQueue) + "?status=REJECTED").as_array().size(), 0u);
  EXPECT_EQ(call(op_, M::get, std::string(kQueue) + "?status=NOPE").status, 400);
}

TEST_F(IntegrationReviewTest, ApprovePublishesAndPublishedIsNotEditedInPlace) {
  ok(vendor_, M::post, "/integrations/api/v1/submissions", body_of("Acme Sync", kUsersRead, logo_), 201);
  auto r = call(op_, M::post, std::string(kQueue) + "/acme_sync/approve");
  EXPECT_EQ(r.status, 400);  // a DRAFT
  EXPECT_NE(r.body.find("SUBMITTED"), std::string::npos) << r.body;
  ok(vendor_, M::post, "/integrations/api/v1/submissions/acme_sync/submit", "", 202);
  auto v = ok(op_, M::post, std::string(kQueue) + "/acme_sync/approve", R"({"comment":"Welcome"})");
  EXPECT_EQ(v.at("status").as_string(), "PUBLISHED");
  EXPECT_EQ(v.at("published").at("version").as_int64(), 1);
  EXPECT_EQ(v.at("vendorOrg").at("id").as_string(), vendor_.org->id().str());
  auto p = directory_.published("acme_sync");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->version, 1);
  EXPECT_TRUE(p->listed);
  EXPECT_FALSE(p->revoked);
  EXPECT_EQ(p->vendor_org, vendor_.org->id());
  ASSERT_EQ(p->scopes.size(), 1u);
  EXPECT_EQ(p->scopes[0].reason, "read users");
  auto got = ok(vendor_, M::get, "/integrations/api/v1/submissions/acme_sync");
  EXPECT_EQ(got.at("status").as_string(), "PUBLISHED");
  EXPECT_TRUE(got.as_object().contains("lastPublished"));
  // PUT, DELETE and submit refuse PUBLISHED in place; approving twice is refused.
  EXPECT_EQ(call(vendor_, M::put, "/integrations/api/v1/submissions/acme_sync", body_of("X", kUsersRead, logo_)).status, 400);
  EXPECT_EQ(call(vendor_, M::delete_, "/integrations/api/v1/submissions/acme_sync").status, 400);
  EXPECT_EQ(call(vendor_, M::post, "/integrations/api/v1/submissions/acme_sync/submit").status, 400);
  EXPECT_EQ(call(op_, M::post, std::string(kQueue) + "/acme_sync/approve").status, 400);
  EXPECT_EQ(directory_.published("acme_sync")->name, "Acme Sync");
}

TEST_F(IntegrationReviewTest, NewVersionIsADraftBesideThePublishedCopy) {
  submit();
  ok(op_, M::post, std::string(kQueue) + "/acme_sync/approve");
  auto published_at = ok(vendor_, M::get, "/integrations/api/v1/submissions/acme_sync").at("lastPublished");
  // Another org cannot take the key, not even as a "new version".
  EXPECT_EQ(call(cust_, M::post, "/integrations/api/v1/submissions", body_of("Mine", kUsersRead, logo_)).status, 400);
  // v2: a POST of the same id starts a DRAFT working version; the published copy stays v1.
  auto v2 = ok(vendor_, M::post, "/integrations/api/v1/submissions", body_of("Acme Sync v2", kUsersAndGroups, logo_), 201);
  EXPECT_EQ(v2.at("status").as_string(), "DRAFT");
  EXPECT_EQ(v2.at("lastPublished"), published_at);
  EXPECT_EQ(directory_.published("acme_sync")->name, "Acme Sync");
  EXPECT_EQ(directory_.published("acme_sync")->scopes.size(), 1u);
  // A second POST while the draft exists is refused (PUT edits it).
  EXPECT_EQ(call(vendor_, M::post, "/integrations/api/v1/submissions", body_of("v3", kUsersRead, logo_)).status, 400);
  // Deleting the draft reverts to the published copy (installs depend on the key).
  EXPECT_EQ(call(vendor_, M::delete_, "/integrations/api/v1/submissions/acme_sync").status, 204);
  auto back = ok(vendor_, M::get, "/integrations/api/v1/submissions/acme_sync");
  EXPECT_EQ(back.at("status").as_string(), "PUBLISHED");
  EXPECT_EQ(back.at("name").as_string(), "Acme Sync");
  EXPECT_EQ(back.at("apiService").at("scopes").as_array().size(), 1u);
  ASSERT_TRUE(directory_.published("acme_sync"));
  EXPECT_EQ(directory_.integration_owner("acme_sync"), vendor_.org->id());
  // v2 again, submitted: the operator sees the diff, approves, the copy is v2.
  submit(kUsersAndGroups, "Acme Sync v2");
  auto view = ok(op_, M::get, std::string(kQueue) + "/acme_sync");
  EXPECT_EQ(json::serialize(view.at("scopeDiff")),
            R"({"added":["okta.groups.read"],"removed":[],"unchanged":["okta.users.read"]})");
  EXPECT_EQ(view.at("published").at("version").as_int64(), 1);
  ok(op_, M::post, std::string(kQueue) + "/acme_sync/approve");
  auto p = directory_.published("acme_sync");
  EXPECT_EQ(p->version, 2);
  EXPECT_EQ(p->name, "Acme Sync v2");
  EXPECT_EQ(p->scopes.size(), 2u);
  EXPECT_EQ(json::serialize(ok(op_, M::get, std::string(kQueue) + "/acme_sync").at("scopeDiff")),
            R"({"added":[],"removed":[],"unchanged":["okta.users.read","okta.groups.read"]})");
}

TEST_F(IntegrationReviewTest, CatalogListsListedIntegrationsWithSearchAndPaging) {
  EXPECT_EQ(ok(cust_, M::get, "/api/v1/catalog/integrations").as_array().size(), 0u);
  submit();
  EXPECT_EQ(ok(cust_, M::get, "/api/v1/catalog/integrations").as_array().size(), 0u);  // not yet approved
  EXPECT_EQ(call(cust_, M::get, "/api/v1/catalog/integrations/acme_sync").status, 404);
  ok(op_, M::post, std::string(kQueue) + "/acme_sync/approve");
  // Two more published integrations of the vendor, written as the approval writes them.
  for (auto [key, name] : {std::pair{"beta_hr", "Beta HR"}, {"zeta_crm", "Zeta CRM"}}) {
    json::object b{{"id", key}, {"name", name}, {"status", "PUBLISHED"}};
    b["_gh"] = json::object{{"published", integrations::published_snapshot(
                                              json::object{{"name", name}, {"description", "people sync"}}, 1,
                                              "2030-01-01T00:00:00.000Z", nullptr)}};
    commit_to(*vendor_.org, {store::PutDocument{{"submission", key, "", std::move(b)}}});
  }
  auto all = ok(cust_, M::get, "/api/v1/catalog/integrations").as_array();
  ASSERT_EQ(all.size(), 3u);
  auto& e = all[0].as_object();
  EXPECT_EQ(e.at("id").as_string(), "acme_sync");
  EXPECT_EQ(e.at("name").as_string(), "Acme Sync");
  EXPECT_EQ(e.at("logo").as_string(), logo_);
  EXPECT_EQ(e.at("configGuideUrl").as_string(), "https://acme.example/guide");
  EXPECT_EQ(json::serialize(e.at("scopes")), R"([{"scope":"okta.users.read","reason":"read users"}])");
  EXPECT_EQ(e.at("version").as_int64(), 1);
  EXPECT_EQ(e.at("vendor").as_string(), "Org acme");
  // q: a case-insensitive substring of the name or the description.
  auto q = [&](std::string s) { return ok(cust_, M::get, "/api/v1/catalog/integrations?q=" + s).as_array(); };
  EXPECT_EQ(q("ACME").size(), 1u);
  EXPECT_EQ(q("people%20SYNC").size(), 2u);
  EXPECT_EQ(q("crm").size(), 1u);
  EXPECT_EQ(q("nothing").size(), 0u);
  // Paging: limit=1 follows next links through every entry once, in key order.
  std::vector<std::string> seen;
  std::string path = "/api/v1/catalog/integrations?limit=1";
  for (int i = 0; i < 5 && !path.empty(); ++i) {
    auto r = call(cust_, M::get, path);
    ASSERT_EQ(r.status, 200);
    auto page = json::parse(r.body);
    for (auto& x : page.as_array()) seen.emplace_back(x.at("id").as_string());
    auto link = link_of(r);
    path.clear();
    if (!link.empty()) {
      auto start = link.find(cust_.org->url()) + cust_.org->url().size();
      path = link.substr(start, link.find('>') - start);
    }
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"acme_sync", "beta_hr", "zeta_crm"}));
  // Unpublish hides it from the catalog; installs keep working unless revoked.
  EXPECT_EQ(call(op_, M::post, std::string(kQueue) + "/acme_sync/unpublish", R"({"revokeInstalls":"yes"})").status, 400);
  ok(op_, M::post, std::string(kQueue) + "/acme_sync/unpublish", R"({"revokeInstalls":false})");
  EXPECT_FALSE(directory_.published("acme_sync")->listed);
  EXPECT_FALSE(directory_.published("acme_sync")->revoked);
  EXPECT_EQ(call(cust_, M::get, "/api/v1/catalog/integrations/acme_sync").status, 404);
  EXPECT_EQ(ok(cust_, M::get, "/api/v1/catalog/integrations").as_array().size(), 2u);
  ok(op_, M::post, std::string(kQueue) + "/acme_sync/unpublish", R"({"revokeInstalls":true})");
  EXPECT_TRUE(directory_.published("acme_sync")->revoked);
  EXPECT_EQ(ok(cust_, M::get, "/api/v1/catalog/integrations/beta_hr").at("name").as_string(), "Beta HR");
  // Never published: nothing to unpublish.
  commit_to(*vendor_.org, {store::PutDocument{{"submission", "draft_x", "", {{"id", "draft_x"}, {"status", "DRAFT"}}}}});
  EXPECT_EQ(call(op_, M::post, std::string(kQueue) + "/draft_x/unpublish").status, 400);
}

TEST_F(IntegrationReviewTest, CatalogNeedsOauthIntegrationsRead) {
  auto read_only = with_role(cust_, "READ_ONLY_ADMIN");
  auto help_desk = with_role(cust_, "HELP_DESK_ADMIN");
  EXPECT_EQ(call(read_only, M::get, "/api/v1/catalog/integrations").status, 200);
  EXPECT_EQ(call(help_desk, M::get, "/api/v1/catalog/integrations").status, 403);
}

TEST_F(IntegrationReviewTest, EveryReviewStepIsAnEventInBothOrgs) {
  submit();
  ok(op_, M::post, std::string(kQueue) + "/acme_sync/reject", R"({"comment":"no"})");
  ok(vendor_, M::post, "/integrations/api/v1/submissions/acme_sync/submit", "", 202);
  ok(op_, M::post, std::string(kQueue) + "/acme_sync/approve");
  ok(op_, M::post, std::string(kQueue) + "/acme_sync/unpublish", R"({"revokeInstalls":true})");
  constexpr std::string_view kAll = "since=2000-01-01T00:00:00Z&until=2100-01-01T00:00:00Z&limit=1000";
  for (auto* who : {&vendor_, &op_}) {
    auto evs = ok(*who, M::get, "/api/v1/logs?" + std::string(kAll)).as_array();
    std::vector<std::string> types;
    for (auto& e : evs)
      if (e.at("eventType").as_string().starts_with("oin.submission.")) types.emplace_back(e.at("eventType").as_string());
    std::vector<std::string> want{"oin.submission.reject", "oin.submission.approve", "oin.submission.unpublish"};
    if (who == &vendor_)
      want = {"oin.submission.create", "oin.submission.submit", "oin.submission.reject", "oin.submission.submit",
              "oin.submission.approve", "oin.submission.unpublish"};
    EXPECT_EQ(types, want);
    for (auto& e : evs) {
      if (e.at("eventType").as_string() != "oin.submission.approve") continue;
      EXPECT_EQ(e.at("actor").at("id").as_string(), op_admin_);  // the operator, in both orgs
      auto targets = json::serialize(e.at("target"));
      EXPECT_NE(targets.find("acme_sync"), std::string::npos);
      EXPECT_NE(targets.find(vendor_.org->id().str()), std::string::npos);
      EXPECT_EQ(json::serialize(e.at("debugContext").at("debugData").at("scopes")), R"(["okta.users.read"])");
    }
  }
}

TEST_F(IntegrationReviewTest, TheOperatorsOwnOrgCanBeTheVendor) {
  // The first org's request already holds its lock: the review must not take it again, and the
  // event is written once.
  commit_to(*op_.org, {store::PutDocument{{"integration_logo", "fsown", "", {{"contentType", "image/png"}}}}});
  auto body = body_of("Own", kUsersRead, op_.org->url() + "/integrations/logos/fsown");
  ok(op_, M::post, "/integrations/api/v1/submissions", body, 201);
  ok(op_, M::post, "/integrations/api/v1/submissions/acme_sync/submit", "", 202);
  auto v = ok(op_, M::post, std::string(kQueue) + "/acme_sync/approve");
  EXPECT_EQ(v.at("vendorOrg").at("id").as_string(), op_.org->id().str());
  EXPECT_EQ(directory_.published("acme_sync")->vendor_org, op_.org->id());
  ok(op_, M::post, std::string(kQueue) + "/acme_sync/unpublish");
  auto evs = ok(op_, M::get, "/api/v1/logs?since=2000-01-01T00:00:00Z&until=2100-01-01T00:00:00Z&limit=1000").as_array();
  int approvals = 0;
  for (auto& e : evs) approvals += e.at("eventType").as_string() == "oin.submission.approve";
  EXPECT_EQ(approvals, 1);
}

TEST(IntegrationScopeDiff, AgainstThePublishedCopy) {
  using integrations::scope_diff;
  domain::PublishedIntegration p;
  p.scopes = {{"okta.users.read", "r"}, {"okta.groups.read", "g"}};
  auto working = json::parse(R"({"apiService":{"scopes":[{"scope":"okta.apps.read"},{"scope":"okta.users.read"}]}})").as_object();
  auto d = scope_diff(working, &p);
  EXPECT_EQ(d.added, std::vector<std::string>{"okta.apps.read"});
  EXPECT_EQ(d.removed, std::vector<std::string>{"okta.groups.read"});
  EXPECT_EQ(d.unchanged, std::vector<std::string>{"okta.users.read"});
  auto first = scope_diff(working, nullptr);  // never published: everything is added
  EXPECT_EQ(first.added.size(), 2u);
  EXPECT_TRUE(first.removed.empty());
  EXPECT_TRUE(integrations::is_valid_comment("line\nline"));
  EXPECT_FALSE(integrations::is_valid_comment(std::string("a\0b", 3)));
  EXPECT_FALSE(integrations::is_valid_comment(""));
  EXPECT_TRUE(integrations::is_valid_comment(std::string(2048, 'x')));
  EXPECT_FALSE(integrations::is_valid_comment(std::string(2049, 'x')));
}

}  // namespace
}  // namespace gh::api
