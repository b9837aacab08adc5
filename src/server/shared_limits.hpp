#pragma once
// Rate limits across many nodes on one PostgreSQL (issue 18: "approximately is fine for
// limits"; okta-compat.md §11.30, §11.31). Each node keeps deciding from its own in-memory
// buckets (core::TokenBuckets; no request ever waits on PostgreSQL for a limit). Once a second a
// thread of its own adds, per key and one-minute window, what this node took to the cluster's
// count (table rate_usage) and reads the total back; what the other nodes took since the last
// round is then removed from this node's bucket (TokenBuckets::debit). A node's remaining
// allowance so reflects every node's use, about one second late. The same thread prunes expired
// rows of the single-use ledger and old windows once a minute. PostgreSQL unreachable: the
// usage waits and is added later; meanwhile each node limits on its own. The introspection
// scanning windows (oauth::IntrospectionScanLimit, §11.32) are shared the same way: their usage
// is the inactive answers, and the others' answers are added to this node's window.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/token_bucket.hpp"
#include "oauth/introspection/scan_limit.hpp"
#include "store/postgres/single_use_ledger.hpp"

namespace gh::server {

class SharedLimits {
 public:
  // `ledger` may be null (nothing to prune).
  SharedLimits(store::pg::RateUsage& usage, store::pg::PgSingleUseLedger* ledger, const core::Clock& clock);
  ~SharedLimits();  // stops the thread
  SharedLimits(const SharedLimits&) = delete;
  SharedLimits& operator=(const SharedLimits&) = delete;

  // Shares `buckets` under the name `name` (the same name on every node). Before start().
  void share(std::string name, core::TokenBuckets& buckets);
  void share(std::string name, oauth::IntrospectionScanLimit& scans);
  // Runs sync_once() every `every` and the pruning every minute, on a thread of its own.
  void start(std::chrono::milliseconds every = std::chrono::seconds(1));
  // One round: adds this node's use since the last round, debits the others'. False when
  // PostgreSQL could not be reached (the use is kept for the next round).
  bool sync_once(std::int64_t now_ms);
  void prune_once(std::int64_t now_ms);

 private:
  struct Tracked {
    std::int64_t window = 0;   // epoch minutes
    std::int64_t seen = 0;     // the cluster's total of the window at the last round
    std::int64_t pending = 0;  // this node's use not added yet
  };
  struct Shared {
    std::string name;
    // What this node used per key since the last call, and removing what the others used.
    std::function<std::vector<std::pair<std::string, std::uint32_t>>()> take_usage;
    std::function<void(std::string_view key, double n, std::int64_t now_ms)> debit;
    std::unordered_map<std::string, Tracked> keys;  // keys this node used in the window
  };
  void run(std::chrono::milliseconds every);

  store::pg::RateUsage& usage_;
  store::pg::PgSingleUseLedger* ledger_;
  const core::Clock& clock_;
  std::vector<Shared> shared_;
  std::mutex mu_;  // stop_ and the thread's wait
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace gh::server
