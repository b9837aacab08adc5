#include "api/common/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace gh::api {

Family family_of(std::string_view p) {
  if (p.starts_with("/api/v1/users")) return Family::users;
  if (p.starts_with("/api/v1/groups")) return Family::groups;
  if (p.starts_with("/api/v1/apps")) return Family::apps;
  if (p.starts_with("/api/v1/logs")) return Family::logs;
  return Family::other;
}

RateDecision RateLimiter::take(std::string_view org_id, Family f, std::int64_t now_ms) {
  auto cap = per_minute_[static_cast<std::size_t>(f)];
  double rate_per_ms = cap / 60000.0;
  std::string key(org_id);
  key += static_cast<char>('0' + static_cast<int>(f));
  std::lock_guard lk(mu_);
  auto [it, fresh] = buckets_.try_emplace(std::move(key), Bucket{double(cap), now_ms});
  auto& b = it->second;
  if (!fresh && now_ms > b.updated_ms) {
    b.tokens = std::min<double>(cap, b.tokens + (now_ms - b.updated_ms) * rate_per_ms);
    b.updated_ms = now_ms;
  }
  RateDecision d{b.tokens >= 1.0, cap, 0, 0};
  if (d.allowed) b.tokens -= 1.0;
  d.remaining = static_cast<std::uint32_t>(std::max(0.0, std::floor(b.tokens)));
  double need = d.allowed ? cap - b.tokens : 1.0 - b.tokens;  // tokens to wait for
  d.reset_epoch_s = (now_ms + static_cast<std::int64_t>(std::ceil(need / rate_per_ms)) + 999) / 1000;
  return d;
}

}  // namespace gh::api
