#include "server/data_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "core/random.hpp"
#include "crypto/mac.hpp"

namespace gh::server {

bool DataDir::is_initialised() const {
  return std::filesystem::exists(master_key_path()) || std::filesystem::exists(db_path());
}

void DataDir::create_master_key() const {
  std::filesystem::create_directories(path);
  std::uint8_t key[32];
  core::SecureRandom{}.fill(key);
  int fd = ::open(master_key_path().c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + master_key_path() + ": " + std::strerror(errno));
  bool ok = ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + master_key_path());
}

std::string DataDir::read_master_key() const {
  int fd = ::open(master_key_path().c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error("cannot read " + master_key_path() + ": " + std::strerror(errno));
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
