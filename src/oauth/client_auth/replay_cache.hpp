#pragma once
// Single-use identifiers (client assertion jti, RFC 7523 §3 item 7; DPoP proof jti, RFC 9449
// §11.1; DESIGN.md "Tokens"): a key is accepted once and remembered until it expires. In
// memory, one node, bounded: when `max_entries` unexpired keys are held, new keys are refused
// (fail closed: a replay cache that forgot would accept a replay).
//
// Across a restart (okta-compat.md §11.33, DESIGN.md "single-use for their lifetime"): a key
// issued at or before the second the node started (`started_at`) is refused, since it may have
// been used before a crash; a key that could outlive that rule (issued in the future by the
// server's clock, or with no issue time: an assertion without `iat`) is written to a Journal,
// durably, before it is accepted, and the journal's keys are loaded back at start.
//
// Many nodes on one PostgreSQL (issue 18): share() hands every key to the store's single-use
// ledger instead, which all nodes see and which is durable itself (no journal, no restart rule);
// insert() then blocks on the network, so its callers run on a lane that may (the outbound lane).
#include <cstdint>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/single_use.hpp"

namespace gh::oauth {

// Where keys that must survive a restart are written. record() returns once the key is durable
// (false: it could not be written, and the key is refused: fail closed).
class Journal {
 public:
  virtual ~Journal() = default;
  virtual bool record(std::string_view cache, std::string_view key, std::int64_t expires_at) = 0;
};

class ReplayCache {
 public:
  // unavailable: the shared ledger could not answer (the key is refused: fail closed).
  enum class Outcome { fresh, replay, full, unavailable };

  explicit ReplayCache(std::size_t max_entries = std::numeric_limits<std::size_t>::max())
      : max_entries_(max_entries) {}

  // Makes single use hold across restarts (§11.33): keys issued at or before `started_at` (epoch
  // seconds) are refused as replays, and keys `insert` cannot place before it go to `journal`
  // under the name `cache`. Call before any insert.
  void survive_restarts(std::string cache, Journal& journal, std::int64_t started_at);
  // A key read back from the journal at start: remembered until `expires_at`, unconditionally.
  void restore(std::string key, std::int64_t expires_at);
  // Every key goes to `ledger` from now on, shared with the other nodes of the store; nothing
  // is held in memory. Call before any insert, instead of survive_restarts().
  void share(store::SingleUseLedger& ledger) { ledger_ = &ledger; }
  bool shared() const { return ledger_ != nullptr; }

  // Records `key` until `expires_at` (epoch seconds). fresh the first time a key is seen while
  // unexpired, replay after that, full when the cache holds max_entries live keys (nothing is
  // recorded), unavailable when a shared ledger could not answer. `issued_at` (epoch seconds;
  // none when the key has no issue time) is what the restart rule reads. Expired entries are
  // pruned on each call. Thread-safe: of concurrent calls with one key exactly one returns fresh
  // (with a shared ledger: of all calls on every node).
  Outcome insert(std::string key, std::int64_t expires_at, std::int64_t now,
                 std::optional<std::int64_t> issued_at = std::nullopt);
  // insert() == fresh.
  bool insert_unique(std::string key, std::int64_t expires_at, std::int64_t now,
                     std::optional<std::int64_t> issued_at = std::nullopt) {
    return insert(std::move(key), expires_at, now, issued_at) == Outcome::fresh;
  }
  std::size_t size() const;

 private:
  void prune(std::int64_t now);

  const std::size_t max_entries_;
  std::string name_;
  Journal* journal_ = nullptr;
  store::SingleUseLedger* ledger_ = nullptr;
  std::int64_t started_at_ = std::numeric_limits<std::int64_t>::min();
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::int64_t> entries_;  // key → expires_at
  using Item = std::pair<std::int64_t, std::string>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> by_expiry_;
};

}  // namespace gh::oauth
