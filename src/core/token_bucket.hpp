#pragma once
// Keyed token buckets (the arithmetic behind every rate limit, okta-compat.md §11.30): each key
// holds up to `capacity` tokens and regains `capacity` per `period`, continuously. A fresh key
// starts full. Thread-safe (one mutex; the critical section is a hash lookup and a few flops).
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gh::core {

struct BucketDecision {
  bool allowed = false;
  std::uint32_t limit = 0;       // the capacity (X-Rate-Limit-Limit)
  std::uint32_t remaining = 0;   // whole tokens left after this request (X-Rate-Limit-Remaining)
  std::int64_t reset_epoch_s = 0;  // allowed: when the bucket is full again; refused: when one
                                   // request fits again (X-Rate-Limit-Reset, epoch seconds)
};

class TokenBuckets {
 public:
  // `max_keys` bounds memory: past it, keys whose bucket has refilled are forgotten (a
  // forgotten key is indistinguishable from a full one); if every key is still draining, a new
  // key is not remembered and its request is allowed (fail open for accounting, never a crash).
  TokenBuckets(std::uint32_t capacity, std::chrono::milliseconds period = std::chrono::minutes(1),
               std::size_t max_keys = 100'000);

  // Takes one token from `key`'s bucket if it holds one. `now_ms` is epoch milliseconds.
  BucketDecision take(std::string_view key, std::int64_t now_ms);
  // The state of `key`'s bucket without taking a token (allowed: a token is there).
  BucketDecision peek(std::string_view key, std::int64_t now_ms);

  // Many nodes (issue 18; the server's SharedLimits): the tokens taken from each key since the
  // last call (keys that took none are left out), counted from zero again.
  std::vector<std::pair<std::string, std::uint32_t>> take_usage();
  // Removes `n` tokens from `key`'s bucket (what the other nodes took), never below empty; a key
  // not held yet starts full before it. Keeps max_keys.
  void debit(std::string_view key, double n, std::int64_t now_ms);

  std::uint32_t capacity() const { return capacity_; }
  std::size_t size() const;

 private:
  struct Bucket {
    double tokens;
    std::int64_t updated_ms;
    std::uint32_t taken = 0;  // since the last take_usage()
  };
  BucketDecision apply(std::string_view key, std::int64_t now_ms, bool take);
  void refill(Bucket& b, std::int64_t now_ms) const;
  BucketDecision decide(const Bucket& b, bool allowed, std::int64_t now_ms) const;
  void prune(std::int64_t now_ms);

  const std::uint32_t capacity_;
  const double per_ms_;  // tokens regained per millisecond
  const std::size_t max_keys_;
  mutable std::mutex mu_;
  std::int64_t last_prune_ms_ = 0;  // prune at most once a second when full
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace gh::core
