#pragma once
// lastUsed of API tokens lives in memory and is flushed in batches, never a write per request
// (issue #2; DESIGN.md). Thread-safe.
#include <mutex>
#include <vector>

#include "store/store.hpp"

namespace gh::api {

class TokenUseTracker {
 public:
  void mark(core::OrgId org_id, std::string token_id, domain::Millis when);
  std::vector<store::TokenUse> take();
  // A batch whose write failed goes back for the next flush (the store keeps the later of two
  // times, so order does not matter); at most kMaxPending wait, the oldest beyond that dropped.
  void put_back(std::vector<store::TokenUse> batch);
  static constexpr std::size_t kMaxPending = 100'000;

 private:
  std::mutex mu_;
  std::vector<store::TokenUse> pending_;
};

}  // namespace gh::api
