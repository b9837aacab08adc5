#include "api/common/rate_limit.hpp"

namespace gh::api {

Family family_of(std::string_view p) {
  if (p.starts_with("/api/v1/users")) return Family::users;
  if (p.starts_with("/api/v1/groups")) return Family::groups;
  if (p.starts_with("/api/v1/apps")) return Family::apps;
  if (p.starts_with("/api/v1/logs")) return Family::logs;
  return Family::other;
}

RateLimiter::RateLimiter(std::array<std::uint32_t, static_cast<std::size_t>(Family::count_)> per_minute) {
  for (std::size_t f = 0; f < buckets_.size(); ++f)
    buckets_[f] = std::make_unique<core::TokenBuckets>(per_minute[f]);
}

RateDecision RateLimiter::take(std::string_view org_id, Family f, std::int64_t now_ms) {
  return buckets_[static_cast<std::size_t>(f)]->take(org_id, now_ms);
}

}  // namespace gh::api
