// ItemCount and size in bytes of a table and of each of its indexes, kept current by the write
// path and persisted in the same atomic batch as the item (docs/storage-encoding.md, "DynamoDB
// items": counter stripes).
//
// A table's counts are spread over kCounterStripes keys; a write updates the stripe chosen by
// the top bits of its item's partition-key hash, so writes to different partitions rarely
// share a counter key (no hot key serialising a table's writes), and a stripe covers one
// contiguous range of partition hashes: the same range a hash-partitioned backend would keep
// the item in (DESIGN.md scale-out rule 1). Readers sum the stripes.
//
// Each stripe is further split into kCounterSubStripes keys, one per writing thread (a
// thread's sub-stripe is fixed when it first writes): any key of a stripe may take any delta
// of that stripe, since only sums are read, and a thread runs one transaction at a time, so
// two threads writing to one partition (or to partitions sharing a stripe) do not wait for
// each other's counter lock. Sub-stripe 0 is the stripe's own key, the only one before
// sub-stripes existed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamodb/tables/table.h"
#include "dynamodb/values/attribute_value.h"
#include "storage/engine.h"

namespace trib::dynamodb::items {

inline constexpr int kCounterStripeBits = 6;
inline constexpr int kCounterStripes = 1 << kCounterStripeBits;  // 64

struct Counts {
  int64_t items = 0;
  int64_t bytes = 0;
  friend bool operator==(const Counts&, const Counts&) = default;
};
// By index id (items::kBaseTableIndexId for the table itself).
using CountsByIndex = std::map<uint32_t, Counts>;

// The stripe of an item with this partition-key hash.
inline int counter_stripe(uint64_t partition_hash) {
  return static_cast<int>(partition_hash >> (64 - kCounterStripeBits));
}
inline constexpr int kCounterSubStripes = 16;
// The counter key of (stripe, sub_stripe): sub-stripe 0 is the stripe's key; others append
// the sub-stripe's number, so every counter key of a table shares one prefix.
std::string counter_stripe_key(uint64_t table_id, int stripe, int sub_stripe = 0);
// The calling thread's sub-stripe (threads take 0, 1, ... in the order they first ask, modulo
// kCounterSubStripes).
int counter_sub_stripe();

// A stripe's value: (u32 index id | i64 items | i64 bytes)*, big-endian, by index id; entries
// at zero are dropped. nullopt when `bytes` is not such a value.
std::string encode_counts(const CountsByIndex& counts);
std::optional<CountsByIndex> decode_counts(std::string_view bytes);

// Adds `delta` to `counts` (entries reaching zero are dropped).
void add_counts(CountsByIndex& counts, const CountsByIndex& delta);

// Adds `delta` to the counter stripe `stripe_key` inside `txn` (which must lock it): one read
// of the committed value, one put (or delete when every count is back to zero). A
// transaction's reads do not see its own staged writes, so a caller writing several items
// of one stripe sums their deltas first and calls this once per stripe.
storage::Status add_to_stripe(storage::Transaction& txn, const std::string& stripe_key,
                              const CountsByIndex& delta);

// The table's counts: every stripe summed (a consistent snapshot of them).
storage::Status read_counts(storage::Engine& engine, uint64_t table_id, CountsByIndex* out);
// Every counter key of the table stored now (every stripe and sub-stripe that holds counts).
storage::Status counter_keys(storage::Engine& engine, uint64_t table_id,
                             std::vector<std::string>* out);

// Item collections (tables with a local index, facts §13): the bytes of the items with one
// partition-key value plus their local index entries, one key per partition-key value,
// updated in the item's batch. Value: u64 bytes, big-endian; absent = 0.
std::string collection_size_key(const Table& table, const AttributeValue& partition_key);
std::string encode_collection_size(uint64_t bytes);
std::optional<uint64_t> decode_collection_size(std::string_view bytes);

}  // namespace trib::dynamodb::items
