// Retention, shared by every stream kind: records older than the retention period are hidden
// by reads at once and deleted later by housekeeping; a closed shard whose every record is past
// retention expires (left out of listings, not readable, then deleted). Each service states its
// period (Kinesis: the stream's RetentionPeriodHours, 24 to 8760; DynamoDB Streams: 24 hours,
// [V] facts §2) and deletes from its own storage.
#pragma once

#include <algorithm>
#include <cstdint>
#include <mutex>

namespace trib::streams {

inline constexpr int64_t kHourMs = 3'600'000;

// The arrival time before which records are past retention at `now_ms`: `period_ms` back from
// now, or `expired_before_ms` when that is later (Kinesis: a retention increase never brings
// back records that had already expired).
inline int64_t retention_cutoff_ms(int64_t now_ms, int64_t period_ms,
                                   int64_t expired_before_ms = 0) {
  return std::max(now_ms - period_ms, expired_before_ms);
}

// Whether a closed shard whose newest possible record arrived at `last_arrival_ms` holds
// nothing within retention at `cutoff_ms`.
inline bool shard_past_retention(int64_t last_arrival_ms, int64_t cutoff_ms) {
  return last_arrival_ms < cutoff_ms;
}

// The cadence of retention housekeeping (deleting what reads already hide): at most one pass a
// second. Thread-safe.
class HousekeepingCadence {
 public:
  static constexpr int64_t kIntervalMs = 1000;
  // Whether a pass is due at `now_ms`; when it is, the pass counts as started now.
  bool start_if_due(int64_t now_ms) {
    std::lock_guard lock(mutex_);
    if (now_ms - last_ms_ < kIntervalMs) return false;
    last_ms_ = now_ms;
    return true;
  }

 private:
  std::mutex mutex_;
  int64_t last_ms_ = 0;
};

}  // namespace trib::streams
