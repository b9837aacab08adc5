// The System Log through the management API in process (issue #4): the events each change
// records, paging with since/until/after in both orders, polling, permissions, same-transaction
// atomicity, queued events (first use, rate limits) and API token expiry.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <functional>

#include "api/common/management_api.hpp"
#include "api/common/respond.hpp"
#include "api/tokens/expiry.hpp"
#include "testing/org_fixture.hpp"

namespace gh::api {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using M = http::Method;

constexpr std::string_view kAll = "since=2000-01-01T00:00:00Z&until=2100-01-01T00:00:00Z&limit=1000";

std::string app_json(std::string_view method) {
  return R"({"label":"svc","name":"oidc_client","signOnMode":"OPENID_CONNECT",)"
         R"("credentials":{"oauthClient":{"token_endpoint_auth_method":")" +
         std::string(method) +
         R"("}},"settings":{"oauthClient":{"application_type":"service","grant_types":["client_credentials"],)"
         R"("response_types":["token"]}}})";
}

class SystemLogTest : public testing::OrgFixture {
 protected:
  SystemLogTest() : OrgFixture(13) {
    deps_.events = &queue_;
    auto o = add_org("");
    org_ = o.org;
    token_ = o.token;
    admin_id_ = o.admin_id;
    api_ = make_management_api();
    call(M::get, "/api/v1/groups");  // the admin token's first use, out of the way
    EXPECT_TRUE(queue_.flush(*store_));
  }

  http::Response call(M m, std::string path, std::string body = "", std::string token = "") {
    return send(*api_, *org_, m, std::move(path), std::move(body), token.empty() ? token_ : token);
  }
  json::object object(M m, std::string path, std::string body = "", int want = 200) {
    auto r = call(m, std::move(path), std::move(body));
    EXPECT_EQ(r.status, want) << r.body;
    auto v = json::parse(r.body);
    return v.is_object() ? v.as_object() : json::object{};
  }
  static std::string id_of(const json::object& o) { return std::string(o.at("id").as_string()); }

  // Every event of the org so far (queued ones written first), oldest first.
  json::array events(std::string query = std::string(kAll)) {
    EXPECT_TRUE(queue_.flush(*store_));
    auto r = call(M::get, "/api/v1/logs?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).as_array();
  }
  static std::vector<std::string> types(const json::array& evs, std::size_t from = 0) {
    std::vector<std::string> out;
    for (std::size_t i = from; i < evs.size(); ++i) out.emplace_back(evs[i].at("eventType").as_string());
    return out;
  }
  // The events `act` records.
  json::array recorded(const std::function<void()>& act) {
    auto before = events().size();
    act();
    auto all = events();
    json::array out;
    for (std::size_t i = before; i < all.size(); ++i) out.push_back(all[i]);
    return out;
  }
  std::vector<std::string> recorded_types(const std::function<void()>& act) { return types(recorded(act)); }
  static std::vector<std::string> target_types(const json::value& ev) {
    std::vector<std::string> out;
    for (auto& t : ev.at("target").as_array()) out.emplace_back(t.at("type").as_string());
    return out;
  }
  static std::string link(const http::Response& r, std::string_view rel) {
    for (auto& [k, v] : r.headers)
      if (k == "Link" && v.find("rel=\"" + std::string(rel) + "\"") != std::string::npos)
        return v.substr(1, v.find('>') - 1);
    return "";
  }
  // GET of an absolute Link URL of this org.
  http::Response follow(const std::string& url) { return call(M::get, url.substr(std::string("http://gh.test").size())); }

  store::EventQueue queue_;
  model::OrgModel* org_ = nullptr;
  std::unique_ptr<ManagementApi> api_;
  std::string token_, admin_id_;
};

TEST_F(SystemLogTest, UserLifecycleEvents) {
  using V = std::vector<std::string>;
  std::string uid;
  auto ev = recorded([&] {
    uid = id_of(object(M::post, "/api/v1/users?activate=true",
                       R"({"profile":{"login":"u@x.io","email":"u@x.io","firstName":"U","lastName":"Ser"},)"
                       R"("credentials":{"password":{"value":"Passw0rd!x"}}})"));
  });
  EXPECT_EQ(types(ev), (V{"user.lifecycle.create", "user.lifecycle.activate"}));
  auto& create = ev[0].as_object();
  EXPECT_EQ(create.at("actor").at("id"), json::value(admin_id_));
  EXPECT_EQ(create.at("actor").at("type"), "User");
  EXPECT_EQ(create.at("target").as_array()[0].at("id"), json::value(uid));
  EXPECT_EQ(create.at("target").as_array()[0].at("type"), "User");  // okta-compat.md §11.18
  EXPECT_EQ(create.at("target").as_array()[0].at("alternateId"), "u@x.io");
  EXPECT_EQ(create.at("transaction").at("id"), "rid");
  EXPECT_EQ(create.at("transaction").at("detail").at("requestApiTokenId"), json::value(org_->tokens().begin()->first));
  EXPECT_EQ(create.at("outcome").at("result"), "SUCCESS");
  EXPECT_EQ(create.at("debugContext").at("debugData").at("requestUri"), "/api/v1/users");

  auto base = "/api/v1/users/" + uid;
  EXPECT_EQ(recorded_types([&] { object(M::post, base, R"({"profile":{"nickName":"x"}})"); }), V{"user.account.update_profile"});
  EXPECT_EQ(recorded_types([&] { object(M::post, base, R"({"credentials":{"password":{"value":"An0ther!pass"}}})"); }),
            V{"user.account.update_password"});
  for (auto [op, type] : {std::pair{"suspend", "user.lifecycle.suspend"}, {"unsuspend", "user.lifecycle.unsuspend"},
                          {"deactivate", "user.lifecycle.deactivate"}, {"activate", "user.lifecycle.activate"}}) {
    SCOPED_TRACE(op);
    // clang 14 cannot capture a structured binding in a lambda (C++20 P1091): `path` is a copy.
    auto path = base + "/lifecycle/" + op;
    EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::post, path).status, 200); }), V{type});
  }
  // A refused transition changes nothing and records nothing.
  EXPECT_TRUE(recorded_types([&] { EXPECT_EQ(call(M::post, base + "/lifecycle/unsuspend").status, 400); }).empty());
  EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::delete_, base).status, 204); }), V{"user.lifecycle.deactivate"});
  EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::delete_, base).status, 204); }),
            (V{"user.lifecycle.delete.initiated", "user.lifecycle.delete.completed"}));
}

TEST_F(SystemLogTest, GroupMembershipAndPrivilegeEvents) {
  using V = std::vector<std::string>;
  auto uid = id_of(object(M::post, "/api/v1/users?activate=false",
                          R"({"profile":{"login":"m@x.io","email":"m@x.io","firstName":"M","lastName":"E"}})"));
  std::string gid;
  EXPECT_EQ(recorded_types([&] { gid = id_of(object(M::post, "/api/v1/groups", R"({"profile":{"name":"eng"}})")); }),
            V{"group.lifecycle.create"});
  EXPECT_EQ(recorded_types([&] { object(M::put, "/api/v1/groups/" + gid, R"({"profile":{"name":"eng2"}})"); }),
            V{"group.profile.update"});
  auto member = "/api/v1/groups/" + gid + "/users/" + uid;
  auto add = recorded([&] { EXPECT_EQ(call(M::put, member).status, 204); });
  ASSERT_EQ(types(add), V{"group.user_membership.add"});
  EXPECT_EQ(target_types(add[0]), (V{"User", "UserGroup"}));
  EXPECT_TRUE(recorded_types([&] { EXPECT_EQ(call(M::put, member).status, 204); }).empty());  // §11.12: no change
  EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::delete_, member).status, 204); }), V{"group.user_membership.remove"});
  EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::delete_, "/api/v1/groups/" + gid).status, 204); }),
            V{"group.lifecycle.delete"});

  std::string ra;
  auto grant = recorded([&] { ra = id_of(object(M::post, "/api/v1/users/" + uid + "/roles", R"({"type":"READ_ONLY_ADMIN"})", 201)); });
  ASSERT_EQ(types(grant), V{"user.account.privilege.grant"});
  EXPECT_EQ(grant[0].at("debugContext").at("debugData").at("privilegeGranted"), json::value(domain::role_label("READ_ONLY_ADMIN")));
  EXPECT_EQ(target_types(grant[0]), V{"User"});
  EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::delete_, "/api/v1/users/" + uid + "/roles/" + ra).status, 204); }),
            V{"user.account.privilege.revoke"});
}

TEST_F(SystemLogTest, ApiTokenEventsNeverHoldTheToken) {
  using V = std::vector<std::string>;
  std::string id, value;
  auto created = recorded([&] {
    auto o = object(M::post, "/api/v1/api-tokens", R"({"name":"ci"})", 201);
    id = id_of(o);
    value = std::string(o.at("token").as_string());
  });
  ASSERT_EQ(types(created), V{"system.api_token.create"});
  EXPECT_EQ(target_types(created[0]), (V{"Token", "User"}));
  EXPECT_EQ(created[0].at("target").as_array()[0].at("id"), json::value(id));
  EXPECT_EQ(recorded_types([&] { object(M::put, "/api/v1/api-tokens/" + id, R"({"name":"ci2"})"); }), V{"system.api_token.update"});
  // Its first use is queued (no write on the request path) and recorded once.
  auto used = recorded([&] {
    EXPECT_EQ(call(M::get, "/api/v1/groups", "", value).status, 200);
    EXPECT_EQ(call(M::get, "/api/v1/groups", "", value).status, 200);
  });
  ASSERT_EQ(types(used), V{"system.api_token.first_used"});
  EXPECT_EQ(used[0].at("transaction").at("detail").at("requestApiTokenId"), json::value(id));
  EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::delete_, "/api/v1/api-tokens/" + id).status, 204); }),
            V{"system.api_token.revoke"});
  auto all = json::serialize(events());
  EXPECT_EQ(all.find(value), std::string::npos);
  EXPECT_EQ(all.find(value.substr(8, 20)), std::string::npos);  // nor a part of it
}

TEST_F(SystemLogTest, AppCredentialGrantAndClientRoleEvents) {
  using V = std::vector<std::string>;
  std::string cid, secret;
  auto created = recorded([&] {
    auto o = object(M::post, "/api/v1/apps", app_json("client_secret_basic"));
    cid = id_of(o);
    secret = std::string(o.at("credentials").at("oauthClient").at("client_secret").as_string());
  });
  EXPECT_EQ(types(created),
            (V{"application.lifecycle.create", "application.lifecycle.activate", "app.oauth2.credentials.lifecycle.create"}));
  EXPECT_EQ(target_types(created[2]), (V{"AppInstance", "ClientSecret"}));
  auto base = "/api/v1/apps/" + cid;
  std::string sid;
  EXPECT_EQ(recorded_types([&] { sid = id_of(object(M::post, base + "/credentials/secrets", "", 201)); }),
            V{"app.oauth2.credentials.lifecycle.create"});
  EXPECT_EQ(recorded_types([&] { object(M::post, base + "/credentials/secrets/" + sid + "/lifecycle/deactivate"); }),
            V{"app.oauth2.credentials.lifecycle.deactivate"});
  EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::delete_, base + "/credentials/secrets/" + sid).status, 204); }),
            V{"app.oauth2.credentials.lifecycle.delete"});
  std::string gid;
  auto granted = recorded([&] {
    gid = id_of(object(M::post, base + "/grants", R"({"issuer":"http://gh.test","scopeId":"okta.users.read"})", 201));
  });
  ASSERT_EQ(types(granted), V{"app.oauth2.admin.consent.grant"});
  EXPECT_EQ(granted[0].at("debugContext").at("debugData").at("scope"), "okta.users.read");
  EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::delete_, base + "/grants/" + gid).status, 204); }),
            V{"app.oauth2.admin.consent.revoke"});
  EXPECT_EQ(recorded_types([&] { object(M::post, "/oauth2/v1/clients/" + cid + "/roles", R"({"type":"READ_ONLY_ADMIN"})"); }),
            V{"app.oauth2.client.privilege.grant"});
  EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::post, base + "/lifecycle/deactivate").status, 200); }),
            V{"application.lifecycle.deactivate"});
  EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::delete_, base).status, 204); }),
            (V{"application.lifecycle.delete", "app.oauth2.client.privilege.revoke"}));
  auto all = json::serialize(events());
  EXPECT_EQ(all.find(secret), std::string::npos);
  EXPECT_EQ(all.find(secret.substr(0, 16)), std::string::npos);
}

TEST_F(SystemLogTest, AuthorizationServerPolicyAndKeyEvents) {
  using V = std::vector<std::string>;
  const std::string servers = "/api/v1/authorizationServers";
  std::string as;
  // Its system scopes and signing keys are part of the server's creation.
  EXPECT_EQ(recorded_types([&] { as = id_of(object(M::post, servers, R"({"name":"orders","audiences":["api://orders"]})", 201)); }),
            V{"oauth2.as.created"});
  auto base = servers + "/" + as;
  auto rotated = recorded([&] { object(M::post, base + "/credentials/lifecycle/keyRotate", R"({"use":"sig"})"); });
  ASSERT_EQ(types(rotated), V{"app.oauth2.as.key.rollover"});
  EXPECT_EQ(target_types(rotated[0]), V{"AuthorizationServer"});
  EXPECT_EQ(recorded_types([&] { object(M::put, base, R"({"name":"orders2","audiences":["api://o2"],"description":"d"})"); }),
            V{"oauth2.as.updated"});
  EXPECT_EQ(recorded_types([&] { object(M::post, base + "/scopes", R"({"name":"orders.read"})", 201); }), V{"oauth2.scope.created"});
  EXPECT_EQ(recorded_types([&] {
              object(M::post, base + "/claims",
                     R"({"name":"tenant","claimType":"RESOURCE","valueType":"EXPRESSION","value":"\"acme\""})", 201);
            }),
            V{"oauth2.claim.created"});
  std::string pid, rid;
  EXPECT_EQ(recorded_types([&] {
              pid = id_of(object(M::post, base + "/policies", R"({"name":"P","conditions":{"clients":{"include":["ALL_CLIENTS"]}}})", 201));
            }),
            V{"policy.lifecycle.create"});
  auto rules = base + "/policies/" + pid + "/rules";
  EXPECT_EQ(recorded_types([&] {
              rid = id_of(object(M::post, rules,
                                 R"({"name":"R","conditions":{"grantTypes":{"include":["client_credentials"]},"scopes":{"include":["orders.read"]}}})",
                                 201));
            }),
            V{"policy.rule.add"});
  EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::post, rules + "/" + rid + "/lifecycle/deactivate").status, 204); }),
            V{"policy.rule.deactivate"});
  EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::post, base + "/policies/" + pid + "/lifecycle/deactivate").status, 204); }),
            V{"policy.lifecycle.deactivate"});
  EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::post, base + "/lifecycle/deactivate").status, 204); }), V{"oauth2.as.deactivated"});
  // Deleting the server deletes its policies and rules with it: one event.
  EXPECT_EQ(recorded_types([&] { EXPECT_EQ(call(M::delete_, base).status, 204); }), V{"oauth2.as.deleted"});
}

TEST_F(SystemLogTest, AFailedChangeRecordsNothing) {
  // A group named "dup" that the store has and the model has not yet (a concurrent write): the
  // API's check passes, the commit fails on the unique name, and its event goes with it.
  domain::Group g;
  g.id = "00gDUP";
  g.profile = {{"name", "dup"}};
  ASSERT_TRUE(store_->commit(org_->id(), {store::PutGroup{g}}));
  auto r = recorded([&] { EXPECT_EQ(call(M::post, "/api/v1/groups", R"({"profile":{"name":"dup"}})").status, 400); });
  for (auto& e : r) EXPECT_NE(e.at("eventType"), "group.lifecycle.create");
}

TEST_F(SystemLogTest, BoundedQueriesPageThroughSinceUntilAndAfterInBothOrders) {
  for (int i = 0; i < 25; ++i) {
    clock_.advance(1s);
    object(M::post, "/api/v1/groups", R"({"profile":{"name":"g)" + std::to_string(i) + R"("}})");
  }
  auto t0 = iso(now() - 20'000), t1 = iso(now() - 5'000);  // g4 … g18 were published in [t0, t1)
  auto walk = [&](std::string order) {
    std::vector<std::string> names;
    auto r = call(M::get, "/api/v1/logs?since=" + t0 + "&until=" + t1 + "&limit=4&sortOrder=" + order +
                              "&filter=eventType%20eq%20%22group.lifecycle.create%22");
    for (int pages = 0; pages < 10; ++pages) {
      EXPECT_EQ(r.status, 200) << r.body;
      auto page = json::parse(r.body).as_array();
      EXPECT_LE(page.size(), 4u);
      for (auto& e : page) names.emplace_back(e.at("target").as_array()[0].at("displayName").as_string());
      auto next = link(r, "next");
      if (next.empty()) break;
      EXPECT_NE(link(r, "self"), next);
      r = follow(next);
    }
    return names;
  };
  std::vector<std::string> asc, desc;
  for (int i = 4; i < 19; ++i) asc.push_back("g" + std::to_string(i));
  desc.assign(asc.rbegin(), asc.rend());
  EXPECT_EQ(walk("ASCENDING"), asc);
  EXPECT_EQ(walk("DESCENDING"), desc);
  // A bounded query without more events has no next link (okta-compat.md §2).
  auto r = call(M::get, "/api/v1/logs?since=" + t0 + "&until=" + t1 + "&limit=1000");
  EXPECT_EQ(link(r, "next"), "");
  EXPECT_EQ(link(r, "self").rfind("http://gh.test/api/v1/logs?", 0), 0u);  // absolute
}

TEST_F(SystemLogTest, PollingAlwaysLinksNextAndSeesLaterBatches) {
  events();
  auto r = call(M::get, "/api/v1/logs?limit=2");
  ASSERT_EQ(r.status, 200);
  // Drain what is there, then the link keeps polling: empty pages still have a next link.
  std::string next = link(r, "next");
  for (int i = 0; i < 10 && json::parse(r.body).as_array().size() == 2; ++i) {
    r = follow(next);
    next = link(r, "next");
  }
  ASSERT_FALSE(next.empty());
  auto empty = follow(next);
  EXPECT_EQ(empty.body, "[]");
  ASSERT_FALSE(link(empty, "next").empty());
  // A change, and then a queued event published earlier but written later: both appear, in the
  // order they became visible.
  auto earlier = now();
  clock_.advance(5s);
  object(M::post, "/api/v1/groups", R"({"profile":{"name":"later"}})");
  domain::LogEvent queued;
  queued.uuid = "queued-1";
  queued.published = earlier;
  queued.event_type = "app.oauth2.token.grant.access_token";
  queue_.push(org_->org().id, queued);
  ASSERT_TRUE(queue_.flush(*store_));
  auto polled = follow(link(empty, "next"));
  auto got = json::parse(polled.body).as_array();
  ASSERT_EQ(got.size(), 2u) << polled.body;
  EXPECT_EQ(got[0].at("eventType"), "group.lifecycle.create");
  EXPECT_EQ(got[1].at("uuid"), "queued-1");
  EXPECT_FALSE(link(polled, "next").empty());
}

TEST_F(SystemLogTest, ARareFilterResumesLongScansAndNeverServesAnEmptyPageWithNext) {
  store::EventBatch batch;
  for (int i = 0; i < 12'000; ++i) {
    domain::LogEvent e;
    e.uuid = "n" + std::to_string(i);
    e.published = now() + i;
    e.event_type = (i == 50 || i == 11'500) ? "x.signal" : "x.noise";
    batch.add(org_->org().id, e);
  }
  ASSERT_TRUE(store_->append_events(batch));
  std::vector<std::string> found;
  std::size_t pages = 0;
  auto r = call(M::get, "/api/v1/logs?since=2000-01-01T00:00:00Z&until=2100-01-01T00:00:00Z&limit=5&filter=" +
                            http::percent_encode(R"(eventType eq "x.signal")"));
  for (; pages < 10; ++pages) {
    ASSERT_EQ(r.status, 200) << r.body;
    auto page = json::parse(r.body).as_array();
    auto next = link(r, "next");
    EXPECT_FALSE(page.empty() && !next.empty()) << "an empty page with a next link";
    for (auto& e : page) found.emplace_back(e.at("uuid").as_string());
    if (next.empty()) break;
    r = follow(next);
  }
  EXPECT_EQ(found, (std::vector<std::string>{"n50", "n11500"}));
  EXPECT_EQ(pages, 1u);  // the first page stopped after its scan budget, the second finished
}

TEST_F(SystemLogTest, FiltersKeywordsAndBadParameters) {
  object(M::post, "/api/v1/groups", R"({"profile":{"name":"Payroll"}})");
  object(M::post, "/api/v1/groups", R"({"profile":{"name":"Sales"}})");
  auto by_filter = events(std::string(kAll) + "&filter=" + http::percent_encode(R"(eventType eq "group.lifecycle.create" and target.displayName sw "pay")"));
  ASSERT_EQ(by_filter.size(), 1u);
  auto by_q = events(std::string(kAll) + "&q=sales");
  ASSERT_EQ(by_q.size(), 1u);
  EXPECT_EQ(by_q[0].at("target").as_array()[0].at("displayName"), "Sales");
  for (auto [query, code] : {std::pair{"since=last%20week", "E0000001"}, {"until=2030-02-30T00:00:00Z", "E0000001"},
                             {"limit=5000", "E0000001"}, {"sortOrder=SIDEWAYS", "E0000001"},
                             {"filter=eventType%20eq%20", "E0000031"}, {"filter=eventType%20eq%20%22x%22%20or%201=1", "E0000031"},
                             {"after=nonsense", "E0000001"}}) {
    SCOPED_TRACE(query);
    auto r = call(M::get, std::string("/api/v1/logs?") + query);
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find(code), std::string::npos) << r.body;
  }
}

TEST_F(SystemLogTest, ReadingTheLogNeedsTheLogsReadPermission) {
  auto uid = id_of(object(M::post, "/api/v1/users?activate=true",
                          R"({"profile":{"login":"r@x.io","email":"r@x.io","firstName":"R","lastName":"O"},)"
                          R"("credentials":{"password":{"value":"Passw0rd!x"}}})"));
  ASSERT_EQ(call(M::post, "/api/v1/users/" + uid + "/roles", R"({"type":"GROUP_MEMBERSHIP_ADMIN"})").status, 201);
  auto tok = object(M::post, "/api/v1/api-tokens", R"({"name":"gm","userId":")" + uid + "\"}", 201);
  std::string value(tok.at("token").as_string());
  EXPECT_EQ(call(M::get, "/api/v1/logs", "", value).status, 403);
  ASSERT_TRUE(domain::permissions_of_role("READ_ONLY_ADMIN").allows({domain::Resource::logs, domain::Action::read}));
  ASSERT_EQ(call(M::post, "/api/v1/users/" + uid + "/roles", R"({"type":"READ_ONLY_ADMIN"})").status, 201);
  EXPECT_EQ(call(M::get, "/api/v1/logs", "", value).status, 200);
}

TEST_F(SystemLogTest, RateLimitViolationsAreQueuedOncePerMinute) {
  deps_.limits.per_minute = {1200, 2, 1200, 1200, 1200};  // groups: 2 per minute
  api_ = make_management_api();
  events();
  auto ev = recorded([&] {
    for (int i = 0; i < 5; ++i) call(M::get, "/api/v1/groups");
  });
  ASSERT_EQ(types(ev), std::vector<std::string>{"system.org.rate_limit.violation"});
  EXPECT_EQ(ev[0].at("severity"), "WARN");
  EXPECT_EQ(ev[0].at("debugContext").at("debugData").at("rateLimitFamily"), "groups");
  EXPECT_EQ(ev[0].at("actor").at("id"), json::value(admin_id_));
}

TEST_F(SystemLogTest, IdleApiTokensExpireOnceWithAnEvent) {
  auto tok = object(M::post, "/api/v1/api-tokens", R"({"name":"idle"})", 201);
  auto id = id_of(tok);
  clock_.advance(29 * 24h);
  call(M::get, "/api/v1/groups");  // the admin's own token stays in use
  EXPECT_EQ(*expire_idle_tokens(deps_, *org_), 0u);
  clock_.advance(2 * 24h);
  call(M::get, "/api/v1/groups");
  auto ev = recorded([&] { EXPECT_EQ(*expire_idle_tokens(deps_, *org_), 1u); });
  ASSERT_EQ(types(ev), std::vector<std::string>{"system.api_token.expire"});
  EXPECT_EQ(ev[0].at("target").as_array()[0].at("id"), json::value(id));
  EXPECT_EQ(ev[0].at("actor").at("type"), "SystemPrincipal");
  EXPECT_EQ(ev[0].at("transaction").at("type"), "JOB");
  EXPECT_EQ(call(M::get, "/api/v1/api-tokens/" + id).status, 404);
  EXPECT_EQ(*expire_idle_tokens(deps_, *org_), 0u);
}

}  // namespace
}  // namespace gh::api
