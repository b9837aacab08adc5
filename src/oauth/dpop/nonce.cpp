#include "oauth/dpop/nonce.hpp"

#include <openssl/crypto.h>

#include <algorithm>

#include "core/base64.hpp"
#include "crypto/mac.hpp"

namespace gh::oauth::dpop {
namespace {
constexpr std::int64_t kMinWindow = 300;  // okta-compat.md §11.28

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace

NonceSource::NonceSource(std::string key, std::chrono::seconds window)
    : key_(std::move(key)), window_s_(std::max<std::int64_t>(kMinWindow, window.count())) {}

std::string NonceSource::for_window(std::int64_t w) const {
  return core::base64url_encode(crypto::hmac_sha256(key_, "gatehouse/dpop-nonce/v1/" + std::to_string(w)));
}

void NonceSource::ensure(std::int64_t w) const {
  if (cached_.w == w) return;
  cached_.previous = cached_.w == w - 1 ? std::move(cached_.current) : for_window(w - 1);
  cached_.current = for_window(w);
  cached_.w = w;
}

std::string NonceSource::current(std::int64_t now_s) const {
  std::lock_guard lk(mu_);
  ensure(floor_div(now_s, window_s_));
  return cached_.current;
}

bool NonceSource::accepts(std::string_view nonce, std::int64_t now_s) const {
  std::lock_guard lk(mu_);
  ensure(floor_div(now_s, window_s_));
  bool ok = false;
  for (const std::string* candidate : {&cached_.current, &cached_.previous}) {
    // Constant time per candidate; the length is public (43 characters).
    if (candidate->size() == nonce.size() && CRYPTO_memcmp(candidate->data(), nonce.data(), nonce.size()) == 0)
      ok = true;
  }
  return ok;
}

}  // namespace gh::oauth::dpop
