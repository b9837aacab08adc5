#include "model/commit.hpp"

#include <mutex>

namespace gh::model {
namespace {
CommitObserver g_observer = nullptr;  // written before the threads that commit start
void* g_observer_context = nullptr;
}  // namespace

void set_commit_observer(CommitObserver observer, void* context) noexcept {
  g_observer = observer;
  g_observer_context = context;
}

Result<void> commit_and_apply(store::Store& store, OrgModel& org, const store::ChangeSet& changes,
                              std::shared_lock<core::SharedMutex>* held) {
  auto started = g_observer ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  auto r = store.commit(org.id(), changes);
  if (g_observer) g_observer(g_observer_context, std::chrono::steady_clock::now() - started, r.has_value());
  if (!r) return r;
  if (held) held->unlock();
  {
    std::unique_lock wl(org.mutex());
    org.apply(changes);
  }
  if (held) held->lock();
  return {};
}

}  // namespace gh::model
