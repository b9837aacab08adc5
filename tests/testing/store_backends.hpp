#pragma once
// One store per test on either backend (issue 18), for tests that run against both: SQLite in a
// temporary directory or PostgreSQL in a fresh database of the throwaway cluster.
#include <memory>
#include <optional>
#include <string>

#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "testing/pg_cluster.hpp"
#include "testing/temp_dir.hpp"

namespace gh::testing {

inline const char* const kBackends[] = {"sqlite", "postgresql"};

class BackendStore {
 public:
  explicit BackendStore(std::string backend) : backend_(std::move(backend)) {
    if (backend_ == "postgresql") db_.emplace();
  }
  // Opens the store (again: what a restarted server sees).
  std::unique_ptr<store::Store> open() {
    if (db_) return store::open_postgres_store(db_->url());
    return store::open_sqlite_store(dir_.path() + "/g.db");
  }
  PgDatabase* pg() { return db_ ? &*db_ : nullptr; }

 private:
  std::string backend_;
  TempDir dir_;
  std::optional<PgDatabase> db_;
};

}  // namespace gh::testing
