// API service integration instances, customer side (issue 15), through the management API in
// process over two orgs (a vendor and a customer): install and its refusals, instance secrets,
// what an instance's token may do at /api/v1 (scopes only, against the current published
// version), consent to new scopes, the vendor's test instance, uninstall and the System Log.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/common/respond.hpp"
#include "api/integrations/versions.hpp"
#include "jose/jws.hpp"
#include "keys/signing_keys.hpp"
#include "oauth/verify/integration_scopes.hpp"
#include "testing/org_fixture.hpp"

namespace gh::api {
namespace {
namespace json = boost::json;
using M = http::Method;

constexpr std::string_view kBase = "/integrations/api/v1/api-services";

class InstancesTest : public gh::testing::OrgFixture {
 protected:
  InstancesTest() : OrgFixture(15) {
    auto v = add_org("", "admin@vendor.io");
    vendor_ = v.org;
    vendor_token_ = v.token;
    auto c = add_org("customer", "admin@customer.io");
    customer_ = c.org;
    customer_token_ = c.token;
    api_ = make_management_api();
  }

  // A submission of `key` in the vendor org with `status`, declaring `scopes`, and — unless
  // `published` is empty — a published copy declaring `published` (h-15a's `_gh.published`).
  void submission(std::string key, std::string status, std::vector<std::string> scopes,
                  std::vector<std::string> published = {}, bool listed = true, bool revoked = false,
                  json::object scope_since = {}) {
    auto scope_array = [](const std::vector<std::string>& v) {
      json::array a;
      for (auto& s : v) a.push_back(json::object{{"scope", s}, {"reason", "because"}});
      return a;
    };
    json::object body{{"id", key},
                      {"name", "Acme " + key},
                      {"description", "d"},
                      {"logo", "http://gh.test/integrations/logos/L1"},
                      {"status", status},
                      {"apiService", json::object{{"scopes", scope_array(scopes)},
                                                  {"configGuideUrl", "https://acme.example/guide"}}}};
    json::object gh{{"version", 1}};
    if (!published.empty())
      gh["published"] = json::object{{"name", "Acme " + key},
                                     {"description", "d"},
                                     {"logo", "http://gh.test/integrations/logos/L1"},
                                     {"apiService", json::object{{"scopes", scope_array(published)},
                                                                 {"configGuideUrl", "https://acme.example/guide"}}},
                                     {"version", 1},
                                     {"listed", listed},
                                     {"revoked", revoked},
                                     {"scopeSince", std::move(scope_since)}};
    body["_gh"] = std::move(gh);
    commit_to(*vendor_, {store::PutDocument{{std::string(domain::kind::submission), key, "", body}}});
  }

  http::Response call(M m, std::string path, std::string body = "", model::OrgModel* org = nullptr,
                      const std::string* token = nullptr) {
    if (!org) org = customer_;
    if (!token) token = org == vendor_ ? &vendor_token_ : &customer_token_;
    return send(*api_, *org, m, std::move(path), std::move(body), *token, m == M::post);
  }
  // A call with `Authorization: Bearer token`.
  http::Response bearer(M m, std::string path, const std::string& token, model::OrgModel* org = nullptr) {
    http::Request req;
    req.method = m;
    req.path = path;
    auth_ = "Bearer " + token;
    req.headers.emplace_back("Authorization", auth_);
    req.request_id = "rid";
    return api_->handle(req, org ? *org : *customer_, req.path);
  }
  // An org AS access token for `client` with `scopes`, as the token endpoint would mint it.
  std::string mint(const std::string& client, std::vector<std::string> scopes, model::OrgModel* org = nullptr) {
    if (!org) org = customer_;
    json::array scp;
    for (auto& s : scopes) scp.push_back(json::string(s));
    auto now_s = now() / 1000;
    json::object c{{"ver", 1}, {"jti", "AT." + std::to_string(++jti_)}, {"iss", org->url()}, {"aud", org->url()},
                   {"iat", now_s}, {"exp", now_s + 3600}, {"cid", client}, {"scp", scp}, {"sub", client}};
    auto key = keyring_.active(*org, "");
    return *jose::sign(*key->alg(), *key, {{"kid", key->kid()}}, json::serialize(c));
  }

  static json::value parse(const http::Response& r) { return json::parse(r.body); }
  static std::vector<std::string> strings(const json::value& v) {
    std::vector<std::string> out;
    for (auto& s : v.as_array()) out.emplace_back(s.as_string());
    return out;
  }
  static void expect_cause(const http::Response& r, std::string_view text) {
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find("E0000001"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find(text), std::string::npos) << r.body;
  }
  // Installs `type` in the customer org; returns the 201 body.
  json::object install(std::string type, std::string scopes_json = "") {
    std::string body = R"({"type":")" + type + "\"" + (scopes_json.empty() ? "" : ",\"grantedScopes\":" + scopes_json) + "}";
    auto r = call(M::post, std::string(kBase), body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? parse(r).as_object() : json::object{};
  }

  model::OrgModel* vendor_ = nullptr;
  model::OrgModel* customer_ = nullptr;
  std::string vendor_token_, customer_token_;
  std::unique_ptr<ManagementApi> api_;
  int jti_ = 0;
};

TEST_F(InstancesTest, InstallRefusalsNameTheirCause) {
  submission("drafty", "DRAFT", {"okta.users.read"});
  submission("rejected", "REJECTED", {"okta.users.read"});
  submission("gone", "PUBLISHED", {"okta.users.read"}, {"okta.users.read"}, /*listed=*/false);
  submission("revoked", "PUBLISHED", {"okta.users.read"}, {"okta.users.read"}, true, /*revoked=*/true);
  submission("acme", "PUBLISHED", {"okta.users.read", "okta.groups.read"}, {"okta.users.read", "okta.groups.read"});
  struct Case {
    std::string body, cause;
  } cases[] = {
      {R"({})", "type: The field cannot be left blank"},
      {R"({"type":7})", "type: The field cannot be left blank"},
      {R"({"type":"nope"})", "No API service integration has the type nope"},
      {R"({"type":"drafty"})", "is DRAFT and has never been published"},
      {R"({"type":"rejected"})", "is REJECTED and has never been published"},
      {R"({"type":"gone"})", "was unpublished and takes no new installs"},
      {R"({"type":"revoked"})", "was revoked by the operator"},
      {R"({"type":"acme","grantedScopes":["okta.users.manage"]})", "does not declare the scope okta.users.manage"},
      {R"({"type":"acme","grantedScopes":["okta.users.read","okta.users.read"]})", "listed twice"},
      {R"({"type":"acme","grantedScopes":[]})", "non-empty array"},
      {R"({"type":"acme","grantedScopes":"okta.users.read"})", "non-empty array"},
      {R"({"type":"acme","grantedScopes":[1]})", "Must be a string"},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.body);
    expect_cause(call(M::post, std::string(kBase), c.body), c.cause);
  }
  // Nothing was written by any refusal.
  EXPECT_EQ(parse(call(M::get, std::string(kBase))).as_array().size(), 0u);
}

TEST_F(InstancesTest, InstallAnswersOktasShapeAndTheSecretOnce) {
  submission("acme", "PUBLISHED", {"okta.users.read", "okta.groups.read"}, {"okta.users.read", "okta.groups.read"});
  auto o = install("acme", R"(["okta.users.read"])");
  auto id = std::string(o.at("id").as_string());
  EXPECT_EQ(o.at("type"), "acme");
  EXPECT_EQ(o.at("name"), "Acme acme");
  EXPECT_EQ(o.at("configGuideUrl"), "https://acme.example/guide");
  EXPECT_EQ(strings(o.at("grantedScopes")), std::vector<std::string>{"okta.users.read"});
  EXPECT_EQ(strings(o.at("pendingScopes")), std::vector<std::string>{"okta.groups.read"});
  EXPECT_EQ(o.at("testInstance"), false);
  EXPECT_TRUE(o.at("clientSecret").is_string());
  EXPECT_FALSE(o.at("createdAt").as_string().empty());
  EXPECT_FALSE(o.at("createdBy").as_string().empty());
  auto& links = o.at("_links").as_object();
  EXPECT_EQ(links.at("self").at("href").as_string(), customer_->url() + std::string(kBase) + "/" + id);
  EXPECT_EQ(links.at("client").at("href").as_string(), customer_->url() + "/oauth2/v1/clients/" + id);
  EXPECT_EQ(links.at("logo").at("href"), "http://gh.test/integrations/logos/L1");  // an object here

  auto got = call(M::get, std::string(kBase) + "/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_FALSE(parse(got).as_object().contains("clientSecret"));
  auto list = call(M::get, std::string(kBase) + "?limit=1");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(parse(list).as_array().size(), 1u);
  // Not an ordinary app: /api/v1/apps neither lists nor serves it.
  EXPECT_EQ(call(M::get, "/api/v1/apps/" + id).status, 404);
  EXPECT_EQ(call(M::get, "/api/v1/apps/" + id + "/grants").status, 404);
  EXPECT_EQ(parse(call(M::get, "/api/v1/apps")).as_array().size(), 0u);
  // Another org does not see it.
  EXPECT_EQ(call(M::get, std::string(kBase) + "/" + id, "", vendor_).status, 404);
  EXPECT_EQ(call(M::delete_, std::string(kBase) + "/" + id, "", vendor_).status, 404);
  EXPECT_EQ(call(M::get, std::string(kBase) + "/" + id + "/credentials/secrets", "", vendor_).status, 404);
  EXPECT_EQ(parse(call(M::get, std::string(kBase), "", vendor_)).as_array().size(), 0u);
}

TEST_F(InstancesTest, ListPagesWithAfterAndLimit) {
  submission("acme", "PUBLISHED", {"okta.users.read"}, {"okta.users.read"});
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.insert(std::string(install("acme").at("id").as_string()));
  auto first = call(M::get, std::string(kBase) + "?limit=2");
  ASSERT_EQ(parse(first).as_array().size(), 2u);
  auto last = std::string(parse(first).as_array()[1].at("id").as_string());
  auto second = call(M::get, std::string(kBase) + "?limit=2&after=" + last);
  ASSERT_EQ(parse(second).as_array().size(), 1u);
  EXPECT_TRUE(ids.count(std::string(parse(second).as_array()[0].at("id").as_string())));
}

TEST_F(InstancesTest, SecretsTwoActiveAtMostAndNeverNone) {
  submission("acme", "PUBLISHED", {"okta.users.read"}, {"okta.users.read"});
  auto id = std::string(install("acme").at("id").as_string());
  auto secrets = std::string(kBase) + "/" + id + "/credentials/secrets";
  auto listed = parse(call(M::get, secrets));
  auto& list = listed.as_array();
  ASSERT_EQ(list.size(), 1u);
  auto first = std::string(list[0].at("id").as_string());
  EXPECT_NE(list[0].at("client_secret").as_string().find("\u2026"), std::string::npos);  // masked
  // The last ACTIVE one cannot be deactivated, nor an ACTIVE one deleted.
  expect_cause(call(M::post, secrets + "/" + first + "/lifecycle/deactivate"), "last ACTIVE client secret");
  expect_cause(call(M::delete_, secrets + "/" + first), "Only an INACTIVE client secret can be deleted");
  auto second = call(M::post, secrets);
  ASSERT_EQ(second.status, 201) << second.body;
  auto s2 = parse(second).as_object();
  EXPECT_EQ(s2.at("status"), "ACTIVE");
  EXPECT_EQ(s2.at("client_secret").as_string().find("\u2026"), std::string::npos);  // the value, once
  EXPECT_TRUE(s2.at("_links").as_object().contains("deactivate"));
  expect_cause(call(M::post, secrets), "at most two ACTIVE");  // a third
  auto off = call(M::post, secrets + "/" + first + "/lifecycle/deactivate");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(parse(off).at("status"), "INACTIVE");
  EXPECT_TRUE(parse(off).at("_links").as_object().contains("delete"));
  EXPECT_EQ(call(M::post, secrets).status, 201);  // two ACTIVE again (the second and a third)
  expect_cause(call(M::post, secrets + "/" + first + "/lifecycle/activate"), "at most two ACTIVE");
  EXPECT_EQ(call(M::delete_, secrets + "/" + first).status, 204);
  EXPECT_EQ(parse(call(M::get, secrets)).as_array().size(), 2u);
  EXPECT_EQ(call(M::get, secrets + "/nope").status, 404);
}

TEST_F(InstancesTest, InstanceTokenDoesExactlyWhatItsUsableScopesAllow) {
  submission("acme", "PUBLISHED", {"okta.users.read", "okta.groups.read"}, {"okta.users.read", "okta.groups.read"});
  auto id = std::string(install("acme", R"(["okta.users.read"])").at("id").as_string());
  // No admin role, yet users.read works: the scope alone decides.
  EXPECT_EQ(bearer(M::get, "/api/v1/users", mint(id, {"okta.users.read"})).status, 200);
  // A scope in the token but not consented (or not granted) is 403 insufficient_scope.
  EXPECT_EQ(bearer(M::get, "/api/v1/groups", mint(id, {"okta.users.read", "okta.groups.read"})).status, 403);
  EXPECT_EQ(bearer(M::get, "/api/v1/logs", mint(id, {"okta.logs.read"})).status, 403);
  // A client role given to it (through any back door) adds nothing.
  domain::RoleAssignment role{"irbINST", domain::PrincipalType::CLIENT, id, "SUPER_ADMIN"};
  commit_to(*customer_, {store::PutRole{role}});
  EXPECT_EQ(bearer(M::get, "/api/v1/groups", mint(id, {"okta.groups.read"})).status, 403);
}

TEST_F(InstancesTest, NewVersionDropsAtOnceAndAddsOnlyAfterConsent) {
  submission("acme", "PUBLISHED", {"okta.users.read", "okta.groups.read"}, {"okta.users.read", "okta.groups.read"});
  auto id = std::string(install("acme").at("id").as_string());
  auto token = mint(id, {"okta.users.read", "okta.groups.read", "okta.logs.read"});
  EXPECT_EQ(bearer(M::get, "/api/v1/groups", token).status, 200);
  // Version 2 drops groups.read and adds logs.read.
  submission("acme", "PUBLISHED", {"okta.users.read", "okta.logs.read"}, {"okta.users.read", "okta.logs.read"});
  EXPECT_EQ(bearer(M::get, "/api/v1/groups", token).status, 403);  // dropped: at once, same token
  EXPECT_EQ(bearer(M::get, "/api/v1/logs", token).status, 403);    // added: not consented yet
  EXPECT_EQ(bearer(M::get, "/api/v1/users", token).status, 200);   // kept: keeps working
  auto got = parse(call(M::get, std::string(kBase) + "/" + id));
  EXPECT_EQ(strings(got.at("grantedScopes")), std::vector<std::string>{"okta.users.read"});
  EXPECT_EQ(strings(got.at("pendingScopes")), std::vector<std::string>{"okta.logs.read"});

  auto consent = std::string(kBase) + "/" + id + "/lifecycle/consent";
  expect_cause(call(M::post, consent, R"({"grantedScopes":["okta.groups.read"]})"), "does not declare");
  auto ok = call(M::post, consent, R"({"grantedScopes":["okta.users.read","okta.logs.read"]})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(strings(parse(ok).at("grantedScopes")), (std::vector<std::string>{"okta.users.read", "okta.logs.read"}));
  EXPECT_TRUE(parse(ok).at("pendingScopes").as_array().empty());
  EXPECT_EQ(bearer(M::get, "/api/v1/logs", token).status, 200);
  // Consent is the whole set: leaving a scope out withdraws it.
  ASSERT_EQ(call(M::post, consent, R"({"grantedScopes":["okta.logs.read"]})").status, 200);
  EXPECT_EQ(bearer(M::get, "/api/v1/users", token).status, 403);
  EXPECT_EQ(call(M::post, std::string(kBase) + "/nope/lifecycle/consent", "{}").status, 404);
}

// A scope a version dropped and a later version declared again is an added scope: the grant made
// before the drop is not in force until the admin consents again (versions.cpp records since
// when each scope has been declared: `scopeSince`).
TEST_F(InstancesTest, AScopeDroppedAndDeclaredAgainNeedsConsentAgain) {
  submission("acme", "PUBLISHED", {"okta.users.read", "okta.groups.read"}, {"okta.users.read", "okta.groups.read"});
  auto id = std::string(install("acme").at("id").as_string());
  auto token = mint(id, {"okta.users.read", "okta.groups.read"});
  EXPECT_EQ(bearer(M::get, "/api/v1/groups", token).status, 200);
  // A later version declares groups.read again, after a version that dropped it.
  clock_.advance(std::chrono::seconds(10));
  json::object since{{"okta.groups.read", iso(now())}};
  clock_.advance(std::chrono::seconds(10));
  submission("acme", "PUBLISHED", {"okta.users.read", "okta.groups.read"}, {"okta.users.read", "okta.groups.read"},
             true, false, since);
  EXPECT_EQ(bearer(M::get, "/api/v1/groups", token).status, 403);  // the old grant is not in force
  EXPECT_EQ(bearer(M::get, "/api/v1/users", token).status, 200);
  auto got = parse(call(M::get, std::string(kBase) + "/" + id));
  EXPECT_EQ(strings(got.at("grantedScopes")), std::vector<std::string>{"okta.users.read"});
  EXPECT_EQ(strings(got.at("pendingScopes")), std::vector<std::string>{"okta.groups.read"});
  auto ok = call(M::post, std::string(kBase) + "/" + id + "/lifecycle/consent",
                 R"({"grantedScopes":["okta.users.read","okta.groups.read"]})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(parse(ok).at("pendingScopes").as_array().empty());
  EXPECT_EQ(bearer(M::get, "/api/v1/groups", token).status, 200);  // consent renewed the grant
}

TEST_F(InstancesTest, RevokedInstallsAndUninstallRefuseTokensOnTheNextCall) {
  submission("acme", "PUBLISHED", {"okta.users.read"}, {"okta.users.read"});
  auto a = std::string(install("acme").at("id").as_string());
  auto b = std::string(install("acme").at("id").as_string());
  auto ta = mint(a, {"okta.users.read"}), tb = mint(b, {"okta.users.read"});
  EXPECT_EQ(bearer(M::get, "/api/v1/users", ta).status, 200);
  ASSERT_EQ(call(M::delete_, std::string(kBase) + "/" + a).status, 204);
  EXPECT_EQ(bearer(M::get, "/api/v1/users", ta).status, 401);
  EXPECT_EQ(call(M::get, std::string(kBase) + "/" + a).status, 404);
  EXPECT_EQ(call(M::delete_, std::string(kBase) + "/" + a).status, 404);
  // Unpublished: existing installs keep working.
  submission("acme", "PUBLISHED", {"okta.users.read"}, {"okta.users.read"}, /*listed=*/false);
  EXPECT_EQ(bearer(M::get, "/api/v1/users", tb).status, 200);
  // Revoked by the operator: refused at once.
  submission("acme", "PUBLISHED", {"okta.users.read"}, {"okta.users.read"}, false, /*revoked=*/true);
  EXPECT_EQ(bearer(M::get, "/api/v1/users", tb).status, 401);
}

TEST_F(InstancesTest, TestInstanceSnapshotsTheDraftInTheVendorsOrg) {
  submission("acme", "DRAFT", {"okta.users.read", "okta.groups.read"});
  submission("empty", "DRAFT", {});
  auto path = [](std::string id) { return "/integrations/api/v1/submissions/" + id + "/test-instance"; };
  auto r = call(M::post, path("acme"), R"({"grantedScopes":["okta.users.read"]})", vendor_);
  ASSERT_EQ(r.status, 201) << r.body;
  auto o = parse(r).as_object();
  auto id = std::string(o.at("id").as_string());
  EXPECT_EQ(o.at("testInstance"), true);
  EXPECT_TRUE(o.at("clientSecret").is_string());
  EXPECT_EQ(strings(o.at("grantedScopes")), std::vector<std::string>{"okta.users.read"});
  EXPECT_EQ(strings(o.at("pendingScopes")), std::vector<std::string>{"okta.groups.read"});
  EXPECT_EQ(bearer(M::get, "/api/v1/users", mint(id, {"okta.users.read"}, vendor_), vendor_).status, 200);
  // The draft changes later: the test instance keeps its snapshot.
  submission("acme", "DRAFT", {"okta.groups.read"});
  EXPECT_EQ(bearer(M::get, "/api/v1/users", mint(id, {"okta.users.read"}, vendor_), vendor_).status, 200);
  EXPECT_EQ(parse(call(M::get, std::string(kBase) + "/" + id, "", vendor_)).at("testInstance"), true);
  expect_cause(call(M::post, path("empty"), "", vendor_), "at least one declared scope");
  EXPECT_EQ(call(M::post, path("acme"), "", customer_).status, 404);  // another org's submission
  EXPECT_EQ(call(M::post, path("nope"), "", vendor_).status, 404);
  // The customer org cannot install it: never published.
  expect_cause(call(M::post, std::string(kBase), R"({"type":"acme"})"), "never been published");
}

TEST_F(InstancesTest, EveryStepIsASystemLogEventWithoutSecrets) {
  submission("acme", "PUBLISHED", {"okta.users.read", "okta.groups.read"}, {"okta.users.read", "okta.groups.read"});
  auto o = install("acme", R"(["okta.users.read"])");
  auto id = std::string(o.at("id").as_string());
  auto secret = std::string(o.at("clientSecret").as_string());
  auto created = call(M::post, std::string(kBase) + "/" + id + "/credentials/secrets");
  auto secret2 = std::string(parse(created).at("client_secret").as_string());
  ASSERT_EQ(call(M::post, std::string(kBase) + "/" + id + "/lifecycle/consent", "{}").status, 200);
  ASSERT_EQ(call(M::delete_, std::string(kBase) + "/" + id).status, 204);
  auto logs = call(M::get, "/api/v1/logs?limit=1000");
  ASSERT_EQ(logs.status, 200);
  EXPECT_EQ(logs.body.find(secret), std::string::npos);
  EXPECT_EQ(logs.body.find(secret2), std::string::npos);
  std::map<std::string, json::object> by_type;
  auto events = parse(logs);
  for (auto& e : events.as_array()) by_type[std::string(e.at("eventType").as_string())] = e.as_object();
  for (auto type : {"oin.integration.install", "oin.integration.consent", "oin.integration.uninstall",
                    "app.oauth2.credentials.lifecycle.create"}) {
    SCOPED_TRACE(type);
    ASSERT_TRUE(by_type.count(type));
    auto& debug = by_type[type].at("debugContext").at("debugData").as_object();
    EXPECT_EQ(debug.at("vendorOrg").as_string(), vendor_->org().id);
    EXPECT_EQ(debug.at("integrationType"), "acme");
    EXPECT_EQ(debug.at("instanceId").as_string(), id);
    EXPECT_EQ(debug.at("testInstance"), false);
    EXPECT_FALSE(by_type[type].at("actor").at("id").as_string().empty());
  }
  auto& install_debug = by_type["oin.integration.install"].at("debugContext").at("debugData").as_object();
  EXPECT_EQ(strings(install_debug.at("grantedScopes")), std::vector<std::string>{"okta.users.read"});
  auto& consent_debug = by_type["oin.integration.consent"].at("debugContext").at("debugData").as_object();
  EXPECT_EQ(strings(consent_debug.at("scopesAdded")), std::vector<std::string>{"okta.groups.read"});
  // The generic app events are not written for an instance.
  EXPECT_FALSE(by_type.count("application.lifecycle.create"));
  EXPECT_FALSE(by_type.count("app.oauth2.admin.consent.grant"));
}

TEST(IntegrationScopes, UsableIsConsentedAndDeclaredNow) {
  domain::IntegrationInstance test{"acme", "00o1", true, {"okta.users.read"}};
  model::Directory dir;
  EXPECT_FALSE(oauth::instance_revoked(dir, test));  // a test instance needs no published version
  EXPECT_EQ(oauth::declared_scopes_now(dir, test), std::vector<std::string>{"okta.users.read"});
  domain::IntegrationInstance install{"acme", "00o1", false, {}};
  EXPECT_TRUE(oauth::instance_revoked(dir, install));  // nothing published under that key
  EXPECT_TRUE(oauth::declared_scopes_now(dir, install).empty());
}

}  // namespace
}  // namespace gh::api

namespace gh::api::integrations {
namespace {
// The approval's snapshot records since when each scope has been declared without a gap.
TEST(PublishedSnapshot, ScopeSinceCarriesOverOnlyWhileTheScopeStaysDeclared) {
  auto body = [](std::vector<std::string> scopes) {
    boost::json::array a;
    for (auto& s : scopes) a.push_back(boost::json::object{{"scope", s}, {"reason", "r"}});
    return boost::json::object{{"name", "N"}, {"apiService", boost::json::object{{"scopes", a}}}};
  };
  auto v1 = published_snapshot(body({"okta.users.read", "okta.groups.read"}), 1, "2030-01-01T00:00:00.000Z", nullptr);
  auto p1 = domain::parse_published(v1, "k", core::OrgId{"00o1"});
  ASSERT_TRUE(p1);
  EXPECT_EQ(p1->scope_since.at("okta.groups.read"), "2030-01-01T00:00:00.000Z");
  auto v2 = published_snapshot(body({"okta.users.read"}), 2, "2030-02-01T00:00:00.000Z", &*p1);
  auto p2 = domain::parse_published(v2, "k", core::OrgId{"00o1"});
  auto v3 = published_snapshot(body({"okta.users.read", "okta.groups.read"}), 3, "2030-03-01T00:00:00.000Z", &*p2);
  auto p3 = domain::parse_published(v3, "k", core::OrgId{"00o1"});
  ASSERT_TRUE(p3);
  EXPECT_EQ(p3->scope_since.at("okta.users.read"), "2030-01-01T00:00:00.000Z") << "declared throughout";
  EXPECT_EQ(p3->scope_since.at("okta.groups.read"), "2030-03-01T00:00:00.000Z") << "declared again in v3";
  EXPECT_TRUE(domain::grant_in_force(*p3, "okta.users.read", "2030-01-05T00:00:00.000Z"));
  EXPECT_FALSE(domain::grant_in_force(*p3, "okta.groups.read", "2030-01-05T00:00:00.000Z"));
  EXPECT_TRUE(domain::grant_in_force(*p3, "okta.groups.read", "2030-03-02T00:00:00.000Z"));
}
}  // namespace
}  // namespace gh::api::integrations
