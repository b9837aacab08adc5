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

std::string NonceSource::current(std::int64_t now_s) const { return for_window(floor_div(now_s, window_s_)); }

bool NonceSource::accepts(std::string_view nonce, std::int64_t now_s) const {
  auto w = floor_div(now_s, window_s_);
  bool ok = false;
  for (auto candidate : {for_window(w), for_window(w - 1)}) {
    // Constant time per candidate; the length is public (43 characters).
    if (candidate.size() == nonce.size() && CRYPTO_memcmp(candidate.data(), nonce.data(), nonce.size()) == 0)
      ok = true;
  }
  return ok;
}

}  // namespace gh::oauth::dpop
