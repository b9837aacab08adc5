#pragma once
// Pruning of revoked access tokens (issue 20): a `revoked_token` document (docs/oauth-documents.md;
// id = jti, parent = client_id, body {exp}) is needed only while its token could still pass the
// verifier's expiry check; after that the token is refused as expired anyway, and the record goes.
#include <cstddef>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "model/org_model.hpp"
#include "store/store.hpp"

namespace gh::oauth {

// Deletes the `revoked_token` documents of `org` whose token expired (now >= exp + the verifier's
// largest clock skew), durably then from the model (model::commit_and_apply), at most
// kMaxPrunedPerRun per call so that one run holds the writer only briefly; the rest go on the
// next run. No System Log event: the revocation was recorded when it happened. Runs on the writer
// thread (a background job; never on an I/O thread). Returns how many were deleted, or the
// store's error (then nothing is applied).
inline constexpr std::size_t kMaxPrunedPerRun = 1000;
gh::Result<std::size_t> prune_revoked_tokens(store::Store& store, model::OrgModel& org, const core::Clock& clock);

}  // namespace gh::oauth
