#pragma once
// Token buckets per org and endpoint family (okta-compat.md §11.30; issue #4): every management
// API response carries X-Rate-Limit-Limit/Remaining/Reset; past the limit, 429 E0000047.
// Thread-safe.
#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/token_bucket.hpp"

namespace gh::api {

enum class Family : std::uint8_t { users, groups, apps, logs, other, count_ };
Family family_of(std::string_view path_in_org);  // "/api/v1/users/..." → users

using RateDecision = core::BucketDecision;

class RateLimiter {
 public:
  // `per_minute[f]` requests per org and family per minute, with bursts of that size.
  explicit RateLimiter(std::array<std::uint32_t, static_cast<std::size_t>(Family::count_)> per_minute);
  RateDecision take(std::string_view org_id, Family f, std::int64_t now_ms);
  // The buckets of family `f` (many nodes: the server shares their usage, issue 18).
  core::TokenBuckets& buckets(Family f) { return *buckets_[static_cast<std::size_t>(f)]; }

 private:
  std::array<std::unique_ptr<core::TokenBuckets>, static_cast<std::size_t>(Family::count_)> buckets_;
};

}  // namespace gh::api
