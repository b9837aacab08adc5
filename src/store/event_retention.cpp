#include "store/event_retention.hpp"

namespace gh::store {

Result<std::size_t> EventRetention::prune_once() {
  auto cutoff = core::epoch_ms(clock_.now()) - retention_.count();
  std::size_t total = 0;
  for (std::size_t i = 0; i < max_batches_; ++i) {
    auto n = store_.prune_events(cutoff, batch_rows_);
    if (!n) return n.error();
    total += *n;
    if (*n < batch_rows_) break;
  }
  return total;
}

}  // namespace gh::store
