// A disk that fails under the SQLite store (issue 19): every write is Errc::unavailable (the API's
// 503), nothing of it is stored, reads go on, and writes succeed again once the fault clears.
// The fault is real: this process's file-size limit (RLIMIT_FSIZE) lowered to one byte, so every
// write past a file's first byte fails with EFBIG (SIGXFSZ ignored, as `serve` does), which SQLite
// reports as SQLITE_IOERR_WRITE.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <csignal>

#include "store/errc.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "testing/temp_dir.hpp"
#include "testing/users.hpp"

namespace gh::store {
namespace {

domain::User user(std::string id, std::string login) { return testing::active_user(std::move(id), login); }

class FileSizeLimit {
 public:
  FileSizeLimit() {
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &old_);
    rlimit one = old_;
    one.rlim_cur = 1;
    EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &one), 0);
  }
  ~FileSizeLimit() { lift(); }
  void lift() {
    if (lifted_) return;
    lifted_ = true;
    setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit old_{};
  void (*old_handler_)(int) = nullptr;
  bool lifted_ = false;
};

TEST(SqliteStoreFaults, AFailingDiskIsUnavailableWritesNothingAndRecovers) {
  testing::TempDir dir;
  auto path = dir.path() + "/g.db";
  auto s = open_sqlite_store(path);
  domain::ApiToken first;
  first.id = "00T0", first.user_id = "00u1", first.mac[0] = 9, first.last_used = 10;
  ASSERT_TRUE(s->create_org({"00o1", "", "First", 1}, {PutUser{user("00u1", "a@x.io")}, PutApiToken{first}}));
  domain::Group g;
  g.id = "00g1";
  g.profile = {{"name", "eng"}};
  domain::ApiToken t;
  t.id = "00T1", t.user_id = "00u1", t.mac[0] = 1;
  // Several rows in one change set: all or nothing.
  const ChangeSet change{PutGroup{g}, PutUser{user("00u2", "b@x.io")}, AddMember{"00g1", "00u2"}, PutApiToken{t}};
  {
    FileSizeLimit fault;
    auto r = s->commit(core::OrgId{"00o1"}, change);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), Errc::unavailable);
    auto org = s->create_org({"00o2", "acme", "Acme", 2}, {PutUser{user("00u1", "a@x.io")}});
    ASSERT_FALSE(org);
    EXPECT_EQ(org.error(), Errc::unavailable);
    auto uses = s->record_token_use({{core::OrgId{"00o1"}, "00T0", 500}});
    ASSERT_FALSE(uses);
    EXPECT_EQ(uses.error(), Errc::unavailable);
    // Reads go on under the fault.
    auto snap = s->load_org(core::OrgId{"00o1"});
    ASSERT_TRUE(snap) << snap.error().message();
    EXPECT_EQ(snap->users.size(), 1u);
    EXPECT_TRUE(snap->groups.empty());
    fault.lift();
    // The fault cleared: the same change commits, on the same connection, without a reopen.
    ASSERT_TRUE(s->commit(core::OrgId{"00o1"}, change));
    ASSERT_TRUE(s->create_org({"00o2", "acme", "Acme", 2}, {PutUser{user("00u1", "a@x.io")}}));
  }
  s.reset();
  auto again = open_sqlite_store(path);
  auto orgs = again->list_orgs();
  ASSERT_TRUE(orgs);
  EXPECT_EQ(orgs->size(), 2u);
  auto snap = again->load_org(core::OrgId{"00o1"});
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->users.size(), 2u);
  EXPECT_EQ(snap->groups.size(), 1u);
  EXPECT_EQ(snap->members.size(), 1u);
}

}  // namespace
}  // namespace gh::store
