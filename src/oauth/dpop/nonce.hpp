#pragma once
// Server-provided DPoP nonces (RFC 9449 §8) without per-nonce storage: the nonce of time window
// w is base64url(HMAC-SHA256(key, "gatehouse/dpop-nonce/v1/" w)). A nonce is accepted during
// its own window and the next one, so it stays valid for at least one window after it is
// issued (okta-compat.md §11.28: at least 5 minutes). Nonces are server-wide: clients cache
// them per origin, and orgs under base_url/o/{slug} share one. Another server (another master
// key) issues different nonces. Thread-safe: the nonces of the latest window asked about and of
// the one before are kept, so a proof's check costs comparisons, not HMACs.
#include <chrono>
#include <cstdint>
#include <mutex>
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
  // cached_ holds the nonces of window w and w - 1 (computed if it held another window).
  void ensure(std::int64_t w) const;

  std::string key_;
  std::int64_t window_s_;
  mutable std::mutex mu_;
  struct Cached {
    std::int64_t w = INT64_MIN;
    std::string current, previous;
  };
  mutable Cached cached_;
};

}  // namespace gh::oauth::dpop
