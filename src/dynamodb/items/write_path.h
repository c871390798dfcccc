// The one write path for every item change (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
// TransactWriteItems; PartiQL and TTL deletes later):
//
//   lock the items' keys (and their counter stripes) through ONE Engine::transact
//   -> read the old item (fresh, under the lock)
//   -> the caller's step decides from the old item: put a new item, delete, leave it, or fail
//      (conditions are evaluated here: ConditionExpression / Expected plug into the step)
//   -> index changes as a function of (old image, new image) (index_entries.h)
//   -> counters (counters.h); for tables with a local index, the item collection's size
//      (counters.h), checked against the collection limit
//   -> the change-capture hook (change_capture.h), into the same batch
//   -> commit, fsynced with --sync-writes
//   -> the hook's committed(table), once per table the write changed (wakes the Kinesis
//      destination's delivery job).
//
// Writes to different items run in parallel (they share a lock stripe only by chance);
// readers never wait. A write that changes nothing writes nothing but is still shown to the
// change-capture hook as ChangeKind::kNone.
//
// Several items (WritePath::write_items, for transactions) go through the same code in one
// Engine::transact: every item key, counter stripe and item collection size is locked before
// any item is read, the locks are taken in one global order (storage/key_locks.h: ascending
// lock stripe), so two transactions over overlapping items wait for each other in the same
// order and never deadlock; every step runs on its item's old image; if any step fails
// nothing is written; then the changes of each item collection are summed (two items of one
// collection both count) and a collection grown past the limit fails the writes that grew it,
// again writing nothing; otherwise all items, index entries, counters, collection sizes and
// change records commit in one batch.
// Single-item writes are the one-item case, so they serialise with transactions on the same
// item locks (a single write to an item inside a running transaction waits for its commit).
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
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
  // Tables with a local index: the size of the item's collection after the write (after all
  // writes of a multi-item write; its partition key's items plus their local index entries,
  // facts §13).
  std::optional<uint64_t> collection_bytes;
  // Write units of the table itself: ⌈larger of old and new size / 1 KB⌉, at least 1.
  double table_units() const;
  double total_units() const;
};

// One item of a multi-item write: the table, the item's key attributes (checked against the
// schema by the caller) and the step deciding its fate; `item_key`, when the caller computed it
// already, is base_item_key(table, key) (else the write path computes it).
struct ItemWrite {
  const Table& table;
  const Item& key;
  WriteStep step;
  const std::string* item_key = nullptr;
};

// Something committed with a multi-item write under its own locks (the transaction's
// idempotency token, say). `check` runs under all locks before any item is read: an error
// aborts with that error, `false` stops without writing anything (reported as
// WriteGroupOutcome::stopped). `commit` adds its records to the batch when everything passed.
struct WriteGuard {
  std::vector<std::pair<storage::Keyspace, std::string>> locks;
  std::function<aws::AwsResult<bool>(storage::Transaction& txn)> check;
  std::function<storage::Status(storage::WriteBatch& batch)> commit;
};

// What a multi-item write did. On success, one outcome per write in request order. When steps
// failed, nothing was written and step_errors has, per write, its step's error (nullopt for the
// steps that passed); every step runs, so all failures are known (TransactionCanceledException
// lists them all). When every step passed but an item collection would grow past the limit,
// step_errors has ItemCollectionSizeLimitExceededException for each write that grew it.
struct WriteGroupOutcome {
  bool stopped = false;  // the guard stopped it: nothing written, no outcomes
  std::vector<WriteOutcome> outcomes;
  std::vector<std::optional<aws::AwsError>> step_errors;  // empty unless a step failed
};

struct WritePath {
  storage::Engine& engine;
  bool sync_writes = false;
  ChangeCapture* change_capture = nullptr;  // a ChangeCaptureList (streams, destination)
  // A write that grows an item collection past this fails with
  // ItemCollectionSizeLimitExceededException (facts §13: 10 GB).
  uint64_t item_collection_limit_bytes = kItemCollectionLimitBytes;

  // Writes the item whose key attributes are `key` (checked against the schema by the
  // caller) in `table`. Errors: the step's, ItemCollectionSizeLimitExceededException when the
  // item's collection would grow past the limit, or InternalServerError when storage fails.
  // `origin` is passed to the change-capture hook (a TTL delete is shown as the service's).
  aws::AwsResult<WriteOutcome> write(const Table& table, const Item& key, const WriteStep& step,
                                     int64_t now_ms,
                                     WriteOrigin origin = WriteOrigin::kRequest) const;

  // Writes all of `writes` atomically (see the top of this file): the items must be distinct
  // (the caller refuses duplicates with AWS's text; a duplicate here is an internal error).
  // The error is InternalServerError when storage fails or the guard's error; failed steps
  // are not an error of this call but WriteGroupOutcome::step_errors.
  aws::AwsResult<WriteGroupOutcome> write_items(std::span<const ItemWrite> writes, int64_t now_ms,
                                                WriteOrigin origin = WriteOrigin::kRequest,
                                                const WriteGuard* guard = nullptr) const;
};

}  // namespace trib::dynamodb::items
