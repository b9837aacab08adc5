#pragma once
// A writer-preferring reader-writer lock (the orgs' and the Directory's mutex). glibc's
// std::shared_mutex prefers readers: under a continuous overlapping read load the writer lane's
// exclusive apply could wait forever. This one is a pthread_rwlock_t of kind
// PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP: once a writer waits, new shared acquisitions
// wait behind it, so the writer gets the lock as soon as the current readers leave.
// Meets the SharedMutex requirements: std::shared_lock and std::unique_lock work on it.
//
// The price: a thread must never take the same mutex shared twice (recursive shared locking
// deadlocks when a writer waits in between; docs/architecture.md "The orgs' lock"). Debug and
// sanitizer builds check it (a thread-local list of the mutexes the thread holds; abort on a
// second acquisition); in Release builds the check does not exist.
#include <pthread.h>

#include <cerrno>
#include <system_error>

// GH_LOCK_CHECKS: set by CMake for Debug builds, and on here under ASan or TSan.
#if !defined(GH_LOCK_CHECKS)
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GH_LOCK_CHECKS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GH_LOCK_CHECKS 1
#endif
#endif
#endif

namespace gh::core {

namespace lock_checks {
#if GH_LOCK_CHECKS
// Aborts when this thread already holds `m` (shared or exclusive); otherwise remembers it.
void acquiring(const void* m) noexcept;
void acquired(const void* m) noexcept;
void released(const void* m) noexcept;
#else
inline void acquiring(const void*) noexcept {}
inline void acquired(const void*) noexcept {}
inline void released(const void*) noexcept {}
#endif
}  // namespace lock_checks

class SharedMutex {
 public:
  SharedMutex() {
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    int r = pthread_rwlock_init(&rw_, &attr);
    pthread_rwlockattr_destroy(&attr);
    if (r != 0) throw std::system_error(r, std::generic_category(), "pthread_rwlock_init");
  }
  ~SharedMutex() { pthread_rwlock_destroy(&rw_); }
  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;

  void lock() {
    lock_checks::acquiring(this);
    check(pthread_rwlock_wrlock(&rw_));
    lock_checks::acquired(this);
  }
  bool try_lock() {
    lock_checks::acquiring(this);
    bool got = pthread_rwlock_trywrlock(&rw_) == 0;
    if (got) lock_checks::acquired(this);
    return got;
  }
  void unlock() {
    lock_checks::released(this);
    pthread_rwlock_unlock(&rw_);
  }
  void lock_shared() {
    lock_checks::acquiring(this);
    int r;
    do r = pthread_rwlock_rdlock(&rw_);
    while (r == EAGAIN);  // the most readers at once (as libstdc++'s shared_mutex)
    check(r);
    lock_checks::acquired(this);
  }
  bool try_lock_shared() {
    lock_checks::acquiring(this);
    bool got = pthread_rwlock_tryrdlock(&rw_) == 0;
    if (got) lock_checks::acquired(this);
    return got;
  }
  void unlock_shared() { unlock(); }

  pthread_rwlock_t* native_handle() { return &rw_; }

 private:
  static void check(int r) {
    if (r != 0) throw std::system_error(r, std::generic_category(), "pthread_rwlock");  // EDEADLK
  }
  pthread_rwlock_t rw_;
};

}  // namespace gh::core
