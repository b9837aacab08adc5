#pragma once
// Rate limits of the OAuth endpoints (okta-compat.md §1.12, §11.30; config [rate_limits]).
#include <cstdint>

namespace gh::oauth {

struct Limits {
  // Token requests per client per minute, in bursts of that size (§11.30: at least 600).
  std::uint32_t token_per_client_per_minute = 600;
  // Failed client authentications (token, introspection, revocation) before further failures
  // get 429 instead of 401: per client, and per source address, per minute (§11.30).
  std::uint32_t auth_failures_per_client_per_minute = 150;
  std::uint32_t auth_failures_per_address_per_minute = 250;
  // Inactive introspection answers per client per minute before its introspections get 429
  // for the rest of the minute (§11.32).
  std::uint32_t introspection_inactive_per_client_per_minute = 250;
  bool token_limit_enabled = true;  // config rate_limits.enabled: false → no per-client bucket
};

}  // namespace gh::oauth
