#include "oauth/client_auth/failure_throttle.hpp"

namespace gh::oauth {

FailureThrottle::FailureThrottle(const Limits& limits)
    : per_client_(limits.auth_failures_per_client_per_minute),
      per_address_(limits.auth_failures_per_address_per_minute) {}

core::BucketDecision FailureThrottle::record_failure(std::string_view org_id, std::string_view client_id,
                                                     std::string_view address, std::int64_t now_ms) {
  core::BucketDecision by_address{true, per_address_.capacity(), per_address_.capacity(), now_ms / 1000};
  if (!address.empty()) by_address = per_address_.take(address_key(address), now_ms);
  if (client_id.empty()) return by_address;
  std::string key(org_id);
  key += '\n';
  key += client_id;
  auto by_client = per_client_.take(key, now_ms);
  if (!by_address.allowed) return by_address;
  return by_client;
}

}  // namespace gh::oauth
