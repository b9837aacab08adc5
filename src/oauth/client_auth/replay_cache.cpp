#include "oauth/client_auth/replay_cache.hpp"

namespace gh::oauth {

void ReplayCache::prune(std::int64_t now) {
  while (!by_expiry_.empty() && by_expiry_.top().first < now) {
    auto it = entries_.find(by_expiry_.top().second);
    // A key re-inserted after expiring has a newer expiry: keep it.
    if (it != entries_.end() && it->second < now) entries_.erase(it);
    by_expiry_.pop();
  }
}

ReplayCache::Outcome ReplayCache::insert(std::string key, std::int64_t expires_at, std::int64_t now) {
  std::lock_guard lk(mu_);
  prune(now);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    if (it->second >= now) return Outcome::replay;
    it->second = expires_at;
  } else {
    if (entries_.size() >= max_entries_) return Outcome::full;
    entries_.emplace(key, expires_at);
  }
  by_expiry_.emplace(expires_at, std::move(key));
  return Outcome::fresh;
}

std::size_t ReplayCache::size() const {
  std::lock_guard lk(mu_);
  return entries_.size();
}

}  // namespace gh::oauth
