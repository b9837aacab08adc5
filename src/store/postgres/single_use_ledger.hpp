#pragma once
// PostgreSQL's shared state of many nodes (issue 18): the single-use ledger (table single_use,
// migration 0002) and the rate-limit usage counters (table rate_usage). Each object holds its
// own connection under its own mutex, apart from PgStore's (the writer's), so a claim never
// waits behind a commit. Blocking: called on the server's outbound lane and the shared-limits
// thread only, never on an I/O thread.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "store/single_use.hpp"

namespace gh::store::pg {

class PgSingleUseLedger : public SingleUseLedger {
 public:
  // Deletes the rows that expired before `now` (epoch seconds): the background job, never the
  // request path. Returns how many.
  virtual gh::Result<std::int64_t> prune(std::int64_t now) = 0;
};

// Connects to `url` (migrated by open_postgres_store). Throws std::runtime_error (without the
// password) when it cannot.
std::unique_ptr<PgSingleUseLedger> open_single_use_ledger(const std::string& url);

class RateUsage {
 public:
  virtual ~RateUsage() = default;
  // Adds each (key, used) to the cluster's count of `window` (epoch minutes) and returns every
  // key's total after the addition (order unspecified). A used of 0 only reads the total.
  virtual gh::Result<std::vector<std::pair<std::string, std::int64_t>>> add(
      std::int64_t window, std::vector<std::pair<std::string, std::int64_t>> usage) = 0;
  // Forgets the windows before `window`.
  virtual gh::Result<void> prune(std::int64_t window) = 0;
};

std::unique_ptr<RateUsage> open_rate_usage(const std::string& url);

}  // namespace gh::store::pg
