#include "dynamodb/items/index_maintenance.h"

#include <vector>

#include "dynamodb/items/counters.h"
#include "dynamodb/items/index_entries.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/values/item_codec.h"
#include "storage/keys.h"

namespace trib::dynamodb::items {

namespace {

constexpr size_t kKeysPerChunk = 256;

}  // namespace

storage::Status backfill_index(const WritePath& path, const Table& table,
                               const SecondaryIndex& index) {
  const std::string prefix = index_range_prefix(table.id, kBaseTableIndexId);
  std::string resume = prefix;
  bool first = true;
  while (true) {
    // A chunk of item keys from a snapshot; each item is then re-read under its lock.
    std::vector<std::string> keys;
    {
      storage::IteratorOptions options;
      options.lower_bound = prefix;
      options.upper_bound = storage::prefix_successor(prefix);
      auto it = path.engine.iterate(storage::Keyspace::kItems, options);
      it->seek(resume);
      if (!first && it->valid() && it->key() == resume) it->next();
      for (; it->valid() && keys.size() < kKeysPerChunk; it->next()) {
        keys.emplace_back(it->key());
      }
      if (!it->status().is_ok()) return it->status();
    }
    first = false;
    if (keys.empty()) return storage::Status::ok();
    for (const std::string& item_key : keys) {
      storage::KeyReader reader(std::string_view(item_key).substr(prefix.size()));
      uint64_t hash = 0;
      if (!reader.u64(&hash)) return storage::Status::corruption("short item key");
      const std::string stripe_key = counter_stripe_key(table.id, counter_stripe(hash));
      storage::Status status = path.engine.transact(
          {{storage::Keyspace::kItems, item_key}, {storage::Keyspace::kItems, stripe_key}},
          [&](storage::Transaction& txn) -> storage::Status {
            std::string stored;
            storage::Status read = txn.get(storage::Keyspace::kItems, item_key, &stored);
            if (read.is_not_found()) return storage::Status::ok();  // deleted since
            if (!read.is_ok()) return read;
            std::optional<Item> item = decode_item(stored);
            if (!item) return storage::Status::corruption("undecodable item " + item_key);
            std::optional<IndexEntry> entry = index_entry(table, index, *item);
            if (!entry) return storage::Status::ok();  // not in this (sparse) index
            std::string existing;
            read = txn.get(storage::Keyspace::kItems, entry->key, &existing);
            if (read.is_ok()) return storage::Status::ok();  // a write already indexed it
            if (!read.is_not_found()) return read;
            txn.batch().put(storage::Keyspace::kItems, entry->key, entry->value);
            return add_to_stripe(txn, stripe_key,
                                 {{index.id, Counts{1, static_cast<int64_t>(entry->size)}}});
          },
          storage::WriteOptions{.sync = path.sync_writes});
      if (!status.is_ok()) return status;
    }
    resume = keys.back();
  }
}

storage::Status drop_index(storage::Engine& engine, uint64_t table_id, uint32_t index_id) {
  const std::string begin = index_range_prefix(table_id, index_id);
  storage::WriteBatch batch;
  batch.delete_range(storage::Keyspace::kItems, begin, storage::prefix_successor(begin));
  if (auto status = engine.write(batch); !status.is_ok()) return status;
  std::vector<std::string> stripe_keys;
  if (auto status = counter_keys(engine, table_id, &stripe_keys); !status.is_ok()) return status;
  for (const std::string& stripe_key : stripe_keys) {
    storage::Status status = engine.transact(
        {{storage::Keyspace::kItems, stripe_key}},
        [&](storage::Transaction& txn) -> storage::Status {
          std::string value;
          storage::Status read = txn.get(storage::Keyspace::kItems, stripe_key, &value);
          if (read.is_not_found()) return storage::Status::ok();
          if (!read.is_ok()) return read;
          std::optional<CountsByIndex> counts = decode_counts(value);
          if (!counts) return storage::Status::corruption("undecodable counter " + stripe_key);
          auto it = counts->find(index_id);
          if (it == counts->end()) return storage::Status::ok();
          return add_to_stripe(txn, stripe_key,
                               {{index_id, Counts{-it->second.items, -it->second.bytes}}});
        });
    if (!status.is_ok()) return status;
  }
  engine.compact_range(storage::Keyspace::kItems, begin, storage::prefix_successor(begin));
  return storage::Status::ok();
}

}  // namespace trib::dynamodb::items
