#include "server/data_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/random.hpp"
#include "crypto/mac.hpp"

namespace gh::server {

bool DataDir::is_initialised() const {
  return std::filesystem::exists(master_key_path()) || std::filesystem::exists(db_path());
}

namespace {
// DESIGN.md "Credentials and secrets": the directory 0700, every file in it 0600.
constexpr mode_t kDirMode = 0700;
constexpr mode_t kFileMode = 0600;

void make_private_dir(const std::string& path) {
  std::filesystem::create_directories(path);
  if (::chmod(path.c_str(), kDirMode) != 0)
    throw std::runtime_error("cannot set the mode of " + path + " to 0700: " + std::strerror(errno));
}

// Narrows an existing file to 0600; a missing file is fine (SQLite makes -wal and -shm later,
// copying the database file's mode).
void make_private_file(const std::string& file) {
  if (::chmod(file.c_str(), kFileMode) != 0 && errno != ENOENT)
    throw std::runtime_error("cannot set the mode of " + file + " to 0600: " + std::strerror(errno));
}
}  // namespace

void DataDir::secure_database() const {
  make_private_dir(path);
  // Created here, empty and 0600, before SQLite opens it: SQLite would make it 0644 (less the
  // umask) and gives its -wal and -shm files the database file's mode.
  int fd = ::open(db_path().c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, kFileMode);
  if (fd < 0) throw std::runtime_error("cannot create " + db_path() + ": " + std::strerror(errno));
  ::close(fd);
  for (const auto* suffix : {"", "-wal", "-shm"}) make_private_file(db_path() + suffix);
}

void DataDir::create_master_key() const {
  make_private_dir(path);
  std::uint8_t key[32];
  core::SecureRandom{}.fill(key);
  int fd = ::open(master_key_path().c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + master_key_path() + ": " + std::strerror(errno));
  bool ok = ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + master_key_path());
}

void DataDir::write_store_kind(const std::string& kind) const {
  int fd = ::open(store_kind_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, kFileMode);
  if (fd < 0) throw std::runtime_error("cannot create " + store_kind_path() + ": " + std::strerror(errno));
  auto line = kind + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + store_kind_path());
}

std::optional<std::string> DataDir::read_store_kind() const {
  std::ifstream in(store_kind_path());
  std::string kind;
  if (!in || !std::getline(in, kind)) return std::nullopt;
  return kind;
}

std::string DataDir::read_master_key() const {
  int fd = ::open(master_key_path().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot read " + master_key_path() + ": " + std::strerror(errno));
  // DESIGN.md: a node refuses to start on a master key that group or others may use.
  struct stat st {};
  if (::fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw std::runtime_error(master_key_path() + " is open to group or others (mode " + mode +
                             "); it must be 0600: chmod 600 " + master_key_path());
  }
  char buf[33];
  auto n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n != 32) throw std::runtime_error(master_key_path() + " is not a 32-byte key");
  return std::string(buf, 32);
}

std::string derive_pepper(const std::string& master_key) {
  return crypto::hmac_sha256(master_key, "gatehouse/credential-pepper/v1");
}

}  // namespace gh::server
