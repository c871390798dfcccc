// The one write path for every item change (PutItem, UpdateItem, DeleteItem, BatchWriteItem;
// transactions, PartiQL and TTL deletes later):
//
//   lock the item's key (and its counter stripe) through Engine::transact
//   -> read the old item (fresh, under the lock)
//   -> the caller's step decides from the old item: put a new item, delete, leave it, or fail
//      (conditions are evaluated here: ConditionExpression / Expected plug into the step)
//   -> index changes as a function of (old image, new image) (index_entries.h)
//   -> counters (counters.h)
//   -> the change-capture hook (change_capture.h), into the same batch
//   -> commit, fsynced with --sync-writes.
//
// Writes to different items run in parallel (they share a lock stripe only by chance);
// readers never wait. A write that changes nothing writes nothing but is still shown to the
// change-capture hook as ChangeKind::kNone.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "aws/error.h"
#include "dynamodb/items/change_capture.h"
#include "dynamodb/items/index_entries.h"
#include "dynamodb/tables/table.h"
#include "dynamodb/values/attribute_value.h"
#include "storage/engine.h"

namespace trib::dynamodb::items {

// AWS's limit on an item collection of a table with a local index (facts §4, §13).
inline constexpr uint64_t kItemCollectionLimitBytes = 10ULL << 30;

// What the caller's step decided.
struct WriteDecision {
  enum class Action : uint8_t { kPut, kDelete, kKeep };
  Action action = Action::kKeep;
  Item item;  // kPut: the new item (its key attributes must be the write's key)

  static WriteDecision put(Item item) { return {Action::kPut, std::move(item)}; }
  static WriteDecision remove() { return {Action::kDelete, {}}; }
  static WriteDecision keep() { return {Action::kKeep, {}}; }
};

// Given the current item (nullopt when absent), decide. An error (a failed condition:
// ConditionalCheckFailedException, with the old item if asked) aborts the write and is
// returned as is. May run more than once on an optimistic engine: no side effects.
using WriteStep = std::function<aws::AwsResult<WriteDecision>(const std::optional<Item>& old_item)>;

// Per-index capacity of a write (facts §12), for ReturnConsumedCapacity INDEXES.
struct IndexUnits {
  const SecondaryIndex* index = nullptr;
  double units = 0;
};

struct WriteOutcome {
  std::optional<Item> old_item;
  std::optional<Item> new_item;
  ChangeKind kind = ChangeKind::kNone;
  size_t old_size = 0;  // item_size of the old item (0 when absent)
  size_t new_size = 0;
  std::vector<IndexUnits> index_units;  // indexes written (units > 0), in table order
  // Tables with a local index: the size of the item's collection after the write (its
  // partition key's items plus their local index entries, facts §13).
  std::optional<uint64_t> collection_bytes;
  // Write units of the table itself: ⌈larger of old and new size / 1 KB⌉, at least 1.
  double table_units() const;
  double total_units() const;
};

struct WritePath {
  storage::Engine& engine;
  bool sync_writes = false;
  ChangeCapture* change_capture = nullptr;  // a ChangeCaptureList (streams, destination)
  // A write that grows an item collection past this fails with
  // ItemCollectionSizeLimitExceededException (facts §13: 10 GB).
  uint64_t item_collection_limit_bytes = kItemCollectionLimitBytes;

  // Writes the item whose key attributes are `key` (checked against the schema by the
  // caller) in `table`. Errors: the step's, or InternalServerError when storage fails.
  // `origin` is passed to the change-capture hook (a TTL delete is shown as the service's).
  aws::AwsResult<WriteOutcome> write(const Table& table, const Item& key, const WriteStep& step,
                                     int64_t now_ms,
                                     WriteOrigin origin = WriteOrigin::kRequest) const;
};

}  // namespace trib::dynamodb::items
