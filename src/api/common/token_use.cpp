#include "api/common/token_use.hpp"

#include <cstddef>
#include <iterator>

namespace gh::api {

void TokenUseTracker::mark(core::OrgId org_id, std::string token_id, domain::Millis when) {
  std::lock_guard lk(mu_);
  pending_.push_back({std::move(org_id), std::move(token_id), when});
}

std::vector<store::TokenUse> TokenUseTracker::take() {
  std::lock_guard lk(mu_);
  return std::exchange(pending_, {});
}

void TokenUseTracker::put_back(std::vector<store::TokenUse> batch) {
  std::lock_guard lk(mu_);
  batch.insert(batch.end(), std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.end()));
  if (batch.size() > kMaxPending) batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(batch.size() - kMaxPending));
  pending_ = std::move(batch);
}

}  // namespace gh::api
