#include "core/token_bucket.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace gh::core {

TokenBuckets::TokenBuckets(std::uint32_t capacity, std::chrono::milliseconds period, std::size_t max_keys)
    : capacity_(std::max<std::uint32_t>(1, capacity)),
      per_ms_(double(capacity_) / double(std::max<std::int64_t>(1, period.count()))),
      max_keys_(std::max<std::size_t>(1, max_keys)) {}

void TokenBuckets::refill(Bucket& b, std::int64_t now_ms) const {
  if (now_ms <= b.updated_ms) return;  // a clock going backwards never adds tokens
  b.tokens = std::min<double>(capacity_, b.tokens + double(now_ms - b.updated_ms) * per_ms_);
  b.updated_ms = now_ms;
}

BucketDecision TokenBuckets::decide(const Bucket& b, bool allowed, std::int64_t now_ms) const {
  BucketDecision d;
  d.allowed = allowed;
  d.limit = capacity_;
  d.remaining = static_cast<std::uint32_t>(std::max(0.0, std::floor(b.tokens)));
  double need = allowed ? capacity_ - b.tokens : 1.0 - b.tokens;  // tokens to wait for
  auto wait_ms = static_cast<std::int64_t>(std::ceil(std::max(0.0, need) / per_ms_));
  d.reset_epoch_s = (now_ms + wait_ms + 999) / 1000;
  return d;
}

void TokenBuckets::prune(std::int64_t now_ms) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, now_ms);
    it = it->second.tokens >= capacity_ ? buckets_.erase(it) : std::next(it);
  }
}

BucketDecision TokenBuckets::apply(std::string_view key, std::int64_t now_ms, bool take) {
  std::lock_guard lk(mu_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    Bucket fresh{double(capacity_), now_ms};
    if (!take) return decide(fresh, true, now_ms);
    if (buckets_.size() >= max_keys_ && now_ms - last_prune_ms_ >= 1000) {
      prune(now_ms);
      last_prune_ms_ = now_ms;
    }
    fresh.tokens -= 1.0;
    fresh.taken = 1;
    if (buckets_.size() < max_keys_) buckets_.emplace(std::string(key), fresh);
    return decide(fresh, true, now_ms);
  }
  auto& b = it->second;
  refill(b, now_ms);
  bool allowed = b.tokens >= 1.0;
  if (allowed && take) {
    b.tokens -= 1.0;
    ++b.taken;
  }
  return decide(b, allowed, now_ms);
}

BucketDecision TokenBuckets::take(std::string_view key, std::int64_t now_ms) { return apply(key, now_ms, true); }
BucketDecision TokenBuckets::peek(std::string_view key, std::int64_t now_ms) { return apply(key, now_ms, false); }

std::vector<std::pair<std::string, std::uint32_t>> TokenBuckets::take_usage() {
  std::vector<std::pair<std::string, std::uint32_t>> out;
  std::lock_guard lk(mu_);
  for (auto& [key, b] : buckets_)
    if (b.taken > 0) out.emplace_back(key, std::exchange(b.taken, 0));
  return out;
}

void TokenBuckets::debit(std::string_view key, double n, std::int64_t now_ms) {
  if (n <= 0) return;
  std::lock_guard lk(mu_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) return;
    it = buckets_.emplace(std::string(key), Bucket{double(capacity_), now_ms}).first;
  }
  refill(it->second, now_ms);
  it->second.tokens = std::max(0.0, it->second.tokens - n);
}

std::size_t TokenBuckets::size() const {
  std::lock_guard lk(mu_);
  return buckets_.size();
}

}  // namespace gh::core
