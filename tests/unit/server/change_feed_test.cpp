// The change feed of many nodes (issue 18): the notice's payload, the reconnect backoff, the
// difference a reload applies to a model, and NOTIFY/LISTEN against a real PostgreSQL.
#include "server/change_feed.hpp"

#include <gtest/gtest.h>

#include <mutex>

#include "store/postgres/pg_store.hpp"
#include "testing/pg_cluster.hpp"

namespace gh::server {
namespace {
using namespace std::chrono_literals;
using store::ChangeNotice;
using store::parse_change_payload;

TEST(ChangePayload, RoundTripsAndRefusesWhatIsNotOne) {
  EXPECT_EQ(store::change_payload("00o1abc", "n0DE"), "00o1abc n0DE");
  EXPECT_EQ(parse_change_payload("00o1abc n0DE"), (ChangeNotice{"00o1abc", "n0DE"}));
  EXPECT_EQ(parse_change_payload("00o_1-x cli"), (ChangeNotice{"00o_1-x", "cli"}));
  for (std::string_view bad : {"", "00o1", "00o1 ", " n0", "00o1 n 0", "00o1  n0", "0'o1 n0", "00o1 n0\n",
                               "00o1\tn0"})
    EXPECT_FALSE(parse_change_payload(bad)) << bad;
  EXPECT_FALSE(parse_change_payload(std::string(65, 'a') + " n0"));  // ids are short
  EXPECT_TRUE(parse_change_payload(std::string(64, 'a') + " n0"));
}

TEST(Backoff, DoublesUpToItsCapAndStartsOverAfterReset) {
  Backoff b(100ms, 1s);
  std::vector<long> got;
  for (int i = 0; i < 6; ++i) got.push_back(static_cast<long>(b.next().count()));
  EXPECT_EQ(got, (std::vector<long>{100, 200, 400, 800, 1000, 1000}));
  b.reset();
  EXPECT_EQ(b.next(), 100ms);
}

class NullRenderer final : public model::Renderer {
 public:
  std::string render_user(std::string_view, const domain::User&) const override { return "{}"; }
  std::string render_group(std::string_view, const domain::Group&) const override { return "{}"; }
};

domain::User user(std::string id, domain::UserStatus status = domain::UserStatus::ACTIVE) {
  domain::User u;
  u.id = id;
  u.status = status;
  u.profile = {{"login", id + "@x.io"}};
  return u;
}
domain::Group group(std::string id) {
  domain::Group g;
  g.id = id;
  g.profile = {{"name", id}};
  return g;
}
domain::ApiToken token(std::string id, std::string user_id, std::uint8_t mac) {
  domain::ApiToken t;
  t.id = id, t.user_id = user_id, t.name = id;
  t.mac.fill(mac);
  return t;
}
domain::Document doc(std::string_view kind, std::string id, std::string parent, boost::json::object body = {}) {
  return {std::string(kind), std::move(id), std::move(parent), std::move(body)};
}

store::OrgSnapshot before() {
  store::OrgSnapshot s;
  s.org = {"00o1", "", "One", 1};
  s.users = {user("00u1"), user("00u2")};
  s.groups = {group("00g1")};
  s.members = {{"00g1", "00u1"}, {"00g1", "00u2"}};
  s.roles = {{"ra1", domain::PrincipalType::USER, "00u1", "SUPER_ADMIN", 1, 1}};
  s.api_tokens = {token("00T1", "00u1", 1), token("00T2", "00u1", 2)};
  s.documents = {doc(domain::kind::app, "0oa1", "", {{"label", "a"}}),
                 doc(domain::kind::client_secret, "sec1", "0oa1"), doc(domain::kind::submission, "acme_sync", "")};
  return s;
}

TEST(OrgReload, TheDifferenceMakesTheModelWhatTheStoreHolds) {
  NullRenderer r;
  model::Directory dir;
  auto& live = dir.add(std::make_unique<model::OrgModel>(before(), "http://x", r));
  ASSERT_EQ(dir.integration_owner("acme_sync"), core::OrgId{"00o1"});
  {
    std::shared_lock lk(live.mutex());
    EXPECT_TRUE(changes_to(live, before()).empty()) << "nothing changed, nothing to apply";
  }
  // Another node: deactivated 00u1, deleted 00u2, added 00u3 to the group, removed the role,
  // revoked 00T2 and made 00T3, changed the app, deleted its secret, rotated in a key, and
  // deleted the submission.
  store::OrgSnapshot after = before();
  after.users = {user("00u1", domain::UserStatus::DEPROVISIONED), user("00u3")};
  after.members = {{"00g1", "00u1"}, {"00g1", "00u3"}};
  after.roles = {};
  after.api_tokens = {token("00T1", "00u1", 1), token("00T3", "00u3", 3)};
  after.documents = {doc(domain::kind::app, "0oa1", "", {{"label", "b"}}),
                     doc(domain::kind::signing_key, "kid2", "default", {{"status", "ACTIVE"}})};
  auto version = live.version();
  {
    store::ChangeSet changes;
    {
      std::shared_lock lk(live.mutex());
      changes = changes_to(live, after);
    }
    std::unique_lock lk(live.mutex());
    live.apply(changes);
  }
  std::shared_lock lk(live.mutex());
  EXPECT_GT(live.version(), version);
  EXPECT_TRUE(changes_to(live, after).empty());
  EXPECT_EQ(live.user(core::UserId{"00u1"})->user.status, domain::UserStatus::DEPROVISIONED);
  EXPECT_FALSE(live.user(core::UserId{"00u2"}));
  ASSERT_TRUE(live.user(core::UserId{"00u3"}));
  EXPECT_EQ(live.group("00g1")->members, (std::set<std::string, std::less<>>{"00u1", "00u3"}));
  EXPECT_TRUE(live.roles().empty());
  crypto::Mac two, three;
  two.fill(2), three.fill(3);
  EXPECT_FALSE(live.token_by_mac(two)) << "a revoked token is refused";
  EXPECT_TRUE(live.token_by_mac(three));
  EXPECT_EQ(live.doc(domain::kind::app, "0oa1")->body.at("label"), "b");
  EXPECT_FALSE(live.doc(domain::kind::client_secret, "sec1"));
  EXPECT_TRUE(live.doc(domain::kind::signing_key, "kid2"));
  EXPECT_FALSE(dir.integration_owner("acme_sync")) << "the directory's index follows";
}

// What a ChangeListener hears: each commit and org creation of a PgStore, after it commits,
// with the committing node's id; nothing of a change set that failed.
TEST(ChangeListenerPg, HearsEachCommitWithItsNodeAndNothingOfAFailedOne) {
  testing::PgDatabase db;
  auto s = store::open_postgres_store(db.url(), "nodeA");
  store::ChangeListener listener(db.url());
  ASSERT_TRUE(listener.connect()) << listener.error();
  std::vector<ChangeNotice> got;
  auto hear = [&](std::size_t n) {
    for (int i = 0; i < 50 && got.size() < n; ++i) EXPECT_TRUE(listener.wait(100ms, got));
  };
  ASSERT_TRUE(s->create_org({"00o1", "", "One", 1}, {store::PutUser{user("00u1")}}));
  hear(1);
  ASSERT_EQ(got, (std::vector<ChangeNotice>{{"00o1", "nodeA"}}));
  // A duplicate login fails the change set: no notice.
  auto dup = user("00u2");
  dup.profile = {{"login", "00u1@x.io"}};
  EXPECT_FALSE(s->commit(core::OrgId{"00o1"}, {store::PutUser{dup}}));
  ASSERT_TRUE(s->commit(core::OrgId{"00o1"}, {store::PutGroup{group("00g1")}}));
  hear(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1], (ChangeNotice{"00o1", "nodeA"}));
  EXPECT_TRUE(listener.ping());
  // Its connection ended by the server: wait() says so, and connect() listens again.
  testing::PgDatabase::admin().exec(
      ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'gatehouse-listen' AND "
       "datname = '" + db.name() + "'").c_str());
  bool lost = false;
  for (int i = 0; i < 50 && !lost; ++i) lost = !listener.wait(100ms, got);
  EXPECT_TRUE(lost);
  EXPECT_FALSE(listener.connected());
  ASSERT_TRUE(listener.connect()) << listener.error();
  ASSERT_TRUE(s->commit(core::OrgId{"00o1"}, {store::PutGroup{group("00g2")}}));
  hear(3);
  EXPECT_EQ(got.size(), 3u);
}

}  // namespace
}  // namespace gh::server
