#include "model/commit.hpp"

#include <mutex>

namespace gh::model {

Result<void> commit_and_apply(store::Store& store, OrgModel& org, const store::ChangeSet& changes,
                              std::shared_lock<std::shared_mutex>* held) {
  if (auto r = store.commit(org.id(), changes); !r) return r;
  if (held) held->unlock();
  {
    std::unique_lock wl(org.mutex());
    org.apply(changes);
  }
  if (held) held->lock();
  return {};
}

}  // namespace gh::model
