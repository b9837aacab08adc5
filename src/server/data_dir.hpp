#pragma once
// The data directory (mode 0700): gatehouse.db (SQLite, with its -wal and -shm files) and
// master.key (32 random bytes), every file mode 0600 (DESIGN.md "Credentials and secrets").
#include <optional>
#include <string>

namespace gh::server {

struct DataDir {
  std::string path;
  std::string db_path() const { return path + "/gatehouse.db"; }
  std::string master_key_path() const { return path + "/master.key"; }
  std::string single_use_journal_path() const { return path + "/single-use.journal"; }
  std::string store_kind_path() const { return path + "/store"; }
  // Which store `gatehouse init` put the data in ("sqlite" or "postgresql"), so that serve can
  // refuse the other one; none for a directory made before this was written. Throws on failure.
  void write_store_kind(const std::string& kind) const;
  std::optional<std::string> read_store_kind() const;
  bool is_initialised() const;
  // Creates the directory and a new master key; throws std::runtime_error on failure.
  void create_master_key() const;
  // Makes the directory 0700 and the database files 0600, creating an empty database file first
  // so SQLite never makes one more open; call before opening the store. Throws on failure.
  void secure_database() const;
  // Reads the master key; throws std::runtime_error when missing, malformed, or open to group
  // or others.
  std::string read_master_key() const;
};

// The credential pepper, derived from the master key (HMAC-SHA256(master, label)).
std::string derive_pepper(const std::string& master_key);

}  // namespace gh::server
