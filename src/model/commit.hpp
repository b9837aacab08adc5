#pragma once
// "Durable first, then visible": the one way a request or a job changes an org.
#include <chrono>
#include <shared_mutex>

#include "core/result.hpp"
#include "model/org_model.hpp"
#include "store/store.hpp"

namespace gh::model {

// Commits `changes` to `store` in one transaction, then applies them to `org` under its
// exclusive lock (read-your-writes). On failure nothing is applied and the store's error is
// returned. Call it on the writer thread only: it is the only thread that changes a model, so
// what the caller checked under a shared lock still holds when the exclusive lock is taken.
// `held` is the caller's shared lock on org.mutex(), or null when it holds none; it is released
// for the apply and held again on return.
Result<void> commit_and_apply(store::Store& store, OrgModel& org, const store::ChangeSet& changes,
                              std::shared_lock<core::SharedMutex>* held = nullptr);

// Observes the duration and outcome of every store commit of commit_and_apply (the store latency
// of server/metrics). Set at start-up before any request, and cleared (nullptr) before `context`
// goes away; none by default.
using CommitObserver = void (*)(void* context, std::chrono::nanoseconds took, bool ok);
void set_commit_observer(CommitObserver observer, void* context) noexcept;

}  // namespace gh::model
