// Range reads of the items keyspace (Query, Scan): an iterator over one key range of a table or
// index, forward or backward, after an exclusive start key, stopping at Limit items evaluated
// or once 1 MB has been read (facts §10, counted before any filter). No locks: the iterator
// reads a consistent snapshot and never blocks writers.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "aws/error.h"
#include "dynamodb/tables/table.h"
#include "dynamodb/values/attribute_value.h"
#include "storage/engine.h"

namespace trib::dynamodb::items {

// AWS stops a Query or Scan page once 1 MB of items has been read (facts §10) [V]; the item
// that crosses the limit is included (whether AWS includes it is open, facts §10 [U]).
inline constexpr size_t kMaxPageBytes = 1024 * 1024;

struct RangeRead {
  std::string lower;  // the range [lower, upper) of storage keys
  std::string upper;
  bool forward = true;
  std::optional<std::string> exclusive_start;  // a storage key: start strictly after it
  size_t limit = 0;                            // items evaluated; 0 = no limit
};

struct RangeReadResult {
  size_t scanned = 0;  // items evaluated (ScannedCount)
  size_t bytes = 0;    // their summed sizes (facts §12: one rounding for the whole read)
  // The last item evaluated when the page stopped at Limit or 1 MB (LastEvaluatedKey), nullopt
  // when the range was read to its end.
  std::optional<Item> last;
};

// Calls `visit` with each item evaluated (decoded from the stored value: the item, or an index
// entry's projected item) in order; `visit` may move from it.
aws::AwsResult<RangeReadResult> read_range(storage::Engine& engine, const Table& table,
                                           const RangeRead& read,
                                           const std::function<void(Item&)>& visit);

// The same read for a page that returns every item evaluated as it is stored (no filter, no
// projection): each item is appended to `items` (a list) as stored_item_to_wire, its JSON
// written straight from its encoding without decoding it (append_item_json; an item that
// function refuses is decoded instead). Query's cost per item, bench/README.md "Session 10".
aws::AwsResult<RangeReadResult> read_range_to_wire(storage::Engine& engine, const Table& table,
                                                   const RangeRead& read, aws::Value& items);

// The storage-key range of one partition of the table (index_id 0) or of an index:
// table | u32 index id | u64 hash(pk) | pk.
std::string partition_prefix(const Table& table, uint32_t index_id, const AttributeValue& hash);

// The hash range [i·2^64/n, (i+1)·2^64/n) of Scan segment i of n (item_codec.h) as storage
// keys of a table's or index's range.
std::pair<std::string, std::string> segment_range(const Table& table, uint32_t index_id,
                                                  uint64_t segment, uint64_t total_segments);

}  // namespace trib::dynamodb::items
