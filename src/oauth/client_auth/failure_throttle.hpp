#pragma once
// Throttling of failed client authentication (issue #4; okta-compat.md §11.30): past N failures
// per client, or M per source address, within a minute, a *failed* authentication is answered
// 429 instead of 401. Successes are never counted and never refused, so an attacker who
// fails on purpose cannot lock a legitimate client out: the client's correct credentials still
// work from any address. Thread-safe.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/address_key.hpp"
#include "core/token_bucket.hpp"
#include "oauth/limits.hpp"

namespace gh::oauth {

class FailureThrottle {
 public:
  explicit FailureThrottle(const Limits& limits);

  // Counts one failed authentication of `client_id` (an existing client of `org_id`; empty
  // when the request named no existing client, so that made-up ids cannot fill memory) from
  // `address` (the peer's IP; IPv6 counted per /64). Returns the decision of the bucket that
  // ran out (allowed = false → answer 429) or, while both hold tokens, of the client's bucket
  // (the address's when there is no client).
  core::BucketDecision record_failure(std::string_view org_id, std::string_view client_id,
                                      std::string_view address, std::int64_t now_ms);
  // The buckets, for the server to share between nodes (issue 18).
  core::TokenBuckets& per_client() { return per_client_; }
  core::TokenBuckets& per_address() { return per_address_; }

 private:
  core::TokenBuckets per_client_;
  core::TokenBuckets per_address_;
};

using core::address_key;  // core/address_key.hpp, shared with the management API (§11.31)

}  // namespace gh::oauth
