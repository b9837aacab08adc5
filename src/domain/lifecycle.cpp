#include "domain/lifecycle.hpp"

namespace gh::domain {

std::optional<UserStatus> transition(UserStatus from, LifecycleOp op, bool has_password) {
  using S = UserStatus;
  switch (op) {
    case LifecycleOp::activate:  // only STAGED or DEPROVISIONED users can be activated
      if (from == S::STAGED || from == S::DEPROVISIONED)
        return has_password ? S::ACTIVE : S::PROVISIONED;
      return std::nullopt;
    case LifecycleOp::reactivate:  // PROVISIONED users only
      if (from == S::PROVISIONED) return has_password ? S::ACTIVE : S::PROVISIONED;
      return std::nullopt;
    case LifecycleOp::deactivate:  // any status but DEPROVISIONED
      if (from == S::DEPROVISIONED) return std::nullopt;
      return S::DEPROVISIONED;
    case LifecycleOp::suspend:  // ACTIVE only
      if (from == S::ACTIVE) return S::SUSPENDED;
      return std::nullopt;
    case LifecycleOp::unsuspend:  // SUSPENDED only
      if (from == S::SUSPENDED) return S::ACTIVE;
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace gh::domain
