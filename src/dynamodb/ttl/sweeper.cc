#include "dynamodb/ttl/sweeper.h"

#include <spdlog/spdlog.h>

#include <vector>

#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/item_requests.h"
#include "dynamodb/items/range_reads.h"
#include "dynamodb/ttl/expiry.h"
#include "storage/keys.h"

namespace trib::dynamodb::ttl {

bool delete_if_expired(const items::WritePath& write_path, const Table& table, const Item& key,
                       int64_t now_ms) {
  const std::string& attribute = table.time_to_live.attribute_name;
  auto outcome = write_path.write(
      table, key,
      [&](const std::optional<Item>& old_item) -> aws::AwsResult<items::WriteDecision> {
        if (old_item && is_expired(*old_item, attribute, now_ms)) {
          return items::WriteDecision::remove();
        }
        return items::WriteDecision::keep();
      },
      now_ms, items::WriteOrigin::kTimeToLive);
  return outcome && outcome->kind == items::ChangeKind::kRemove;
}

SweepStats Sweeper::tick(int64_t now_ms) {
  SweepStats stats;
  std::vector<TableCatalog::TablePtr> tables;
  for (auto& table : context_.tables.list_all(now_ms)) {
    const TableStatus status = table->status(now_ms);
    if (table->time_to_live.deletes_expired(now_ms) &&
        (status == TableStatus::kActive || status == TableStatus::kUpdating)) {
      tables.push_back(std::move(table));
    }
  }
  // Forget the cursors of tables no longer swept.
  std::map<uint64_t, Cursor> kept;
  for (const auto& table : tables) {
    if (auto it = cursors_.find(table->id); it != cursors_.end()) kept.insert(*it);
  }
  cursors_ = std::move(kept);
  if (tables.empty()) return stats;

  int64_t budget = context_.options.ttl_items_per_tick;
  const size_t first = rotation_++ % tables.size();
  for (size_t i = 0; i < tables.size() && budget > 0; ++i) {
    const Table& table = *tables[(first + i) % tables.size()];
    Cursor& cursor = cursors_[table.id];
    if (!cursor.after) {
      if (now_ms < cursor.next_pass_ms) continue;  // this table's pass is done for now
      cursor.pass_started_ms = now_ms;
    }
    budget -= sweep_table(table, cursor, budget, now_ms, stats);
  }
  totals_.examined += stats.examined;
  totals_.deleted += stats.deleted;
  return stats;
}

int64_t Sweeper::sweep_table(const Table& table, Cursor& cursor, int64_t budget, int64_t now_ms,
                             SweepStats& stats) {
  const std::string& attribute = table.time_to_live.attribute_name;
  items::RangeRead read;
  read.lower = items::index_range_prefix(table.id, items::kBaseTableIndexId);
  read.upper = storage::prefix_successor(read.lower);
  read.exclusive_start = cursor.after;
  read.limit = static_cast<size_t>(budget);
  std::vector<Item> expired_keys;
  auto result = items::read_range(context_.engine, table, read, [&](const Item& item) {
    if (is_expired(item, attribute, now_ms)) {
      expired_keys.push_back(items::key_attributes(table.key_schema, item));
    }
  });
  if (!result) {
    // Logged by read_range; start the pass again later.
    cursor.after.reset();
    cursor.next_pass_ms = now_ms + context_.options.ttl_sweep_interval_ms;
    return budget;
  }
  stats.examined += static_cast<int64_t>(result->scanned);
  const items::WritePath write_path = items::write_path(context_);
  for (const Item& key : expired_keys) {
    if (delete_if_expired(write_path, table, key, now_ms)) ++stats.deleted;
  }
  if (result->last) {
    cursor.after = items::base_item_key(table, *result->last);
  } else {
    cursor.after.reset();
    cursor.next_pass_ms = cursor.pass_started_ms + context_.options.ttl_sweep_interval_ms;
  }
  return std::max<int64_t>(1, static_cast<int64_t>(result->scanned));
}

}  // namespace trib::dynamodb::ttl
