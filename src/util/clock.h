// The one clock every time-based behaviour reads (lifecycle delays, retention, iterator expiry).
// Tests drive it by moving an offset forward instead of sleeping.
#pragma once

#include <atomic>
#include <cstdint>

namespace trib {

class Clock {
 public:
  // Milliseconds since the Unix epoch, as the server sees it (system time plus the test offset).
  int64_t now_ms() const;
  // Only used when the server runs with --test-clock: moves time forward (never backward).
  void advance_ms(int64_t delta_ms);
  int64_t offset_ms() const { return offset_ms_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> offset_ms_{0};
};

}  // namespace trib
