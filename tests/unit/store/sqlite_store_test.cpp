#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include "store/errc.hpp"
#include "store/schema.hpp"
#include "testing/temp_dir.hpp"
#include "testing/users.hpp"

namespace gh::store {
namespace {

domain::User user(std::string id, std::string login) { return testing::active_user(std::move(id), login); }

TEST(SqliteStore, CommitsChangeSetsAtomicallyAndScopesThemToTheirOrg) {
  testing::TempDir dir;
  auto db = dir.path() + "/g.db";
  {
    auto s = open_sqlite_store(db);
    ASSERT_TRUE(s->create_org({"00o1", "", "First", 1}, {PutUser{user("00u1", "a@x.io")}}));
    ASSERT_TRUE(s->create_org({"00o2", "acme", "Acme", 2}, {PutUser{user("00u1", "a@x.io")}}));
    // A duplicate login in the same org fails and the whole change set is rolled back.
    domain::Group g;
    g.id = "00g1";
    g.profile = {{"name", "eng"}};
    auto r = s->commit(core::OrgId{"00o1"}, {PutGroup{g}, PutUser{user("00u2", "A@X.IO")}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), Errc::conflict);
    ASSERT_TRUE(s->commit(core::OrgId{"00o1"}, {PutGroup{g}, AddMember{"00g1", "00u1"}}));
    // The same subdomain twice is a conflict.
    EXPECT_FALSE(s->create_org({"00o3", "acme", "Other", 3}, {}));
  }
  auto s = open_sqlite_store(db);  // reopened: everything acknowledged is there
  auto orgs = s->list_orgs();
  ASSERT_TRUE(orgs);
  ASSERT_EQ(orgs->size(), 2u);
  auto first = s->load_org(core::OrgId{"00o1"});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->users.size(), 1u);
  ASSERT_EQ(first->groups.size(), 1u);
  EXPECT_EQ(first->members.size(), 1u);
  auto second = s->load_org(core::OrgId{"00o2"});
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->groups.empty());  // org 1's group is not org 2's
  EXPECT_EQ(s->load_org(core::OrgId{"00o9"}).error(), Errc::not_found);
}

TEST(SqliteStore, RevokedTokensAreNotLoadedAndLastUseIsRecorded) {
  testing::TempDir dir;
  auto s = open_sqlite_store(dir.path() + "/g.db");
  domain::ApiToken a, b;
  a.id = "00T1", a.user_id = "00u1", a.mac[0] = 1, a.last_used = 10;
  b.id = "00T2", b.user_id = "00u1", b.mac[0] = 2, b.revoked = true;
  ASSERT_TRUE(s->create_org({"00o1", "", "First", 1}, {PutUser{user("00u1", "a@x.io")}, PutApiToken{a}, PutApiToken{b}}));
  ASSERT_TRUE(s->record_token_use({{core::OrgId{"00o1"}, "00T1", 500}, {core::OrgId{"00o2"}, "00T1", 900}}));
  auto snap = s->load_org(core::OrgId{"00o1"});
  ASSERT_TRUE(snap);
  ASSERT_EQ(snap->api_tokens.size(), 1u);
  EXPECT_EQ(snap->api_tokens[0].id, "00T1");
  EXPECT_EQ(snap->api_tokens[0].last_used, 500);  // the other org's row was not touched
  EXPECT_EQ(snap->api_tokens[0].mac, a.mac);
}

TEST(SqliteStore, ASchemaNewerThanTheBuildIsRefused) {
  testing::TempDir dir;
  auto db = dir.path() + "/g.db";
  open_sqlite_store(db);
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(h, "INSERT INTO schema_version (version) VALUES (99)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(h);
  EXPECT_THROW(open_sqlite_store(db), SchemaTooNew);
}

}  // namespace
}  // namespace gh::store
