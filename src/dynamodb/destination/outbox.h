// The Kinesis streaming destination's outbox: a ChangeCapture consumer that writes, for every
// item change of a table with a capturing destination (KinesisDestination::captures_at), the
// destination record into the item's own batch, so it commits atomically with the item; the
// delivery job (delivery.h) moves entries into the Kinesis record log with their removal in one
// batch. Layout (docs/storage-encoding.md, "Kinesis destination outbox"):
//
//   u64 table | u32 fffffffd | u8 stripe | u64 sequence
//     -> 01 | u16 arn length | stream arn | 32-byte partition key | record JSON
//
// `stripe` is the item's counter stripe (its partition), `sequence` a per-table counter taken
// under the item's lock: one item's entries are in write order. The write also locks the
// stripe (lock_keys), so within one stripe sequences commit in increasing order: an entry
// never appears below one the delivery job has already seen, which lets delivery resume each
// stripe after the last sequence it delivered instead of walking the deleted entries (RocksDB
// tombstones) from the start of the outbox on every pass.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamodb/items/change_capture.h"
#include "dynamodb/items/counters.h"
#include "storage/engine.h"

namespace trib::dynamodb::destination {

class Delivery;

struct OutboxEntry {
  std::string_view stream_arn;
  std::string_view partition_key;
  std::string_view data;  // the record JSON
};

// The outbox keys of one table: [begin, end).
std::string outbox_begin(uint64_t table_id);
std::string outbox_end(uint64_t table_id);
// The key of an entry (stripe < items::kCounterStripes; stripe kCounterStripes with sequence 0
// is past the last stripe, still below outbox_end).
std::string outbox_key(uint64_t table_id, int stripe, uint64_t sequence);
// The stripe and sequence of an outbox key of this table; false when it is not one.
bool decode_outbox_key(uint64_t table_id, std::string_view key, int* stripe, uint64_t* sequence);
std::string encode_outbox_entry(const OutboxEntry& entry);
// nullopt when `value` is not an entry (views into `value`).
std::optional<OutboxEntry> decode_outbox_entry(std::string_view value);

class Outbox final : public items::ChangeCapture {
 public:
  Outbox(storage::Engine& engine, Delivery& delivery) : engine_(engine), delivery_(delivery) {}
  storage::Status capture(const items::ItemChange& change, storage::Transaction& txn) override;
  // The item's counter stripe, for a table with a destination (see the layout above).
  void lock_keys(const Table& table, uint64_t partition_hash,
                 std::vector<std::string>& keys) const override;
  // Publishes (committed) or abandons the records this thread's write appended directly.
  void finished(bool committed) override;
  void committed(const Table& table) override;
  // The table incarnation was purged: what is kept for it in memory is dropped.
  void forget(uint64_t table_id);

 private:
  struct TableState {
    uint64_t next_sequence = 0;
    // Per stripe, one past the highest sequence written to the outbox (0: none since the
    // start and none stored): set before the entry commits, under the stripe's lock.
    std::array<uint64_t, items::kCounterStripes> stripe_end{};
  };
  // A table's state, read from storage on first use (called with mutex_ held).
  storage::Status table_state(uint64_t table_id, TableState** out);
  // The next sequence of a table's outbox, for an entry of `stripe`.
  storage::Status next_sequence(uint64_t table_id, int stripe, uint64_t* sequence);
  // Whether delivery has passed every outbox entry of the stripe (the direct path is open).
  bool stripe_delivered(uint64_t table_id, int stripe);

  storage::Engine& engine_;
  Delivery& delivery_;
  std::mutex mutex_;
  std::map<uint64_t, TableState> tables_;  // by table incarnation
};

}  // namespace trib::dynamodb::destination
