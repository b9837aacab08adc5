#pragma once
// System Log retention (config [system_log] retention_days): events older than the window are
// deleted in the background in small batches, so that no single write holds the database long.
#include <chrono>
#include <cstddef>

#include "core/clock.hpp"
#include "store/store.hpp"

namespace gh::store {

class EventRetention {
 public:
  EventRetention(Store& store, const core::Clock& clock, std::chrono::milliseconds retention,
                 std::size_t batch_rows = 1000, std::size_t max_batches = 10)
      : store_(store), clock_(clock), retention_(retention), batch_rows_(batch_rows), max_batches_(max_batches) {}

  // Deletes events published before now − retention: at most max_batches transactions of at most
  // batch_rows each. Returns how many were deleted. Runs on the writer thread.
  Result<std::size_t> prune_once();

 private:
  Store& store_;
  const core::Clock& clock_;
  std::chrono::milliseconds retention_;
  std::size_t batch_rows_, max_batches_;
};

}  // namespace gh::store
