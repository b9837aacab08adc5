#pragma once
// Single-use identifiers (client assertion jti, RFC 7523 §3 item 7; DESIGN.md "Tokens"): a key
// is accepted once and remembered until it expires. In memory, one node.
// TODO(gatehouse): shared replay cache for multi-node mode (PostgreSQL) #3
#include <cstdint>
#include <functional>
#include <mutex>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gh::oauth {

class ReplayCache {
 public:
  // Records `key` until `expires_at` (epoch seconds). True the first time a key is seen while
  // unexpired, false for a replay. Expired entries are pruned on each call. Thread-safe: of
  // concurrent calls with one key exactly one returns true.
  bool insert_unique(std::string key, std::int64_t expires_at, std::int64_t now);
  std::size_t size() const;

 private:
  void prune(std::int64_t now);

  mutable std::mutex mu_;
  std::unordered_map<std::string, std::int64_t> entries_;  // key → expires_at
  using Item = std::pair<std::int64_t, std::string>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> by_expiry_;
};

}  // namespace gh::oauth
