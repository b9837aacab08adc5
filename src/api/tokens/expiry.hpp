#pragma once
// API tokens expire after `tokenWindow` unused (issue #2; okta-compat.md §5 ApiToken). The SSWS
// check refuses them at once; this background job then revokes them durably, each with a
// system.api_token.expire event in the same transaction (issue #4), so that an expiry is
// recorded exactly once.
#include <cstddef>

#include "api/common/context.hpp"

namespace gh::api {

// Revokes the tokens of `org` unused for longer than deps.limits.api_token_idle and applies the
// change to the model, at most 1000 per call. Runs on the writer thread (the only one that changes
// the model). Returns how many expired.
gh::Result<std::size_t> expire_idle_tokens(Deps& deps, model::OrgModel& org);

}  // namespace gh::api
