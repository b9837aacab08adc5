// store::copy_sqlite_database and check_gatehouse_database (gatehouse backup / restore, issue 18).
#include "store/sqlite/backup.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "store/sqlite/sqlite_store.hpp"
#include "testing/temp_dir.hpp"

namespace gh::store {
namespace {

TEST(SqliteBackup, CopiesAnOpenDatabaseTo0600AndNeverOverwrites) {
  gh::testing::TempDir dir;
  auto db = dir.path() + "/gatehouse.db";
  auto open = open_sqlite_store(db);  // stays open (WAL) while copied, as a serving node's
  auto out = dir.path() + "/backup.db";
  ASSERT_FALSE(copy_sqlite_database(db, out).has_value());
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(check_gatehouse_database(out).has_value());
  auto again = copy_sqlite_database(db, out);
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(again->find("exists"), std::string::npos) << *again;
  for (auto& e : std::filesystem::directory_iterator(dir.path()))  // no temporary left behind
    EXPECT_FALSE(e.path().filename().string().starts_with(".gatehouse-backup-")) << e.path();
}

TEST(SqliteBackup, RefusesWhatIsNoGatehouseDatabase) {
  gh::testing::TempDir dir;
  auto junk = dir.path() + "/junk.db";
  std::ofstream(junk) << "this is not a database, just some text long enough to have a header";
  EXPECT_TRUE(check_gatehouse_database(junk).has_value());
  EXPECT_TRUE(check_gatehouse_database(dir.path() + "/missing.db").has_value());
  EXPECT_TRUE(copy_sqlite_database(junk, dir.path() + "/out.db").has_value());
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/out.db"));
}

}  // namespace
}  // namespace gh::store
