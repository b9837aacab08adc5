#pragma once
// Single-use identifiers (client assertion jti, RFC 7523 §3 item 7; DPoP proof jti, RFC 9449
// §11.1; DESIGN.md "Tokens"): a key is accepted once and remembered until it expires. In
// memory, one node, bounded: when `max_entries` unexpired keys are held, new keys are refused
// (fail closed: a replay cache that forgot would accept a replay).
// TODO(gatehouse): shared replay cache for multi-node mode (PostgreSQL) #3
#include <cstdint>
#include <functional>
#include <limits>
#include <mutex>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gh::oauth {

class ReplayCache {
 public:
  enum class Outcome { fresh, replay, full };

  explicit ReplayCache(std::size_t max_entries = std::numeric_limits<std::size_t>::max())
      : max_entries_(max_entries) {}

  // Records `key` until `expires_at` (epoch seconds). fresh the first time a key is seen while
  // unexpired, replay after that, full when the cache holds max_entries live keys (nothing is
  // recorded). Expired entries are pruned on each call. Thread-safe: of concurrent calls with
  // one key exactly one returns fresh.
  Outcome insert(std::string key, std::int64_t expires_at, std::int64_t now);
  // insert() == fresh.
  bool insert_unique(std::string key, std::int64_t expires_at, std::int64_t now) {
    return insert(std::move(key), expires_at, now) == Outcome::fresh;
  }
  std::size_t size() const;

 private:
  void prune(std::int64_t now);

  const std::size_t max_entries_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::int64_t> entries_;  // key → expires_at
  using Item = std::pair<std::int64_t, std::string>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> by_expiry_;
};

}  // namespace gh::oauth
