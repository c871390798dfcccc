#include "util/clock.h"

#include <chrono>

namespace trib {

int64_t Clock::now_ms() const {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() +
         offset_ms_.load(std::memory_order_relaxed);
}

void Clock::advance_ms(int64_t delta_ms) {
  if (delta_ms > 0) offset_ms_.fetch_add(delta_ms, std::memory_order_relaxed);
}

}  // namespace trib
