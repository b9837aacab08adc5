#include "api/common/token_use.hpp"

namespace gh::api {

void TokenUseTracker::mark(core::OrgId org_id, std::string token_id, domain::Millis when) {
  std::lock_guard lk(mu_);
  pending_.push_back({std::move(org_id), std::move(token_id), when});
}

std::vector<store::TokenUse> TokenUseTracker::take() {
  std::lock_guard lk(mu_);
  return std::exchange(pending_, {});
}

}  // namespace gh::api
