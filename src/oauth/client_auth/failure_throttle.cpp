#include "oauth/client_auth/failure_throttle.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace gh::oauth {

std::string address_key(std::string_view address) {
  std::string text(address.substr(0, address.find('%')));  // drop an IPv6 zone id
  unsigned char v6[16];
  if (inet_pton(AF_INET6, text.c_str(), v6) != 1) return std::string(address);
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char buf[INET6_ADDRSTRLEN];
  if (std::memcmp(v6, kMapped, sizeof kMapped) == 0) {
    inet_ntop(AF_INET, v6 + 12, buf, sizeof buf);
    return buf;
  }
  std::memset(v6 + 8, 0, 8);
  inet_ntop(AF_INET6, v6, buf, sizeof buf);
  return std::string(buf) + "/64";
}

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
