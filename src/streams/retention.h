// Retention, shared by every stream kind: records older than the retention period are hidden
// by reads at once and deleted later by housekeeping; a closed shard whose every record is past
// retention expires (left out of listings, not readable, then deleted). Each service states its
// rule (RetentionRule: Kinesis: the stream's RetentionPeriodHours, 24 to 8760; DynamoDB Streams:
// 24 hours, [V] facts §2) and deletes from its own storage.
#pragma once

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <vector>

#include "streams/shard_map.h"

namespace trib::streams {

inline constexpr int64_t kHourMs = 3'600'000;

// The arrival time before which records are past retention at `now_ms`: `period_ms` back from
// now, or `expired_before_ms` when that is later (Kinesis: a retention increase never brings
// back records that had already expired).
constexpr int64_t retention_cutoff_ms(int64_t now_ms, int64_t period_ms,
                                      int64_t expired_before_ms = 0) {
  return std::max(now_ms - period_ms, expired_before_ms);
}

// Whether a closed shard whose newest possible record arrived at `last_arrival_ms` holds
// nothing within retention at `cutoff_ms`.
constexpr bool shard_past_retention(int64_t last_arrival_ms, int64_t cutoff_ms) {
  return last_arrival_ms < cutoff_ms;
}

// A service's retention constants.
struct RetentionRule {
  int64_t period_ms = 24 * kHourMs;
  // Whether a record can arrive in the millisecond its shard closes. Kinesis: yes (a reshard
  // closes its parents at the switch time, and an append of that millisecond may still land in
  // a parent). DynamoDB Streams: no, a shard's newest record arrived before the millisecond it
  // closed (a rollover's child takes that millisecond's writes).
  bool closing_ms_holds_records = true;

  constexpr int64_t cutoff_ms(int64_t now_ms, int64_t expired_before_ms = 0) const {
    return retention_cutoff_ms(now_ms, period_ms, expired_before_ms);
  }
  // Whether a shard closed at `closed_ms` holds nothing within retention at `cutoff_ms`.
  constexpr bool closed_shard_expired(int64_t closed_ms, int64_t cutoff_ms) const {
    return shard_past_retention(closing_ms_holds_records ? closed_ms : closed_ms - 1, cutoff_ms);
  }
  constexpr bool shard_expired(const Shard& shard, int64_t cutoff_ms) const {
    return shard.closed_ms && closed_shard_expired(*shard.closed_ms, cutoff_ms);
  }
};

// One housekeeping pass over a stored shard list (a service that keeps its shards as a list,
// as Kinesis does) at `cutoff_ms`: every closed shard past retention goes to `drop` (its records
// deleted whole) and is returned, every other shard to `trim` (its records before the cut-off
// deleted). The caller then removes the returned shards from its stored list: records first,
// so a crash in between leaves an expired (hidden) shard without records, which the next pass
// removes. Shard indexes stay unique: the newest shard of a stream is never one that expires
// before it (children are created after their parents).
template <typename ShardType, typename Drop, typename Trim>
std::vector<uint32_t> retention_pass(const std::vector<ShardType>& shards,
                                     const RetentionRule& rule, int64_t cutoff_ms, Drop&& drop,
                                     Trim&& trim) {
  std::vector<uint32_t> expired;
  for (const ShardType& shard : shards) {
    if (rule.shard_expired(shard, cutoff_ms)) {
      expired.push_back(shard.index);
      drop(shard);
    } else {
      trim(shard);
    }
  }
  return expired;
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
