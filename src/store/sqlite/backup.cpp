#include "store/sqlite/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace gh::store {
namespace {
constexpr int kBusyMs = 10'000;  // a writer's transaction ends well within this

struct Conn {
  sqlite3* db = nullptr;
  ~Conn() { sqlite3_close_v2(db); }
  std::string error() const { return db ? sqlite3_errmsg(db) : "out of memory"; }
};

std::optional<std::string> open(Conn& c, const std::string& path, int flags) {
  if (sqlite3_open_v2(path.c_str(), &c.db, flags | SQLITE_OPEN_NOFOLLOW, nullptr) != SQLITE_OK)
    return "cannot open " + path + ": " + c.error();
  sqlite3_busy_timeout(c.db, kBusyMs);
  return std::nullopt;
}

// The single text value of `sql`, or the failure.
std::optional<std::string> scalar(Conn& c, const char* sql, std::string& out) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(c.db, sql, -1, &st, nullptr) != SQLITE_OK) return c.error();
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    auto* t = sqlite3_column_text(st, 0);
    out = t ? reinterpret_cast<const char*>(t) : "";
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return c.error();
  return std::nullopt;
}

std::optional<std::string> sync_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "cannot open " + path + ": " + std::strerror(errno);
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return "cannot sync " + path + ": " + std::strerror(errno);
  return std::nullopt;
}
}  // namespace

std::optional<std::string> check_gatehouse_database(const std::string& path) {
  Conn c;
  if (auto e = open(c, path, SQLITE_OPEN_READONLY)) return e;
  std::string v;
  if (auto e = scalar(c, "PRAGMA quick_check", v)) return path + " is not a readable SQLite database: " + *e;
  if (v != "ok") return path + " failed SQLite's integrity check: " + v;
  if (auto e = scalar(c, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('orgs', 'schema_version')", v))
    return path + ": " + *e;
  if (v != "2") return path + " is not a Gatehouse database (no orgs or schema_version table)";
  return std::nullopt;
}

std::optional<std::string> copy_sqlite_database(const std::string& from, const std::string& to) {
  if (std::filesystem::exists(to)) return to + " exists; a backup never overwrites a file";
  auto folder = std::filesystem::absolute(to).parent_path();
  std::string tmp = (folder / (".gatehouse-backup-XXXXXX")).string();
  int fd = ::mkstemp(tmp.data());  // mode 0600 (POSIX mkstemp), empty: SQLite keeps its mode
  if (fd < 0) return "cannot create a file in " + folder.string() + ": " + std::strerror(errno);
  ::close(fd);
  auto failed = [&](std::string why) -> std::optional<std::string> {
    std::error_code ec;
    for (const auto* suffix : {"", "-journal", "-wal", "-shm"}) std::filesystem::remove(tmp + suffix, ec);
    return why;
  };
  {
    Conn src, dst;
    // Read-write only so that SQLite may open a WAL database's -shm; nothing is written to it.
    if (auto e = open(src, from, SQLITE_OPEN_READWRITE)) return failed(*e);
    if (auto e = open(dst, tmp, SQLITE_OPEN_READWRITE)) return failed(*e);
    sqlite3_backup* b = sqlite3_backup_init(dst.db, "main", src.db, "main");
    if (!b) return failed("cannot start the backup: " + dst.error());
    // -1: every page in one step, one read transaction on `from`: a consistent copy. Retried
    // while a writer holds a lock the reader needs (BUSY/LOCKED), within the busy timeout.
    int rc = SQLITE_OK;
    for (int tries = 0; tries < kBusyMs / 10; ++tries) {
      rc = sqlite3_backup_step(b, -1);
      if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
      sqlite3_sleep(10);
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) return failed("the backup of " + from + " failed: " + sqlite3_errstr(rc));
    // The copy as its own file: no WAL beside it (SQLite would otherwise need -wal/-shm files).
    if (sqlite3_exec(dst.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) != SQLITE_OK)
      return failed("cannot finish " + tmp + ": " + dst.error());
  }
  if (auto e = check_gatehouse_database(tmp)) return failed(*e);
  if (auto e = sync_file(tmp)) return failed(*e);
  // link(2) fails with EEXIST instead of replacing a file that appeared meanwhile.
  if (::link(tmp.c_str(), to.c_str()) != 0) return failed("cannot create " + to + ": " + std::strerror(errno));
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
  if (auto e = sync_file(folder.string())) return e;
  return std::nullopt;
}

}  // namespace gh::store
