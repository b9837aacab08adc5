#pragma once
// Thin RAII over sqlite3: one connection, a statement cache, typed binds and reads.
#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace gh::store::sqlite {

class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  Stmt(const Stmt&) = delete;
  ~Stmt() { sqlite3_reset(s_), sqlite3_clear_bindings(s_); }
  Stmt& bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // The bytes must stay valid until the statement is stepped (SQLITE_STATIC: no copy).
  Stmt& bind_static(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& bind_blob(int i, const void* p, int n) {
    sqlite3_bind_blob(s_, i, p, n, SQLITE_TRANSIENT);
    return *this;
  }
  int step() { return sqlite3_step(s_); }
  sqlite3_stmt* handle() const { return s_; }
  std::string text(int c) const {
    auto p = sqlite3_column_text(s_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(s_, c)) : std::string{};
  }
  // The column's text, valid until the next step or reset.
  std::string_view text_view(int c) const {
    auto p = sqlite3_column_text(s_, c);
    return p ? std::string_view(reinterpret_cast<const char*>(p), sqlite3_column_bytes(s_, c)) : std::string_view{};
  }
  // The column's text into `out`, reusing its buffer.
  void text_into(int c, std::string& out) const {
    auto p = sqlite3_column_text(s_, c);
    if (p) out.assign(reinterpret_cast<const char*>(p), sqlite3_column_bytes(s_, c));
    else out.clear();
  }
  // The column's bytes, valid until the next step or reset.
  std::string_view blob_view(int c) const {
    auto p = sqlite3_column_blob(s_, c);
    return p ? std::string_view(static_cast<const char*>(p), sqlite3_column_bytes(s_, c)) : std::string_view{};
  }
  std::int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
  std::string blob(int c) const {
    auto p = sqlite3_column_blob(s_, c);
    return p ? std::string(static_cast<const char*>(p), sqlite3_column_bytes(s_, c)) : std::string{};
  }

 private:
  sqlite3_stmt* s_;
};

class Db {
 public:
  explicit Db(const std::string& path);  // throws on failure
  Db(const Db&) = delete;
  ~Db();
  Stmt prepare(const char* sql);  // cached by pointer identity of the literal; throws on error
  void exec(const char* sql);     // throws on error
  bool exec_ok(const char* sql) noexcept;
  // Steps `sql`, a statement without results, through the statement cache (BEGIN, COMMIT,
  // ROLLBACK: parsed once per connection instead of by every sqlite3_exec); false on error.
  bool step_ok(const char* sql) noexcept;
  sqlite3* handle() { return db_; }
  std::string errmsg() const { return sqlite3_errmsg(db_); }

 private:
  sqlite3* db_ = nullptr;
  std::map<const char*, sqlite3_stmt*> cache_;
};

// A write transaction (BEGIN IMMEDIATE) that rolls back on every way out but a successful
// commit(): an error returned or an exception thrown (Db::prepare throws) leaves no transaction
// open, so the next write can begin. Not thread-safe: one per Db at a time, under its owner's lock.
class Tx {
 public:
  explicit Tx(Db& db) : db_(db), open_(db.step_ok(kBegin)) {}
  Tx(const Tx&) = delete;
  ~Tx() { rollback(); }
  bool began() const { return open_; }  // false: BEGIN failed and there is nothing to undo
  // COMMIT; false when it fails (the destructor then rolls back).
  bool commit() {
    if (!open_ || !db_.step_ok(kCommit)) return false;
    open_ = false;
    return true;
  }
  void rollback() noexcept {
    if (open_) db_.step_ok(kRollback);
    open_ = false;
  }

 private:
  static constexpr const char* kBegin = "BEGIN IMMEDIATE";
  static constexpr const char* kCommit = "COMMIT";
  static constexpr const char* kRollback = "ROLLBACK";
  Db& db_;
  bool open_;
};

}  // namespace gh::store::sqlite
