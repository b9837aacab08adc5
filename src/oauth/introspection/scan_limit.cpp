#include "oauth/introspection/scan_limit.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace gh::oauth {

IntrospectionScanLimit::IntrospectionScanLimit(std::uint32_t limit, std::chrono::milliseconds window,
                                               std::size_t max_keys)
    : limit_(limit), window_ms_(window.count()), max_keys_(max_keys) {}

std::optional<std::int64_t> IntrospectionScanLimit::blocked_for(std::string_view client, std::int64_t now_ms) {
  std::lock_guard lk(mu_);
  auto it = windows_.find(std::string(client));
  if (it == windows_.end()) return std::nullopt;
  auto ends = it->second.opened_ms + window_ms_;
  if (now_ms >= ends || it->second.count < limit_) return std::nullopt;
  return (ends - now_ms + 999) / 1000;
}

void IntrospectionScanLimit::count_inactive(std::string_view client, std::int64_t now_ms) {
  std::lock_guard lk(mu_);
  auto it = windows_.find(std::string(client));
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys_) prune(now_ms);
    // Still full of open windows: this client is not counted (fail open for accounting; the
    // per-address failure throttle and the token-endpoint limits still hold).
    if (windows_.size() >= max_keys_) return;
    windows_.emplace(std::string(client), Window{now_ms, 1, 1});
    return;
  }
  auto& w = it->second;
  if (now_ms >= w.opened_ms + window_ms_) w = Window{now_ms, 0, w.taken};
  if (w.count < limit_) {
    ++w.count;
    ++w.taken;
  }
}

std::vector<std::pair<std::string, std::uint32_t>> IntrospectionScanLimit::take_usage() {
  std::vector<std::pair<std::string, std::uint32_t>> out;
  std::lock_guard lk(mu_);
  for (auto& [client, w] : windows_)
    if (w.taken > 0) out.emplace_back(client, std::exchange(w.taken, 0));
  return out;
}

void IntrospectionScanLimit::debit(std::string_view client, double n, std::int64_t now_ms) {
  if (n < 1) return;
  auto add = static_cast<std::uint32_t>(std::min<double>(n, limit_));
  std::lock_guard lk(mu_);
  auto it = windows_.find(std::string(client));
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys_) prune(now_ms);
    if (windows_.size() >= max_keys_) return;
    windows_.emplace(std::string(client), Window{now_ms, add, 0});
    return;
  }
  auto& w = it->second;
  if (now_ms >= w.opened_ms + window_ms_) w = Window{now_ms, 0, w.taken};
  w.count = std::min(limit_, w.count + add);
}

void IntrospectionScanLimit::prune(std::int64_t now_ms) {
  for (auto it = windows_.begin(); it != windows_.end();)
    it = now_ms >= it->second.opened_ms + window_ms_ ? windows_.erase(it) : std::next(it);
}

}  // namespace gh::oauth
