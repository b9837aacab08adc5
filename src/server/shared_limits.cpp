#include "server/shared_limits.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace gh::server {
namespace {
constexpr std::int64_t kMinuteMs = 60'000;
}  // namespace

SharedLimits::SharedLimits(store::pg::RateUsage& usage, store::pg::PgSingleUseLedger* ledger,
                           const core::Clock& clock)
    : usage_(usage), ledger_(ledger), clock_(clock) {}

SharedLimits::~SharedLimits() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SharedLimits::share(std::string name, core::TokenBuckets& buckets) {
  shared_.push_back({std::move(name), [&buckets] { return buckets.take_usage(); },
                     [&buckets](std::string_view k, double n, std::int64_t t) { buckets.debit(k, n, t); }, {}});
}

void SharedLimits::share(std::string name, oauth::IntrospectionScanLimit& scans) {
  shared_.push_back({std::move(name), [&scans] { return scans.take_usage(); },
                     [&scans](std::string_view k, double n, std::int64_t t) { scans.debit(k, n, t); }, {}});
}

void SharedLimits::start(std::chrono::milliseconds every) {
  thread_ = std::thread([this, every] { run(every); });
}

void SharedLimits::run(std::chrono::milliseconds every) {
  std::int64_t last_prune_ms = 0;
  std::unique_lock lk(mu_);
  while (!cv_.wait_for(lk, every, [this] { return stop_; })) {
    lk.unlock();
    auto now_ms = core::epoch_ms(clock_.now());
    sync_once(now_ms);
    if (now_ms - last_prune_ms >= kMinuteMs) {
      prune_once(now_ms);
      last_prune_ms = now_ms;
    }
    lk.lock();
  }
}

bool SharedLimits::sync_once(std::int64_t now_ms) {
  const std::int64_t window = now_ms / kMinuteMs;
  // name '\n' key → the tracked entry; keys used in an earlier window are forgotten.
  std::vector<std::pair<std::string, std::int64_t>> usage;
  std::unordered_map<std::string, std::pair<Shared*, std::string>> by_row;
  for (auto& s : shared_) {
    for (auto& [key, n] : s.take_usage()) {
      auto& t = s.keys[key];
      if (t.window != window) t = Tracked{window, 0, 0};
      t.pending += n;
    }
    std::erase_if(s.keys, [&](const auto& kv) { return kv.second.window != window; });
    for (auto& [key, t] : s.keys) {
      auto row = s.name + '\n' + key;
      usage.emplace_back(row, t.pending);  // 0: only reads the others' use
      by_row.emplace(std::move(row), std::pair{&s, key});
    }
  }
  if (usage.empty()) return true;
  auto totals = usage_.add(window, std::move(usage));
  if (!totals) {
    spdlog::debug("shared rate limits: cannot add usage error=\"{}\"", totals.error().message());
    return false;
  }
  for (auto& [row, total] : *totals) {
    auto it = by_row.find(row);
    if (it == by_row.end()) continue;
    auto& [s, key] = it->second;
    auto& t = s->keys[key];
    // What the other nodes took since the last round: the total's growth beyond our own.
    auto others = total - t.seen - t.pending;
    if (others > 0) s->debit(key, double(others), now_ms);
    t.seen = total;
    t.pending = 0;
  }
  return true;
}

void SharedLimits::prune_once(std::int64_t now_ms) {
  if (ledger_)
    if (auto r = ledger_->prune(now_ms / 1000); !r)
      spdlog::warn("single-use ledger pruning failed error=\"{}\"", r.error().message());
  if (auto r = usage_.prune(now_ms / kMinuteMs - 1); !r)
    spdlog::warn("shared rate limits pruning failed error=\"{}\"", r.error().message());
}

}  // namespace gh::server
