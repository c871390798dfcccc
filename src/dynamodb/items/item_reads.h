// Point reads of items (GetItem, BatchGetItem): no locks, the latest committed item.
#pragma once

#include <optional>

#include "aws/error.h"
#include "dynamodb/tables/table.h"
#include "dynamodb/values/attribute_value.h"
#include "storage/engine.h"

namespace trib::dynamodb::items {

// The item with key attributes `key` (checked against the schema), or nullopt. Every read is
// strongly consistent (ConsistentRead changes only the capacity charged). With `snapshot`, as of
// that snapshot (TransactGetItems reads all its items from one).
aws::AwsResult<std::optional<Item>> read_item(storage::Engine& engine, const Table& table,
                                              const Item& key,
                                              const storage::Snapshot* snapshot = nullptr);

// The same read for an answer that carries the whole item (GetItem without a projection): the
// item as stored_item_to_wire puts it on the wire, with its item_size.
aws::AwsResult<std::optional<WireItem>> read_item_to_wire(storage::Engine& engine,
                                                          const Table& table, const Item& key);

}  // namespace trib::dynamodb::items
