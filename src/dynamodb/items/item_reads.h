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

}  // namespace trib::dynamodb::items
