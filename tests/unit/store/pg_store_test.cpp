// The Store contract on both backends (issue 18), and what only PostgreSQL has: a schema newer
// than the build, a lost connection, an unreachable server, passwords kept out of messages.
#include "store/postgres/pg_store.hpp"

#include <gtest/gtest.h>

#include "store/errc.hpp"
#include "store/schema.hpp"
#include "testing/store_backends.hpp"
#include "testing/users.hpp"

namespace gh::store {
namespace {

domain::User user(std::string id, std::string login) { return testing::active_user(std::move(id), login); }

domain::Group group(std::string id, std::string name) {
  domain::Group g;
  g.id = std::move(id);
  g.profile = {{"name", name}};
  return g;
}

class StoreContract : public ::testing::TestWithParam<const char*> {
 protected:
  testing::BackendStore backend_{GetParam()};
};
INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::ValuesIn(testing::kBackends));

TEST_P(StoreContract, ChangeSetsAreAllOrNothingScopedToTheirOrgAndDurable) {
  {
    auto s = backend_.open();
    ASSERT_TRUE(s->create_org({"00o1", "", "First", 1}, {PutUser{user("00u1", "a@x.io")}}));
    ASSERT_TRUE(s->create_org({"00o2", "acme", "Acme", 2}, {PutUser{user("00u1", "a@x.io")}}));
    // A duplicate login (case-insensitive) fails the change set, the group before it included.
    auto r = s->commit(core::OrgId{"00o1"}, {PutGroup{group("00g1", "eng")}, PutUser{user("00u2", "A@X.IO")}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), Errc::conflict);
    ASSERT_TRUE(s->commit(core::OrgId{"00o1"}, {PutGroup{group("00g1", "eng")}, AddMember{"00g1", "00u1"},
                                                AddMember{"00g1", "00u1"}}));  // twice: no conflict
    EXPECT_EQ(s->create_org({"00o3", "acme", "Other", 3}, {}).error(), Errc::conflict);  // same subdomain
    domain::Document d;
    d.kind = "app", d.id = "0oa1", d.body = {{"label", "x"}};
    domain::Document child = d;
    child.kind = "app_secret", child.id = "sec1", child.parent = "0oa1";
    ASSERT_TRUE(s->commit(core::OrgId{"00o2"}, {PutDocument{d}, PutDocument{child}}));
  }
  auto s = backend_.open();  // reopened: everything acknowledged is there
  auto orgs = s->list_orgs();
  ASSERT_TRUE(orgs);
  ASSERT_EQ(orgs->size(), 2u);
  EXPECT_EQ((*orgs)[0].id, "00o1");  // by created
  auto first = s->load_org(core::OrgId{"00o1"});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->users.size(), 1u);
  ASSERT_EQ(first->groups.size(), 1u);
  EXPECT_EQ(first->groups[0].profile.at("name").as_string(), "eng");
  EXPECT_EQ(first->members.size(), 1u);
  EXPECT_TRUE(first->documents.empty());  // org 2's documents are not org 1's
  auto second = s->load_org(core::OrgId{"00o2"});
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->groups.empty());  // org 1's group is not org 2's
  EXPECT_EQ(second->documents.size(), 2u);
  EXPECT_EQ(s->load_org(core::OrgId{"00o9"}).error(), Errc::not_found);
  // Deleting a document deletes its children; a user's deletion takes its memberships.
  ASSERT_TRUE(s->commit(core::OrgId{"00o2"}, {DeleteDocument{"app", "0oa1"}}));
  ASSERT_TRUE(s->commit(core::OrgId{"00o1"}, {DeleteUser{"00u1"}}));
  EXPECT_TRUE(s->load_org(core::OrgId{"00o2"})->documents.empty());
  auto after = s->load_org(core::OrgId{"00o1"});
  EXPECT_TRUE(after->users.empty());
  EXPECT_TRUE(after->members.empty());
  EXPECT_EQ(s->load_org(core::OrgId{"00o2"})->users.size(), 1u);  // the other org's 00u1 stays
}

TEST_P(StoreContract, TokensRoundTripRevokedOnesAreNotLoadedAndLastUseOnlyGrows) {
  auto s = backend_.open();
  domain::ApiToken a, b;
  a.id = "00T1", a.user_id = "00u1", a.name = "ci", a.hint = "abcd", a.last_used = 10;
  for (std::size_t i = 0; i < a.mac.size(); ++i) a.mac[i] = static_cast<std::uint8_t>(i * 37);  // 0x00 too
  b.id = "00T2", b.user_id = "00u1", b.mac[0] = 2, b.revoked = true;
  ASSERT_TRUE(s->create_org({"00o1", "", "First", 1}, {PutUser{user("00u1", "a@x.io")}, PutApiToken{a}, PutApiToken{b}}));
  ASSERT_TRUE(s->record_token_use({{core::OrgId{"00o1"}, "00T1", 500}, {core::OrgId{"00o2"}, "00T1", 900}}));
  ASSERT_TRUE(s->record_token_use({{core::OrgId{"00o1"}, "00T1", 400}}));  // older: kept at 500
  auto snap = s->load_org(core::OrgId{"00o1"});
  ASSERT_TRUE(snap);
  ASSERT_EQ(snap->api_tokens.size(), 1u);
  EXPECT_EQ(snap->api_tokens[0].id, "00T1");
  EXPECT_EQ(snap->api_tokens[0].name, "ci");
  EXPECT_EQ(snap->api_tokens[0].last_used, 500);  // the other org's row was not touched
  EXPECT_EQ(snap->api_tokens[0].mac, a.mac);
  // Deleting the user revokes its tokens.
  ASSERT_TRUE(s->commit(core::OrgId{"00o1"}, {DeleteUser{"00u1"}}));
  EXPECT_TRUE(s->load_org(core::OrgId{"00o1"})->api_tokens.empty());
}

class PgStoreTest : public ::testing::Test {
 protected:
  testing::PgDatabase db_;
};

TEST_F(PgStoreTest, ASchemaNewerThanTheBuildIsRefused) {
  EXPECT_EQ(migrate_postgres(db_.url()), 2);
  EXPECT_EQ(migrate_postgres(db_.url()), 2);  // idempotent
  pg::Conn c(db_.url());
  ASSERT_EQ(c.exec("INSERT INTO schema_version (version) VALUES (99)"), Errc::ok);
  EXPECT_THROW(open_postgres_store(db_.url()), SchemaTooNew);
  try {
    migrate_postgres(db_.url());
    FAIL() << "migrated a newer schema";
  } catch (const SchemaTooNew& e) {
    EXPECT_NE(std::string(e.what()).find("version 99"), std::string::npos) << e.what();
  }
}

TEST_F(PgStoreTest, ALostConnectionIsReopenedAndAnUnreachableServerIsUnavailable) {
  auto s = open_postgres_store(db_.url());
  ASSERT_TRUE(s->create_org({"00o1", "", "First", 1}, {}));
  auto& admin = testing::PgDatabase::admin();
  auto kill = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db_.name() + "'";
  ASSERT_EQ(admin.exec(kill.c_str()), Errc::ok);
  // The next write reconnects (BEGIN had not been sent: nothing to lose) and commits.
  ASSERT_TRUE(s->commit(core::OrgId{"00o1"}, {PutUser{user("00u1", "a@x.io")}}));
  EXPECT_EQ(s->load_org(core::OrgId{"00o1"})->users.size(), 1u);
  // The database refuses connections: every call is Errc::unavailable, none throws.
  ASSERT_EQ(admin.exec(("ALTER DATABASE " + db_.name() + " ALLOW_CONNECTIONS false").c_str()), Errc::ok);
  ASSERT_EQ(admin.exec(kill.c_str()), Errc::ok);
  auto r = s->commit(core::OrgId{"00o1"}, {PutUser{user("00u2", "b@x.io")}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), Errc::unavailable);
  EXPECT_EQ(s->query_events(core::OrgId{"00o1"}, {}).error(), Errc::unavailable);
  EXPECT_EQ(s->list_orgs().error(), Errc::unavailable);
  // Back: the store recovers without a restart, and the refused write was not half-written.
  ASSERT_EQ(admin.exec(("ALTER DATABASE " + db_.name() + " ALLOW_CONNECTIONS true").c_str()), Errc::ok);
  ASSERT_TRUE(s->commit(core::OrgId{"00o1"}, {PutUser{user("00u3", "c@x.io")}}));
  EXPECT_EQ(s->load_org(core::OrgId{"00o1"})->users.size(), 2u);
}

TEST(PgStore, PasswordsNeverReachMessages) {
  EXPECT_EQ(redact_postgres_url("postgresql://u:hunter2@db:5432/g"), "postgresql://u:***@db:5432/g");
  EXPECT_EQ(redact_postgres_url("postgres://db/g?user=u&password=hunter2&sslmode=require"),
            "postgres://db/g?user=u&password=***&sslmode=require");
  EXPECT_EQ(redact_postgres_url("postgresql://u@db/g"), "postgresql://u@db/g");
  // Port 1 on loopback refuses: the error names the server, never the password.
  try {
    open_postgres_store("postgresql://u:hunter2@127.0.0.1:1/g");
    FAIL() << "connected to port 1";
  } catch (const SchemaTooNew&) {
    FAIL() << "wrong exception";
  } catch (const std::runtime_error& e) {
    std::string m = e.what();
    EXPECT_EQ(m.find("hunter2"), std::string::npos) << m;
    EXPECT_NE(m.find("127.0.0.1"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace gh::store
