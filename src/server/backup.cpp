#include "server/backup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "server/data_dir.hpp"
#include "store/sqlite/backup.hpp"

namespace gh::server {
namespace {
namespace fs = std::filesystem;

int refuse(const std::string& why) {
  std::cerr << "gatehouse: " << why << "\n";
  return 2;
}

// Copies the 32-byte master key at `from` to `to` (new, 0600, fsynced); the failure or "".
std::string copy_master_key(const std::string& from, const std::string& to) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return "cannot read " + from + ": " + std::strerror(errno);
  char key[33];
  auto n = ::read(in, key, sizeof key);
  ::close(in);
  if (n != 32) return from + " is not a 32-byte master key";
  int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0) return "cannot create " + to + ": " + std::strerror(errno);
  bool ok = ::write(out, key, 32) == 32 && ::fsync(out) == 0;
  ::close(out);
  return ok ? "" : "cannot write " + to;
}
}  // namespace

int run_backup(const std::string& data_dir, const std::string& out) {
  DataDir dir{data_dir};
  if (!fs::exists(dir.db_path())) {
    if (dir.read_store_kind() == "postgresql")
      return refuse(data_dir + " keeps its data in PostgreSQL: back it up with pg_dump (docs/deployment.md)");
    return refuse(data_dir + " holds no SQLite database (gatehouse.db); nothing to back up");
  }
  if (fs::exists(out)) return refuse(out + " exists; a backup never overwrites a file");
  if (auto e = store::copy_sqlite_database(dir.db_path(), out)) {
    std::cerr << "gatehouse: " << *e << "\n";
    return 1;
  }
  std::cout << "backed up " << dir.db_path() << " to " << out
            << " (without the master key: keep " << dir.master_key_path() << " apart)\n";
  return 0;
}

int run_restore(const std::string& backup, const std::string& data_dir, const std::string& master_key_file) {
  DataDir dir{data_dir};
  bool has_key = false;
  if (fs::exists(data_dir)) {
    if (!fs::is_directory(data_dir)) return refuse(data_dir + " is not a directory");
    // A data directory in use (a running or stopped node's) is never written over: only a new
    // one, empty or holding just the master key the operator put there, is restored into.
    for (auto& e : fs::directory_iterator(data_dir)) {
      auto name = e.path().filename().string();
      if (name == "master.key") {
        has_key = true;
        continue;
      }
      return refuse(data_dir + " is not empty (it holds " + name +
                    "); restore into a new or empty data directory, with no server running on it");
    }
  }
  if (has_key && !master_key_file.empty())
    return refuse(data_dir + " already holds a master key; leave out --master-key, or start from an empty directory");
  if (auto e = store::check_gatehouse_database(backup)) return refuse(*e);
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec || ::chmod(data_dir.c_str(), 0700) != 0) {
    std::cerr << "gatehouse: cannot create " << data_dir << " (mode 0700)\n";
    return 1;
  }
  if (auto e = store::copy_sqlite_database(backup, dir.db_path())) {
    std::cerr << "gatehouse: " << *e << "\n";
    return 1;
  }
  try {
    dir.write_store_kind("sqlite");
    int fd = ::open(dir.single_use_journal_path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || ::fsync(fd) != 0) throw std::runtime_error("cannot create " + dir.single_use_journal_path());
    ::close(fd);
  } catch (const std::exception& e) {
    std::cerr << "gatehouse: " << e.what() << "\n";
    return 1;
  }
  if (!master_key_file.empty()) {
    if (auto e = copy_master_key(master_key_file, dir.master_key_path()); !e.empty()) {
      std::cerr << "gatehouse: " << e << "\n";
      return 1;
    }
    has_key = true;
  }
  std::cout << "restored " << backup << " into " << data_dir << "\n";
  if (!has_key)
    std::cout << "no master key yet: copy the master key of the backed-up data directory to " << dir.master_key_path()
              << " (mode 0600) before serving; without it the data cannot be served\n";
  return 0;
}

}  // namespace gh::server
