// The Time to Live job: deletes expired items (expiry.h) of every table whose TTL is ENABLED.
// It runs on the DynamoDB service's lifecycle thread (tick() about every 100 ms) and never
// blocks the data path:
//
//   - incremental: each table has a cursor (the last storage key examined); a tick examines at
//     most --ttl-items-per-tick items over all tables, round-robin, from where it stopped, so a
//     tick never walks a whole table; a pass over a table starts again from its beginning
//     --ttl-sweep-interval-ms after the previous pass started (prompt deletion, not AWS's
//     "within a few days");
//   - reads take no locks (range_reads.h); each delete goes through the one write path with
//     WriteOrigin::kTimeToLive, so indexes, counters and change capture see it, and the
//     write step checks expiry again on the item as it is under its lock: an item updated since
//     it was read (a new TTL value, the attribute removed) is kept;
//   - everything follows the one clock, so tests expire items by moving the test clock.
//
// Cursors live in memory only: they are a cache of progress (a restart begins a new pass).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "dynamodb/context.h"
#include "dynamodb/items/write_path.h"

namespace trib::dynamodb::ttl {

// Deletes the item with key attributes `key` from `table` if it has expired at `now_ms` by the
// table's TTL attribute, deciding on the item as it is under its lock (an item updated since
// the job read it is kept). Through the one write path, as WriteOrigin::kTimeToLive. Returns
// whether it deleted.
bool delete_if_expired(const items::WritePath& write_path, const Table& table, const Item& key,
                       int64_t now_ms);

struct SweepStats {
  int64_t examined = 0;  // items read
  int64_t deleted = 0;   // items deleted
};

class Sweeper {
 public:
  explicit Sweeper(DynamoDbContext& context) : context_(context) {}
  // One bounded step of the job at `now_ms`. Lifecycle thread only.
  SweepStats tick(int64_t now_ms);
  // Everything deleted since start-up (for tests and the bench).
  const SweepStats& totals() const { return totals_; }

 private:
  struct Cursor {
    std::optional<std::string> after;  // the last storage key examined in the current pass
    int64_t pass_started_ms = 0;
    int64_t next_pass_ms = 0;  // when the next pass may start
  };
  // Examines up to `budget` items of `table` from its cursor; returns the items examined.
  int64_t sweep_table(const Table& table, Cursor& cursor, int64_t budget, int64_t now_ms,
                      SweepStats& stats);

  DynamoDbContext& context_;
  std::map<uint64_t, Cursor> cursors_;  // by table incarnation id
  uint64_t rotation_ = 0;               // which table a tick starts with
  SweepStats totals_;
};

}  // namespace trib::dynamodb::ttl
