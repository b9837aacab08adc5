#pragma once
// Thin RAII over libpq: one synchronous connection, statements prepared once per connection,
// parameters always bound (never spliced into SQL text), results read in text format.
// Not thread-safe: its owner (PgStore) serialises every call under its mutex.
#include "store/postgres/libpq.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/errc.hpp"

namespace gh::store::pg {

struct ResultFree {
  void operator()(PGresult* r) const noexcept { pq().PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultFree>;

// Bound parameters: text (integers as decimal text) or binary (bytea).
class Params {
 public:
  Params& text(std::string_view v);
  Params& i64(std::int64_t v);
  Params& bytes(const void* p, std::size_t n);
  int size() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> values() const;
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<std::string> values_;
  std::vector<int> lengths_, formats_;
};

// One row of a result, its columns as text.
class Row {
 public:
  Row(const PGresult* r, int row) : r_(r), row_(row) {}
  std::string_view text(int c) const {
    return {pq().PQgetvalue(r_, row_, c), static_cast<std::size_t>(pq().PQgetlength(r_, row_, c))};
  }
  std::string str(int c) const { return std::string(text(c)); }
  bool null(int c) const { return pq().PQgetisnull(r_, row_, c) != 0; }
  std::int64_t i64(int c) const;
  // A bytea column (text format "\x…" hex) decoded into `out`; false when malformed.
  bool bytes(int c, std::string& out) const;

 private:
  const PGresult* r_;
  int row_;
};

class Conn {
 public:
  // Connects to `url` (postgresql://…). Throws std::runtime_error when it cannot; the message
  // names the server without the password (redact()).
  explicit Conn(std::string url);
  Conn(const Conn&) = delete;
  ~Conn();

  // Reconnects when the connection was lost; false when still unreachable.
  bool ensure();
  // A prepared statement's result (prepared on first use per connection, keyed by the literal's
  // address, so `sql` must be a string with static storage); Errc::ok when it succeeded.
  Errc run(const char* sql, const Params& p, ResultPtr* out = nullptr);
  // Reads the rows of `sql` one at a time (single-row mode: an org's 1M tokens are never held
  // in one result), calling row(Row) for each.
  template <class F>
  Errc each_row(const char* sql, const Params& p, F&& row) {
    if (Errc e = send(sql, p); e != Errc::ok) return e;
    Errc status = Errc::ok;
    while (PGresult* r = pq().PQgetResult(conn_)) {
      ResultPtr res(r);
      auto st = pq().PQresultStatus(r);
      if (st == PGRES_SINGLE_TUPLE) {
        if (status == Errc::ok) row(Row(r, 0));
      } else if (st != PGRES_TUPLES_OK && status == Errc::ok) {
        status = classify(r);
      }
    }
    return status;
  }
  // A statement without parameters or rows (BEGIN, COMMIT, DDL): Errc::ok when it succeeded.
  Errc exec(const char* sql);
  // exec() of a statement that is safe to send twice (BEGIN): once more on a connection found
  // lost, after reconnecting (a server restart then costs the caller nothing).
  Errc exec_idempotent(const char* sql) {
    Errc e = exec(sql);
    if (e == Errc::unavailable && ensure()) e = exec(sql);
    return e;
  }
  // Number of rows the last run() changed.
  static std::int64_t changed(const ResultPtr& r);
  // The last error, for the log: libpq's message, which never includes the password.
  std::string error() const;
  // The SQLSTATE of the last statement of run() or exec() that failed ("" if none was given).
  const std::string& sqlstate() const { return last_state_; }
  // `url` with any password replaced by "***" (for messages and logs).
  static std::string redact(const std::string& url);
  // `msg` with every occurrence of this connection's password masked.
  std::string scrub(std::string msg) const;

 private:
  Errc send(const char* sql, const Params& p);
  void session_setup();
  Errc classify(const PGresult* r) const;
  void failed(const PGresult* r);  // records the error message and SQLSTATE of `r`
  const char* prepared(const char* sql, Errc& err);

  std::string url_;
  PGconn* conn_ = nullptr;
  std::map<const char*, std::string> names_;  // statement text → prepared statement name
  std::string last_error_;
  std::string last_state_;
};

// A transaction that rolls back on every way out but a successful commit().
class Tx {
 public:
  explicit Tx(Conn& c) : c_(c), status_(c.exec_idempotent("BEGIN")) {}
  Tx(const Tx&) = delete;
  ~Tx() { rollback(); }
  Errc began() const { return status_; }  // Errc::ok: a transaction is open
  Errc commit() {
    if (status_ != Errc::ok) return status_;
    status_ = Errc::not_found;  // closed, whatever COMMIT says
    return c_.exec("COMMIT");
  }
  void rollback() noexcept {
    if (status_ == Errc::ok) c_.exec("ROLLBACK");
    status_ = Errc::not_found;
  }

 private:
  Conn& c_;
  Errc status_;
};

}  // namespace gh::store::pg
