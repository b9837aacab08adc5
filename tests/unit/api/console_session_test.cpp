// The admin console's sessions (issue 17): sign-in with argon2id passwords, the idle and absolute
// timeouts (FakeClock), the cookie's attributes over http and https, CSRF on unsafe methods of
// the management API, throttling of failed sign-ins, and their System Log events.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/session/endpoint.hpp"
#include "console/static_site.hpp"
#include "crypto/password.hpp"
#include "server/org_reload.hpp"
#include "testing/org_fixture.hpp"

namespace gh::api {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using M = http::Method;

constexpr std::string_view kAll = "since=2000-01-01T00:00:00Z&until=2100-01-01T00:00:00Z&limit=1000";
constexpr std::string_view kPassword = "correct horse battery staple";

TEST(SessionCookie, HttpsAddsSecureAndTheHostPrefix) {
  auto http = session::set_cookie(false, "", "v", 8h);
  EXPECT_EQ(http, "gh_console=v; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict");
  auto https = session::set_cookie(true, "", "v", 8h);
  EXPECT_EQ(https, "__Host-gh_console=v; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict; Secure");
  EXPECT_EQ(session::cookie_name(true, "acme"), "__Host-gh_console_acme");
  EXPECT_NE(session::clear_cookie(true, "").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(session::cookie_value("a=1; gh_console=xyz; b=2", "gh_console"), "xyz");
  EXPECT_EQ(session::cookie_value("gh_console_acme=1", "gh_console"), "");
}

TEST(ConsoleSite, ServesIndexForRoutesAndCachesHashedAssets) {
  auto site = console::StaticSite::from_files(
      {{"index.html", R"(<script src="./assets/index-abc.js">)"}, {"assets/index-abc.js", "js"}});
  http::Request req;
  req.method = M::get;
  auto route = site.serve(req, "tokens", "/o/acme/admin/");
  EXPECT_EQ(route.status, 200);
  EXPECT_EQ(route.body, R"(<script src="/o/acme/admin/assets/index-abc.js">)");
  auto header = [](const http::Response& r, std::string_view n) {
    for (auto& [k, v] : r.headers)
      if (k == n) return v;
    return std::string();
  };
  EXPECT_EQ(header(route, "Cache-Control"), "no-cache");
  EXPECT_NE(header(route, "Content-Security-Policy").find("script-src 'self';"), std::string::npos);
  EXPECT_EQ(header(route, "X-Frame-Options"), "DENY");
  auto js = site.serve(req, "assets/index-abc.js", "/admin/");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(header(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header(js, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(site.serve(req, "assets/gone.js", "/admin/").status, 404);
  req.method = M::post;
  EXPECT_EQ(site.serve(req, "", "/admin/").status, 405);
}

class ConsoleSessionTest : public testing::OrgFixture {
 protected:
  ConsoleSessionTest() : OrgFixture(17) {
    deps_.events = &queue_;
    auto o = add_org("");
    org_ = o.org;
    token_ = o.token;
    admin_id_ = o.admin_id;
    deps_.sessions = &sessions_;
    api_ = make_management_api();
    // The admin's password, and a user without an admin role who has one too.
    auto admin = org_->user(core::UserId{admin_id_})->user;
    admin.password_hash = crypto::hash_password(kPassword);
    auto plain = admin;
    plain.id = "00uplain";
    plain.profile["login"] = "plain@x.io";
    plain.profile["email"] = "plain@x.io";
    commit_to(*org_, {store::PutUser{admin}, store::PutUser{plain}});
  }

  http::Response session_call(M m, std::string body = "", std::string cookie = "", std::string csrf = "",
                              std::string addr = "10.0.0.1") {
    http::Request req;
    req.method = m;
    req.path = std::string(session::kPath);
    body_ = std::move(body);
    req.body = body_;
    cookie_h_ = std::move(cookie);
    csrf_h_ = std::move(csrf);
    if (!body_.empty()) req.headers.emplace_back("Content-Type", "application/json");
    if (!cookie_h_.empty()) req.headers.emplace_back("Cookie", cookie_h_);
    if (!csrf_h_.empty()) req.headers.emplace_back("X-CSRF-Token", csrf_h_);
    req.remote_addr = std::move(addr);
    req.request_id = "rid";
    return endpoint_.handle(req, *org_);
  }
  static std::string login_body(std::string_view login, std::string_view pw) {
    return json::serialize(json::object{{"login", login}, {"password", pw}});
  }
  static std::string header(const http::Response& r, std::string_view n) {
    for (auto& [k, v] : r.headers)
      if (k == n) return v;
    return {};
  }
  struct SignedIn {
    std::string cookie, csrf;
  };
  SignedIn sign_in() {
    auto r = session_call(M::post, login_body("admin@x.io", kPassword));
    EXPECT_EQ(r.status, 200) << r.body;
    auto set = header(r, "Set-Cookie");
    return {set.substr(0, set.find(';')), std::string(json::parse(r.body).at("csrfToken").as_string())};
  }
  // A management API call authenticated by the cookie only.
  http::Response api_call(M m, std::string path, std::string body, const SignedIn& s, bool with_csrf) {
    http::Request req;
    req.method = m;
    req.path = std::move(path);
    body_ = std::move(body);
    req.body = body_;
    if (!body_.empty()) req.headers.emplace_back("Content-Type", "application/json");
    req.headers.emplace_back("Cookie", s.cookie);
    if (with_csrf) req.headers.emplace_back("X-CSRF-Token", s.csrf);
    req.request_id = "rid";
    return api_->handle(req, *org_, req.path);
  }
  json::array events() {
    EXPECT_TRUE(queue_.flush(*store_));
    auto r = send(*api_, *org_, M::get, "/api/v1/logs?" + std::string(kAll), "", token_);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).as_array();
  }

  store::EventQueue queue_;
  session::SessionStore sessions_{pepper_, random_, clock_, {.failures_per_account = 3, .failures_per_address = 5}};
  session::Endpoint endpoint_{deps_, sessions_};
  model::OrgModel* org_ = nullptr;
  std::unique_ptr<ManagementApi> api_;
  std::string token_, admin_id_, cookie_h_, csrf_h_;
};

// The session rules (SessionStore): a session is a document of its org, so these run on the
// org's model; a second SessionStore over the same model is another node (or a restarted one).
class SessionRules : public ConsoleSessionTest {
 protected:
  std::string begin(session::SessionStore& st, model::OrgModel* org = nullptr) {
    org = org ? org : org_;
    auto s = st.start(org->org().id, admin_id_);
    commit_to(*org, {s.record});
    return std::string(s.id.reveal());
  }
  bool touch(session::SessionStore& st, std::string_view id, bool background = false, model::OrgModel* org = nullptr) {
    org = org ? org : org_;
    std::shared_lock lk(org->mutex());
    return st.touch(*org, id, background).has_value();
  }
  store::ChangeSet housekeeping(session::SessionStore& st) {
    store::ChangeSet cs;
    {
      std::shared_lock lk(org_->mutex());
      cs = st.housekeeping(*org_);
    }
    if (!cs.empty()) commit_to(*org_, cs);
    return cs;
  }
  std::size_t stored(std::string_view kind) {
    std::size_t n = 0;
    auto snap = store_->load_org(org_->id());
    EXPECT_TRUE(snap);
    if (snap)
      for (auto& d : snap->documents) n += d.kind == kind;
    return n;
  }
};

TEST_F(SessionRules, IdleTimeoutEndsAnUnusedSessionAndUseSlidesIt) {
  session::SessionStore store(pepper_, random_, clock_, {.idle = 15min, .absolute = 8h});
  auto id = begin(store);
  EXPECT_GE(id.size(), 22u);  // ≥ 128 random bits, base64url
  clock_.advance(14min);
  EXPECT_TRUE(touch(store, id));
  clock_.advance(14min);  // 28 min after sign-in, 14 after the last use
  EXPECT_TRUE(touch(store, id));
  clock_.advance(15min);
  EXPECT_FALSE(touch(store, id));
  EXPECT_EQ(stored(domain::kind::console_session), 1u);
  housekeeping(store);  // the expired session is deleted from the store, not only refused
  EXPECT_EQ(stored(domain::kind::console_session), 0u);
  EXPECT_EQ(stored(domain::kind::console_session_seen), 0u);
  EXPECT_EQ(store.size(), 0u);
}

TEST_F(SessionRules, TheStoreKeepsOnlyTheMacOfTheId) {
  session::SessionStore store(pepper_, random_, clock_, {});
  auto id = begin(store);
  auto snap = store_->load_org(org_->id());
  ASSERT_TRUE(snap);
  std::string all;
  for (auto& d : snap->documents) all += d.id + json::serialize(d.body);
  EXPECT_NE(all.find("csrf"), std::string::npos);
  EXPECT_EQ(all.find(id), std::string::npos);  // the cookie's value is nowhere in the store
}

TEST_F(SessionRules, BackgroundPollsDoNotKeepAnUnattendedSessionAlive) {
  session::SessionStore store(pepper_, random_, clock_, {.idle = 15min, .absolute = 8h});
  auto id = begin(store);
  for (int i = 0; i < 7; ++i) {
    clock_.advance(2min);
    EXPECT_TRUE(touch(store, id, /*background=*/true));
  }
  clock_.advance(2min);  // 16 min since the last request a person made
  EXPECT_FALSE(touch(store, id, true));
}

TEST_F(SessionRules, AbsoluteTimeoutEndsASessionInUse) {
  session::SessionStore store(pepper_, random_, clock_, {.idle = 15min, .absolute = 1h});
  auto id = begin(store);
  for (int i = 0; i < 5; ++i) {
    clock_.advance(10min);
    EXPECT_TRUE(touch(store, id));
    housekeeping(store);  // flushing the idle clock does not extend the absolute one
  }
  clock_.advance(10min);  // 60 min after sign-in
  EXPECT_FALSE(touch(store, id));
}

TEST_F(SessionRules, ASessionBelongsToItsOrgAndEndsOnce) {
  session::SessionStore store(pepper_, random_, clock_, {});
  auto other = add_org("other", "admin@y.io");
  auto a = store.start(org_->org().id, admin_id_);
  auto b = store.start(org_->org().id, admin_id_);
  commit_to(*org_, {a.record, b.record});
  EXPECT_NE(a.id.reveal(), b.id.reveal());
  EXPECT_NE(a.session.csrf, b.session.csrf);
  EXPECT_FALSE(touch(store, a.id.reveal(), false, other.org));  // another org's path
  EXPECT_FALSE(touch(store, "forged"));
  commit_to(*org_, {store.end(a.id.reveal())});
  EXPECT_FALSE(touch(store, a.id.reveal()));
  EXPECT_TRUE(touch(store, b.id.reveal()));
  EXPECT_TRUE(session::csrf_matches(b.session, b.session.csrf));
  EXPECT_FALSE(session::csrf_matches(b.session, a.session.csrf));
  EXPECT_FALSE(session::csrf_matches(b.session, ""));
}

TEST_F(SessionRules, AnotherNodeSeesTheSessionAndARecentLastSeen) {
  session::SessionStore node_a(pepper_, random_, clock_, {.idle = 15min, .seen_flush = 1min});
  session::SessionStore node_b(pepper_, random_, clock_, {.idle = 15min, .seen_flush = 1min});
  auto id = begin(node_a);
  EXPECT_TRUE(touch(node_b, id));  // the record, not node A's memory
  clock_.advance(30s);
  EXPECT_TRUE(touch(node_a, id, /*background=*/false));
  EXPECT_TRUE(housekeeping(node_a).empty());  // within seen_flush of what is stored: no write
  clock_.advance(40s);
  EXPECT_TRUE(touch(node_a, id));  // 70 s after sign-in
  EXPECT_EQ(housekeeping(node_a).size(), 1u);
  EXPECT_EQ(stored(domain::kind::console_session_seen), 1u);
  // Node B never saw a request: 15 min after sign-in it still knows the session was used at +70 s.
  clock_.advance(15min - 70s + 10s);
  session::SessionStore restarted(pepper_, random_, clock_, {});
  EXPECT_TRUE(touch(restarted, id, true));
  clock_.advance(70s);
  EXPECT_FALSE(touch(node_b, id, true));
}

TEST_F(SessionRules, ADeactivatedUsersSessionsAndOrphanedLastSeenRecordsAreDeleted) {
  session::SessionStore store(pepper_, random_, clock_, {});
  auto id = begin(store);
  // A last-seen written by a node that had not heard the session ended leaves an orphan.
  commit_to(*org_, {store::PutDocument{{std::string(domain::kind::console_session_seen), "gone", "gone",
                                        json::object{{"lastSeen", now()}}}}});
  auto user = org_->user(core::UserId{admin_id_})->user;
  user.status = domain::UserStatus::DEPROVISIONED;
  commit_to(*org_, {store::PutUser{user}});
  auto cs = housekeeping(store);
  EXPECT_EQ(cs.size(), 2u);
  EXPECT_EQ(stored(domain::kind::console_session), 0u);
  EXPECT_EQ(stored(domain::kind::console_session_seen), 0u);
  EXPECT_FALSE(touch(store, id));
}

TEST_F(SessionRules, AnotherNodesReloadAddsAndEndsSessions) {
  // What the change feed applies on node B (server::changes_to): a session started and one
  // ended elsewhere, including the last one of the org.
  session::SessionStore store(pepper_, random_, clock_, {});
  auto s = store.start(org_->org().id, admin_id_);
  ASSERT_TRUE(store_->commit(org_->id(), {s.record}));  // committed by another node
  EXPECT_FALSE(touch(store, s.id.reveal()));
  auto diff = server::changes_to(*org_, *store_->load_org(org_->id()));
  { std::unique_lock lk(org_->mutex()); org_->apply(diff); }
  EXPECT_TRUE(touch(store, s.id.reveal()));
  ASSERT_TRUE(store_->commit(org_->id(), {store.end(s.id.reveal())}));  // signed out elsewhere
  diff = server::changes_to(*org_, *store_->load_org(org_->id()));
  ASSERT_FALSE(diff.empty());
  { std::unique_lock lk(org_->mutex()); org_->apply(diff); }
  EXPECT_FALSE(touch(store, s.id.reveal()));
}

TEST_F(ConsoleSessionTest, AnAdminSignsInSeesWhoSheIsAndSignsOut) {
  auto s = sign_in();
  EXPECT_TRUE(s.cookie.starts_with("gh_console="));
  auto me = session_call(M::get, "", s.cookie);
  ASSERT_EQ(me.status, 200) << me.body;
  auto o = json::parse(me.body).as_object();
  EXPECT_EQ(o.at("user").at("login").as_string(), "admin@x.io");
  EXPECT_EQ(o.at("csrfToken").as_string(), s.csrf);
  EXPECT_NE(json::serialize(o.at("permissions")).find("\"apiTokens.manage\""), std::string::npos);
  EXPECT_EQ(header(me, "Cache-Control"), "no-store");
  EXPECT_EQ(session_call(M::delete_, "", s.cookie).status, 403);  // sign-out is unsafe: CSRF
  auto out = session_call(M::delete_, "", s.cookie, s.csrf);
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(header(out, "Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(session_call(M::get, "", s.cookie).status, 401);
  EXPECT_EQ(api_call(M::get, "/api/v1/groups", "", s, false).status, 401);
}

TEST_F(ConsoleSessionTest, SignInRecordsLastLoginAndWhoAmISaysOperator) {
  EXPECT_EQ(org_->user(core::UserId{admin_id_})->user.last_login, 0);
  clock_.advance(std::chrono::minutes(5));
  auto s = sign_in();
  EXPECT_EQ(org_->user(core::UserId{admin_id_})->user.last_login, core::epoch_ms(clock_.now()));
  auto r = send(*api_, *org_, M::get, "/api/v1/users/" + admin_id_, "", token_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(json::parse(r.body).at("lastLogin").is_string());
  // A SUPER_ADMIN of the first org is the server's operator (issue 15's review queue).
  auto me = json::parse(session_call(M::get, "", s.cookie).body).as_object();
  EXPECT_TRUE(me.at("superAdmin").as_bool());
  EXPECT_TRUE(me.at("operator").as_bool());
}

TEST_F(ConsoleSessionTest, SigningInAgainGivesANewIdAndEndsThePreviousSession) {
  auto first = sign_in();
  auto again = session_call(M::post, login_body("admin@x.io", kPassword), first.cookie);
  ASSERT_EQ(again.status, 200);
  auto set = header(again, "Set-Cookie");
  EXPECT_NE(set.substr(0, set.find(';')), first.cookie);
  EXPECT_EQ(session_call(M::get, "", first.cookie).status, 401);
  EXPECT_EQ(session_call(M::get, "", set.substr(0, set.find(';'))).status, 200);
}

TEST_F(ConsoleSessionTest, RefusalsDoNotSayWhetherTheLoginExists) {
  auto wrong = session_call(M::post, login_body("admin@x.io", "nope"));
  auto unknown = session_call(M::post, login_body("nobody@x.io", "nope"));
  auto not_admin = session_call(M::post, login_body("plain@x.io", kPassword));
  for (auto* r : {&wrong, &unknown, &not_admin}) {
    EXPECT_EQ(r->status, 401);
    EXPECT_NE(r->body.find("\"E0000004\""), std::string::npos);
    EXPECT_EQ(header(*r, "Set-Cookie"), "");
  }
  EXPECT_EQ(session_call(M::post, R"({"login":"admin@x.io"})").status, 400);
}

TEST_F(ConsoleSessionTest, OverHttpsTheCookieIsSecureAndHostPrefixed) {
  deps_.base_url = "https://gh.test";
  auto r = session_call(M::post, login_body("admin@x.io", kPassword));
  ASSERT_EQ(r.status, 200) << r.body;
  auto set = header(r, "Set-Cookie");
  EXPECT_TRUE(set.starts_with("__Host-gh_console=")) << set;
  EXPECT_NE(set.find("; Secure"), std::string::npos);
  EXPECT_NE(set.find("; HttpOnly; SameSite=Strict"), std::string::npos);
  EXPECT_EQ(set.find("Domain="), std::string::npos);
  auto value = set.substr(set.find('=') + 1, set.find(';') - set.find('=') - 1);
  EXPECT_EQ(session_call(M::get, "", "__Host-gh_console=" + value).status, 200);
  EXPECT_EQ(session_call(M::get, "", "gh_console=" + value).status, 401);  // the http name is not read
}

TEST_F(ConsoleSessionTest, SignInTakesJsonOnly) {
  http::Request req;
  req.method = M::post;
  req.path = std::string(session::kPath);
  std::string body = login_body("admin@x.io", kPassword);
  req.body = body;
  req.headers.emplace_back("Content-Type", "text/plain");  // what a cross-site form may send
  EXPECT_EQ(endpoint_.handle(req, *org_).status, 415);
}

TEST_F(ConsoleSessionTest, TheCookieCarriesTheUsersPermissionsAndUnsafeMethodsNeedTheCsrfToken) {
  auto s = sign_in();
  EXPECT_EQ(api_call(M::get, "/api/v1/groups", "", s, false).status, 200);
  auto refused = api_call(M::post, "/api/v1/groups", R"({"profile":{"name":"g"}})", s, false);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("E0000006"), std::string::npos);
  auto wrong = s;
  wrong.csrf = std::string(s.csrf.size(), 'A');
  EXPECT_EQ(api_call(M::post, "/api/v1/groups", R"({"profile":{"name":"g"}})", wrong, true).status, 403);
  EXPECT_EQ(api_call(M::post, "/api/v1/groups", R"({"profile":{"name":"g"}})", s, true).status, 200);
  // Its events name the user, with the session's credential type.
  auto all = json::serialize(events());
  EXPECT_NE(all.find("OKTA_CLIENT_SESSION"), std::string::npos);
  // Losing the admin role ends what the cookie may do at once.
  std::vector<store::Change> cs;
  for (auto* r : org_->roles_of(domain::PrincipalType::USER, admin_id_)) cs.push_back(store::DeleteRole{r->id});
  commit_to(*org_, cs);
  EXPECT_EQ(api_call(M::get, "/api/v1/groups", "", s, false).status, 401);
}

TEST_F(ConsoleSessionTest, ThePollHeaderLeavesTheIdleClockAlone) {
  auto s = sign_in();
  auto poll = [&] {
    http::Request req;
    req.method = M::get;
    req.path = "/api/v1/groups";
    req.headers = {{"Cookie", s.cookie}, {session::kBackgroundHeader, "1"}};
    return api_->handle(req, *org_, req.path).status;
  };
  clock_.advance(10min);
  EXPECT_EQ(poll(), 200);
  clock_.advance(6min);  // 16 min after the last request that was not a poll
  EXPECT_EQ(poll(), 401);
}

TEST_F(ConsoleSessionTest, AnAuthorizationHeaderWinsOverTheCookie) {
  auto s = sign_in();
  http::Request req;
  req.method = M::post;
  req.path = "/api/v1/groups";
  std::string body = R"({"profile":{"name":"h"}})", auth = "SSWS " + token_;
  req.body = body;
  req.headers = {{"Content-Type", "application/json"}, {"Cookie", s.cookie}, {"Authorization", auth}};
  EXPECT_EQ(api_->handle(req, *org_, req.path).status, 200);  // SSWS: no CSRF token needed
}

TEST_F(ConsoleSessionTest, FailedSignInsAreThrottledPerAccountThenPerAddress) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(session_call(M::post, login_body("admin@x.io", "bad")).status, 401);
  // The account's bucket is empty: even the right password is not checked now.
  auto r = session_call(M::post, login_body("admin@x.io", kPassword));
  EXPECT_EQ(r.status, 429);
  EXPECT_NE(r.body.find("E0000047"), std::string::npos);
  clock_.advance(15min);  // refilled
  EXPECT_EQ(session_call(M::post, login_body("admin@x.io", kPassword)).status, 200);
  // Per address: many logins from one address.
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(session_call(M::post, login_body("u" + std::to_string(i) + "@x.io", "bad"), "", "", "10.9.9.9").status, 401);
  EXPECT_EQ(session_call(M::post, login_body("admin@x.io", kPassword), "", "", "10.9.9.9").status, 429);
  EXPECT_EQ(session_call(M::post, login_body("admin@x.io", kPassword), "", "", "10.0.0.2").status, 200);
}

TEST_F(ConsoleSessionTest, SignInsAndOutsAreSystemLogEventsWithoutThePassword) {
  session_call(M::post, login_body("admin@x.io", "wrong-guess-123"));
  auto s = sign_in();
  session_call(M::delete_, "", s.cookie, s.csrf);
  auto evs = events();
  std::vector<std::string> seen;
  for (auto& e : evs) {
    auto t = std::string(e.at("eventType").as_string());
    if (t.starts_with("user.session."))
      seen.push_back(t + ":" + std::string(e.at("outcome").at("result").as_string()));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"user.session.start:FAILURE", "user.session.start:SUCCESS",
                                            "user.session.end:SUCCESS"}));
  auto all = json::serialize(evs);
  EXPECT_EQ(all.find("wrong-guess-123"), std::string::npos);
  EXPECT_EQ(all.find(std::string(kPassword)), std::string::npos);
  EXPECT_NE(all.find("INVALID_CREDENTIALS"), std::string::npos);
}

}  // namespace
}  // namespace gh::api
