// The change-capture hook: called by the write path for every item write with the old and new
// images, inside the write's transaction; what it adds to the batch commits atomically with the
// item (DESIGN.md scale-out rule 2). Consumers: DynamoDB Streams (dynamodb_streams/), and the
// Kinesis streaming destination next to it; ChangeCaptureList fans one write out to all.
//
// Ordering: a consumer that numbers its records (a stream shard's sequence numbers) names the
// keys that serialise them in lock_keys; the write path locks them with the item's key for the
// whole read-decide-commit, so numbers are taken and committed in one order and a reader never
// sees a later number before an earlier one. A table without consumers adds no lock.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aws/value.h"
#include "dynamodb/tables/table.h"
#include "dynamodb/values/attribute_value.h"
#include "storage/engine.h"

namespace trib::dynamodb::items {

// What a write did to the item. kNone: nothing changed (a put of an identical item, a delete
// of a missing one, a step that chose not to write); streams emit no record for it.
enum class ChangeKind : uint8_t { kNone, kInsert, kModify, kRemove };

// Who made the change. kTimeToLive: a delete by the TTL job, which DynamoDB Streams and the
// Kinesis destination show with userIdentity {"Type":"Service","PrincipalId":
// "dynamodb.amazonaws.com"} (AWS's TTL documentation, "Working with streams and TTL").
enum class WriteOrigin : uint8_t { kRequest, kTimeToLive };

struct ItemChange {
  const Table& table;
  const Item* old_image;  // null when the item did not exist
  const Item* new_image;  // null when the item does not exist afterwards
  int64_t time_ms;        // the request's time (the one clock)
  ChangeKind kind;
  WriteOrigin origin = WriteOrigin::kRequest;
  // The write changes this item only (not one item of a transaction or of a multi-item write).
  bool single_item = false;
};

// What both change records (DynamoDB Streams' and the Kinesis destination's) show alike:
// SizeBytes, the item sizes of Keys and of each image in the record (facts/dynamodb-streams-
// and-destination §13 [D]); and the userIdentity of a TTL delete, {"Type": "Service",
// "PrincipalId": "dynamodb.amazonaws.com"} (AWS's TTL documentation, facts §12).
inline size_t change_size_bytes(const Item& keys, const Item* new_image, const Item* old_image) {
  return item_size(keys) + (new_image ? item_size(*new_image) : 0) +
         (old_image ? item_size(*old_image) : 0);
}
inline aws::Value time_to_live_user_identity() {
  aws::Value identity = aws::Value::map();
  identity.set("Type", "Service");
  identity.set("PrincipalId", "dynamodb.amazonaws.com");
  return identity;
}

class ChangeCapture {
 public:
  virtual ~ChangeCapture() = default;
  // Adds the change's records to txn.batch() (the item's own batch). A non-ok status aborts
  // the write (nothing is committed). A multi-item write (a transaction) calls it once per
  // item, in request order, all into one batch; txn.get sees only committed data, so a
  // consumer that keeps state across records (a chain's next sequence number) must take what
  // an earlier call of the same transaction staged from the batch (TableStreams does). May be
  // called again for the same write if an optimistic engine retries the transaction; it must
  // then produce the same records.
  // Reads it needs (its own counters) go through `txn`, under the keys lock_keys named: every
  // caller (the single-item write path, a multi-item transaction path) must have locked
  // lock_keys(table, partition_key_hash(item's partition key)) in the same Engine::transact.
  virtual storage::Status capture(const ItemChange& change, storage::Transaction& txn) = 0;
  // Names (in the items keyspace) the write must lock besides the item's own key, for a write
  // to `table` of an item whose partition key hashes to `partition_hash`. None by default.
  virtual void lock_keys(const Table& table, uint64_t partition_hash,
                         std::vector<std::string>& keys) const {}
  // Called on the writing thread after a write committed, once per table the write changed
  // (an item change of kind other than kNone), after every item of a multi-item write: a
  // consumer that works after the commit (the Kinesis destination's delivery job) is woken
  // here, so it never looks for a record before it is stored. Not called when the write
  // failed or changed nothing.
  virtual void committed(const Table& /*table*/) {}
  // Called on the writing thread right after every write that called capture(), committed or
  // not, before committed(): a consumer that staged something beside the batch (the Kinesis
  // destination's direct append, which holds its shard until then) completes or undoes it.
  virtual void finished(bool /*committed*/) {}
};

// Fan-out: every consumer, in the order added, sees each change in the same transaction.
class ChangeCaptureList final : public ChangeCapture {
 public:
  void add(ChangeCapture* consumer) { consumers_.push_back(consumer); }
  bool empty() const { return consumers_.empty(); }
  storage::Status capture(const ItemChange& change, storage::Transaction& txn) override {
    for (ChangeCapture* consumer : consumers_) {
      storage::Status status = consumer->capture(change, txn);
      if (!status.is_ok()) return status;
    }
    return storage::Status::ok();
  }
  void lock_keys(const Table& table, uint64_t partition_hash,
                 std::vector<std::string>& keys) const override {
    for (const ChangeCapture* consumer : consumers_)
      consumer->lock_keys(table, partition_hash, keys);
  }
  void committed(const Table& table) override {
    for (ChangeCapture* consumer : consumers_) consumer->committed(table);
  }
  void finished(bool committed) override {
    for (ChangeCapture* consumer : consumers_) consumer->finished(committed);
  }

 private:
  std::vector<ChangeCapture*> consumers_;
};

}  // namespace trib::dynamodb::items
