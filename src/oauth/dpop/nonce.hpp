#pragma once
// Server-provided DPoP nonces (RFC 9449 §8) without per-nonce storage: the nonce of time window
// w is base64url(HMAC-SHA256(key, "gatehouse/dpop-nonce/v1/" w)). A nonce is accepted during
// its own window and the next one, so it stays valid for at least one window after it is
// issued (okta-compat.md §11.28: at least 5 minutes). Nonces are server-wide: clients cache
// them per origin, and orgs under base_url/o/{slug} share one. Another server (another master
// key) issues different nonces. Immutable; thread-safe.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace gh::oauth::dpop {

class NonceSource {
 public:
  // `key`: secret bytes derived from the master key; `window` at least 5 minutes.
  explicit NonceSource(std::string key, std::chrono::seconds window = std::chrono::hours(1));

  // The nonce to hand out at `now_s` (epoch seconds).
  std::string current(std::int64_t now_s) const;
  // Whether `nonce` is the current or the previous window's (constant-time comparison).
  bool accepts(std::string_view nonce, std::int64_t now_s) const;

  std::chrono::seconds window() const { return std::chrono::seconds(window_s_); }

 private:
  std::string for_window(std::int64_t w) const;

  std::string key_;
  std::int64_t window_s_;
};

}  // namespace gh::oauth::dpop
