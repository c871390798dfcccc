#include "dynamodb/tables/table_catalog.h"

#include <spdlog/spdlog.h>

#include "dynamodb/errors.h"
#include "storage/keys.h"

namespace trib::dynamodb {

namespace {

constexpr uint8_t kTableKeyTag = 'T';
constexpr uint8_t kCounterKeyTag = 'C';

std::string table_storage_key(const TableKey& key) {
  return storage::KeyBuilder()
      .u8(kTableKeyTag)
      .short_string(key.account)
      .short_string(key.region)
      .short_string(key.name)
      .take();
}

std::string counter_key() {
  return storage::KeyBuilder().u8(kCounterKeyTag).raw("table_id").take();
}

}  // namespace

std::string table_items_prefix(uint64_t table_id) {
  return storage::KeyBuilder().u64(table_id).take();
}

TableCatalog::TableCatalog(storage::Engine& engine) : engine_(engine) {}

storage::Status TableCatalog::load() {
  if (auto status =
          storage::read_u64(engine_, storage::Keyspace::kMeta, counter_key(), &next_table_id_);
      !status.is_ok()) {
    return status;
  }
  return storage::for_each_with_prefix(
      engine_, storage::Keyspace::kMeta, std::string(1, static_cast<char>(kTableKeyTag)),
      [&](std::string_view, std::string_view value) {
        auto table = decode_table(value);
        if (!table) return storage::Status::corruption("undecodable table record");
        next_table_id_ = std::max(next_table_id_, table->id + 1);
        tables_.publish(std::make_shared<const Table>(std::move(*table)));
        return storage::Status::ok();
      });
}

TableCatalog::TablePtr TableCatalog::find(const TableKey& key, int64_t now_ms) const {
  return tables_.find_live(key, now_ms);
}

std::vector<TableCatalog::TablePtr> TableCatalog::list(std::string_view account,
                                                       std::string_view region,
                                                       int64_t now_ms) const {
  return tables_.list_live(account, region, now_ms);
}

std::vector<TableCatalog::TablePtr> TableCatalog::list_all(int64_t now_ms) const {
  return tables_.list_live_all(now_ms);
}

aws::AwsResult<TableCatalog::TablePtr> TableCatalog::create(Table prototype, int64_t now_ms,
                                                            const Admission& admit) {
  std::lock_guard control(control_mutex_);
  const TablePtr previous = tables_.get(prototype.key);
  if (previous && !previous->is_gone(now_ms)) {
    return aws::fail(table_already_exists(prototype.key.name));
  }
  if (admit) {
    auto admitted = admit(*this);
    if (!admitted) return aws::fail(std::move(admitted.error()));
  }
  storage::WriteBatch batch;
  // A gone incarnation whose purge has not run yet: its items go in the same batch.
  if (previous) {
    const std::string begin = table_items_prefix(previous->id);
    batch.delete_range(storage::Keyspace::kItems, begin, storage::prefix_successor(begin));
  }
  prototype.id = next_table_id_++;
  batch.put(storage::Keyspace::kMeta, counter_key(),
            storage::KeyBuilder().u64(next_table_id_).take());
  batch.put(storage::Keyspace::kMeta, table_storage_key(prototype.key), encode_table(prototype));
  if (observer_) observer_->stage(nullptr, prototype, now_ms, batch);
  if (auto status = engine_.write(batch); !status.is_ok()) {
    spdlog::error("could not persist table {}: {}", prototype.key.name, status.message);
    --next_table_id_;
    return aws::fail(error(Error::kInternalServerError, "Internal server error"));
  }
  auto published = std::make_shared<const Table>(std::move(prototype));
  tables_.publish(published);
  if (observer_) observer_->published(nullptr, *published, now_ms);
  return published;
}

aws::AwsResult<TableCatalog::TablePtr> TableCatalog::update(const TableKey& key, int64_t now_ms,
                                                            const Mutation& mutate) {
  std::lock_guard control(control_mutex_);
  TablePtr current = find(key, now_ms);
  if (!current) return aws::fail(table_not_found(key.name));
  Table copy = *current;
  auto mutated = mutate(copy);
  if (!mutated) return aws::fail(std::move(mutated.error()));
  storage::WriteBatch batch;
  batch.put(storage::Keyspace::kMeta, table_storage_key(copy.key), encode_table(copy));
  if (observer_) observer_->stage(current.get(), copy, now_ms, batch);
  if (auto status = engine_.write(batch); !status.is_ok()) {
    spdlog::error("could not persist table {}: {}", key.name, status.message);
    return aws::fail(error(Error::kInternalServerError, "Internal server error"));
  }
  auto published = std::make_shared<const Table>(std::move(copy));
  tables_.publish(published);
  if (observer_) observer_->published(current.get(), *published, now_ms);
  return published;
}

std::vector<uint64_t> TableCatalog::purge_gone(int64_t now_ms) {
  std::lock_guard control(control_mutex_);
  const std::vector<TablePtr> gone =
      tables_.select([now_ms](const Table& table) { return table.is_gone(now_ms); });
  std::vector<uint64_t> purged;
  for (const auto& table : gone) {
    storage::WriteBatch batch;
    const std::string begin = table_items_prefix(table->id);
    const std::string end = storage::prefix_successor(begin);
    batch.delete_range(storage::Keyspace::kItems, begin, end);
    batch.del(storage::Keyspace::kMeta, table_storage_key(table->key));
    if (auto status = engine_.write(batch); !status.is_ok()) {
      spdlog::warn("could not purge table {}: {}", table->key.name, status.message);
      continue;
    }
    engine_.compact_range(storage::Keyspace::kItems, begin, end);
    tables_.erase_if_current(table);
    purged.push_back(table->id);
  }
  return purged;
}

}  // namespace trib::dynamodb
