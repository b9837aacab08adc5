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

void ReplayCache::survive_restarts(std::string cache, Journal& journal, std::int64_t started_at) {
  std::lock_guard lk(mu_);
  name_ = std::move(cache);
  journal_ = &journal;
  started_at_ = started_at;
}

void ReplayCache::restore(std::string key, std::int64_t expires_at) {
  std::lock_guard lk(mu_);
  auto [it, added] = entries_.try_emplace(key, expires_at);
  if (!added && it->second >= expires_at) return;
  it->second = expires_at;
  by_expiry_.emplace(expires_at, std::move(key));
}

ReplayCache::Outcome ReplayCache::insert(std::string key, std::int64_t expires_at, std::int64_t now,
                                         std::optional<std::int64_t> issued_at) {
  if (ledger_) {  // many nodes: the shared ledger decides, for every node at once
    auto fresh = ledger_->claim(key, expires_at, now);
    if (!fresh) return Outcome::unavailable;
    return *fresh ? Outcome::fresh : Outcome::replay;
  }
  // §11.33: issued at or before this node's start, it may have been used before a crash (the
  // second of the start itself included: issue times are whole seconds).
  std::lock_guard lk(mu_);
  if (issued_at && *issued_at <= started_at_) return Outcome::replay;
  prune(now);
  auto it = entries_.find(key);
  if (it != entries_.end() && it->second >= now) return Outcome::replay;
  if (it == entries_.end() && entries_.size() >= max_entries_) return Outcome::full;
  // A key the rule above cannot refuse after a restart (issued later than now, which a restart
  // comes after, or with no issue time) is made durable first; if it cannot be, it is refused.
  // Held under the lock so that a concurrent insert of the same key waits for the outcome.
  if (journal_ && (!issued_at || *issued_at > now) && !journal_->record(name_, key, expires_at))
    return Outcome::full;
  if (it != entries_.end()) it->second = expires_at;
  else entries_.emplace(key, expires_at);
  by_expiry_.emplace(expires_at, std::move(key));
  return Outcome::fresh;
}

std::size_t ReplayCache::size() const {
  std::lock_guard lk(mu_);
  return entries_.size();
}

}  // namespace gh::oauth
