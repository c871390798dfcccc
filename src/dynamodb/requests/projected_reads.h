// A point read for an answer (GetItem, BatchGetItem): the item under the request's projection,
// as it goes on the wire. The whole item (no projection) is written from its stored encoding
// (items::read_item_to_wire); a projected one is decoded, projected and encoded.
#pragma once

#include <cstddef>
#include <optional>

#include "aws/error.h"
#include "aws/value.h"
#include "dynamodb/requests/item_expressions.h"
#include "dynamodb/tables/table.h"
#include "dynamodb/values/attribute_value.h"
#include "storage/engine.h"

namespace trib::dynamodb::requests {

struct ProjectedItem {
  aws::Value item;            // as the answer carries it
  size_t size = 0;            // item_size of the whole item (what a read is charged for)
  size_t projected_size = 0;  // item_size of what is returned
};

// nullopt when there is no item with key attributes `key` (checked against the schema).
aws::AwsResult<std::optional<ProjectedItem>> read_projected_item(storage::Engine& engine,
                                                                 const Table& table,
                                                                 const Item& key,
                                                                 const ReadProjection& projection);

}  // namespace trib::dynamodb::requests
