#include "dynamodb/items/item_reads.h"

#include <spdlog/spdlog.h>

#include "dynamodb/errors.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/values/item_codec.h"

namespace trib::dynamodb::items {

namespace {

aws::AwsError read_failed(const Table& table, const storage::Status& status) {
  spdlog::error("item read from table {} failed: {}", table.key.name,
                status.is_ok() ? "undecodable item" : status.message);
  return error(Error::kInternalServerError, "Internal server error");
}

}  // namespace

aws::AwsResult<std::optional<Item>> read_item(storage::Engine& engine, const Table& table,
                                              const Item& key, const storage::Snapshot* snapshot) {
  std::string stored;
  const storage::Status status =
      engine.get(storage::Keyspace::kItems, base_item_key(table, key), &stored, snapshot);
  if (status.is_not_found()) return std::optional<Item>();
  std::optional<Item> item;
  if (status.is_ok()) item = decode_item(stored);
  if (!item) return aws::fail(read_failed(table, status));
  return std::optional<Item>(std::move(*item));
}

aws::AwsResult<std::optional<WireItem>> read_item_to_wire(storage::Engine& engine,
                                                          const Table& table, const Item& key) {
  std::string stored;
  const storage::Status status =
      engine.get(storage::Keyspace::kItems, base_item_key(table, key), &stored);
  if (status.is_not_found()) return std::optional<WireItem>();
  if (!status.is_ok()) return aws::fail(read_failed(table, status));
  std::optional<WireItem> wire = stored_item_to_wire(std::move(stored));
  if (!wire) return aws::fail(read_failed(table, status));
  return wire;
}

}  // namespace trib::dynamodb::items
