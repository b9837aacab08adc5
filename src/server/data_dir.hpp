#pragma once
// The data directory: gatehouse.db (SQLite) and master.key (32 random bytes, mode 0600).
#include <string>

namespace gh::server {

struct DataDir {
  std::string path;
  std::string db_path() const { return path + "/gatehouse.db"; }
  std::string master_key_path() const { return path + "/master.key"; }
  bool is_initialised() const;
  // Creates the directory and a new master key; throws std::runtime_error on failure.
  void create_master_key() const;
  // Reads the master key; throws std::runtime_error when missing or malformed.
  std::string read_master_key() const;
};

// The credential pepper, derived from the master key (HMAC-SHA256(master, label)).
std::string derive_pepper(const std::string& master_key);

}  // namespace gh::server
