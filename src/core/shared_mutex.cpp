#include "core/shared_mutex.hpp"

#if GH_LOCK_CHECKS
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace gh::core::lock_checks {
namespace {
std::vector<const void*>& held() {
  thread_local std::vector<const void*> h;
  return h;
}
}  // namespace

void acquiring(const void* m) noexcept {
  auto& h = held();
  if (std::find(h.begin(), h.end(), m) == h.end()) return;
  // With writer preference a second shared acquisition waits behind a waiting writer, which
  // waits for this thread's first: a deadlock that only shows under load. Fail at once.
  std::fputs("gatehouse: a thread takes a core::SharedMutex it already holds (recursive locking)\n", stderr);
  std::abort();
}

void acquired(const void* m) noexcept { held().push_back(m); }

void released(const void* m) noexcept {
  auto& h = held();
  if (auto it = std::find(h.begin(), h.end(), m); it != h.end()) h.erase(it);
}

}  // namespace gh::core::lock_checks
#endif
