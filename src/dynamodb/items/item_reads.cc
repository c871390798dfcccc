#include "dynamodb/items/item_reads.h"

#include <spdlog/spdlog.h>

#include "dynamodb/errors.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/values/item_codec.h"

namespace trib::dynamodb::items {

aws::AwsResult<std::optional<Item>> read_item(storage::Engine& engine, const Table& table,
                                              const Item& key, const storage::Snapshot* snapshot) {
  std::string stored;
  const storage::Status status =
      engine.get(storage::Keyspace::kItems, base_item_key(table, key), &stored, snapshot);
  if (status.is_not_found()) return std::optional<Item>();
  std::optional<Item> item;
  if (status.is_ok()) item = decode_item(stored);
  if (!item) {
    spdlog::error("item read from table {} failed: {}", table.key.name,
                  status.is_ok() ? "undecodable item" : status.message);
    return aws::fail(error(Error::kInternalServerError, "Internal server error"));
  }
  return std::optional<Item>(std::move(*item));
}

}  // namespace trib::dynamodb::items
