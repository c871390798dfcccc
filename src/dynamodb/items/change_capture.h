// The change-capture hook: called by the write path for every item write with the old and new
// images, inside the write's transaction; what it adds to the batch commits atomically with the
// item (DESIGN.md scale-out rule 2). No consumer yet: DynamoDB Streams and the Kinesis
// streaming destination attach here.
#pragma once

#include <cstdint>

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
};

class ChangeCapture {
 public:
  virtual ~ChangeCapture() = default;
  // Adds the change's records to `batch` (the item's own batch). A non-ok status aborts the
  // write (nothing is committed). May be called again for the same write if an optimistic
  // engine retries the transaction; it must then produce the same records.
  virtual storage::Status capture(const ItemChange& change, storage::WriteBatch& batch) = 0;
  // Called after a write whose change (kind not kNone) was captured has committed, on the
  // writing thread: a consumer that works after the commit (the Kinesis destination's delivery
  // job) is woken here, so it never looks for a record before it is stored.
  virtual void committed(const Table& /*table*/) {}
};

}  // namespace trib::dynamodb::items
