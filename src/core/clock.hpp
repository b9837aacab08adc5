#pragma once
// Time is injected (STYLE.md §4.3): everything that reads the time takes a Clock.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace gh::core {

using SysTime = std::chrono::sys_time<std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual SysTime now() const = 0;
};

class SystemClock final : public Clock {
 public:
  SysTime now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }
};

// For tests: a clock that moves only when told. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(SysTime t) : ms_(t.time_since_epoch().count()) {}
  SysTime now() const override { return SysTime{std::chrono::milliseconds{ms_.load()}}; }
  void advance(std::chrono::milliseconds d) { ms_ += d.count(); }
  void set(SysTime t) { ms_ = t.time_since_epoch().count(); }

 private:
  std::atomic<std::int64_t> ms_;
};

inline std::int64_t epoch_ms(SysTime t) { return t.time_since_epoch().count(); }
inline SysTime from_epoch_ms(std::int64_t ms) { return SysTime{std::chrono::milliseconds{ms}}; }

}  // namespace gh::core
