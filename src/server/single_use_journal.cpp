#include "server/single_use_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace gh::server {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Keys hold a client's jti, which may contain anything: written as hex, one line per entry.
std::string hex(std::string_view s) {
  std::string out;
  out.reserve(s.size() * 2);
  for (unsigned char c : s) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

bool unhex(std::string_view s, std::string& out) {
  if (s.size() % 2) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); i += 2) {
    int hi = nibble(s[i]), lo = nibble(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi << 4 | lo);
  }
  return true;
}

std::string line_of(std::string_view cache, std::string_view key, std::int64_t expires_at) {
  return std::string(cache) + ' ' + std::to_string(expires_at) + ' ' + hex(key) + '\n';
}

// "<cache> <expires_at> <hex key>"; a torn last line (a crash mid-append) does not parse.
bool parse_line(std::string_view line, SingleUseJournal::Entry& e) {
  auto a = line.find(' ');
  auto b = a == std::string_view::npos ? a : line.find(' ', a + 1);
  if (b == std::string_view::npos || a == 0) return false;
  e.cache = std::string(line.substr(0, a));
  auto num = line.substr(a + 1, b - a - 1);
  auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), e.expires_at);
  if (ec != std::errc{} || p != num.data() + num.size()) return false;
  e.key.clear();
  return unhex(line.substr(b + 1), e.key) && !e.key.empty();
}

bool write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    auto n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

SingleUseJournal::SingleUseJournal(std::string path, std::int64_t now) : path_(std::move(path)) {
  existed_ = std::filesystem::exists(path_);
  {
    std::ifstream in(path_);
    std::string line;
    Entry e;
    while (std::getline(in, line))
      if (parse_line(line, e) && e.expires_at >= now) entries_.push_back(e);
  }
  // Rewritten with the live entries only, so the file stays as small as the keys in use.
  auto tmp = path_ + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fail("create", tmp);
  std::string all;
  for (auto& x : entries_) all += line_of(x.cache, x.key, x.expires_at);
  bool ok = write_all(fd, all) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) fail("write", tmp);
  if (::rename(tmp.c_str(), path_.c_str()) != 0) fail("replace", path_);
  auto dir = std::filesystem::path(path_).parent_path().string();
  if (int d = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
    ::fsync(d);  // the rename itself is durable
    ::close(d);
  }
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) fail("open", path_);
}

SingleUseJournal::~SingleUseJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void SingleUseJournal::restore(std::string_view cache, oauth::ReplayCache& into) const {
  for (auto& e : entries_)
    if (e.cache == cache) into.restore(e.key, e.expires_at);
}

bool SingleUseJournal::record(std::string_view cache, std::string_view key, std::int64_t expires_at) {
  auto line = line_of(cache, key, expires_at);
  std::lock_guard lk(mu_);
  return write_all(fd_, line) && ::fdatasync(fd_) == 0;
}

}  // namespace gh::server
