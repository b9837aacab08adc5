#pragma once
// The data directory's single-use journal (okta-compat.md §11.33): the client assertion and DPoP
// proof keys that must outlive a crash (oauth::ReplayCache decides which: those issued later
// than the moment they were accepted, or with no issue time). One line per key, appended and
// fsynced before the key is accepted; read back at start, expired lines dropped.
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "oauth/client_auth/replay_cache.hpp"

namespace gh::server {

class SingleUseJournal final : public oauth::Journal {
 public:
  struct Entry {
    std::string cache;
    std::string key;
    std::int64_t expires_at = 0;
  };

  // Reads `path` (a missing file is empty), keeps the entries unexpired at `now` (epoch
  // seconds), and rewrites the file with only those (mode 0600, atomically). Throws
  // std::runtime_error when the file cannot be read or written.
  SingleUseJournal(std::string path, std::int64_t now);
  ~SingleUseJournal() override;
  SingleUseJournal(const SingleUseJournal&) = delete;
  SingleUseJournal& operator=(const SingleUseJournal&) = delete;

  const std::vector<Entry>& entries() const { return entries_; }
  // Whether the file was there already: a node served from this directory before (the first
  // serve of a directory has no earlier run whose keys it could replay).
  bool existed() const { return existed_; }
  // Loads the entries named `cache` into `into` (ReplayCache::restore).
  void restore(std::string_view cache, oauth::ReplayCache& into) const;

  bool record(std::string_view cache, std::string_view key, std::int64_t expires_at) override;

 private:
  std::string path_;
  std::vector<Entry> entries_;
  std::mutex mu_;
  int fd_ = -1;
  bool existed_ = false;
};

}  // namespace gh::server
