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
// item as item_to_wire would put it on the wire, written straight from its stored encoding
// (stored_item_to_wire) unless that encoding is not canonical, with its item_size.
struct WireItem {
  aws::Value item;
  size_t size = 0;
};
aws::AwsResult<std::optional<WireItem>> read_item_to_wire(storage::Engine& engine,
                                                          const Table& table, const Item& key);

}  // namespace trib::dynamodb::items
