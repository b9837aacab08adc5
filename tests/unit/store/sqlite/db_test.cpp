#include "store/sqlite/db.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "testing/temp_dir.hpp"

namespace gh::store::sqlite {
namespace {

class SqliteTx : public ::testing::Test {
 protected:
  void SetUp() override { db_.exec("CREATE TABLE t (k TEXT PRIMARY KEY)"); }

  int insert(std::string_view k) { return db_.prepare("INSERT INTO t (k) VALUES (?)").bind(1, k).step(); }
  std::int64_t rows() {
    auto s = db_.prepare("SELECT count(*) FROM t");
    return s.step() == SQLITE_ROW ? s.i64(0) : -1;
  }
  // The write after a failed one: begins, inserts and commits.
  void expect_next_write_succeeds(std::string_view k) {
    Tx tx(db_);
    ASSERT_TRUE(tx.began()) << db_.errmsg();
    ASSERT_EQ(insert(k), SQLITE_DONE);
    EXPECT_TRUE(tx.commit()) << db_.errmsg();
  }

  testing::TempDir dir_;
  Db db_{dir_.path() + "/tx.db"};
};

TEST_F(SqliteTx, RollsBackWhenAStatementThrowsInsideIt) {
  auto write = [&] {
    Tx tx(db_);
    ASSERT_TRUE(tx.began());
    ASSERT_EQ(insert("a"), SQLITE_DONE);
    db_.prepare("INSERT INTO no_such_table (k) VALUES (1)");  // throws: no such table
    tx.commit();
  };
  EXPECT_THROW(write(), std::runtime_error);
  expect_next_write_succeeds("b");
  EXPECT_EQ(rows(), 1);  // "a" was rolled back, "b" committed
}

TEST_F(SqliteTx, RollsBackWhenAStatementFailsAndTheErrorIsReturned) {
  expect_next_write_succeeds("a");
  auto write = [&]() -> int {
    Tx tx(db_);
    if (!tx.began()) return SQLITE_ERROR;
    if (int rc = insert("b"); rc != SQLITE_DONE) return rc;
    if (int rc = insert("a"); rc != SQLITE_DONE) return rc;  // PRIMARY KEY violation
    return tx.commit() ? SQLITE_DONE : SQLITE_ERROR;
  };
  EXPECT_EQ(write(), SQLITE_CONSTRAINT);
  expect_next_write_succeeds("c");
  EXPECT_EQ(rows(), 2);  // "a" and "c"; "b" went with the failed transaction
}

}  // namespace
}  // namespace gh::store::sqlite
