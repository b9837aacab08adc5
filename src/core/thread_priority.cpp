#include "core/thread_priority.hpp"

#include <sys/resource.h>
#include <unistd.h>

namespace gh::core {

bool set_this_thread_nice(int nice) {
  return setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) == 0;
}

}  // namespace gh::core
