#pragma once
// User lifecycle transitions, as Okta's management API describes them (okta-compat.md §5 User).
#include <optional>

#include "domain/types.hpp"

namespace gh::domain {

enum class LifecycleOp { activate, reactivate, deactivate, suspend, unsuspend };

// The status after `op`, or nullopt when Okta does not allow the transition (→ 400 E0000001).
// `has_password` decides ACTIVE vs PROVISIONED on activation.
std::optional<UserStatus> transition(UserStatus from, LifecycleOp op, bool has_password);

}  // namespace gh::domain
