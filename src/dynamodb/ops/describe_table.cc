// DescribeTable: the table's description in its current state (any state but gone), with
// ItemCount and TableSizeBytes (and each index's) as the write path keeps them: current at
// every call, where AWS updates them about every six hours.
#include <spdlog/spdlog.h>

#include "dynamodb/items/counters.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/operations.h"
#include "dynamodb/tables/description.h"
#include "dynamodb/tables/table_ref.h"

namespace trib::dynamodb::ops {

Output describe_table(DynamoDbContext& ctx, const aws::RequestContext& request,
                      const Input& input) {
  auto table = find_table(ctx, request, input, MissingTable::kNamed);
  if (!table) return aws::fail(std::move(table.error()));
  items::CountsByIndex counts;
  if (auto status = items::read_counts(ctx.engine, (*table)->id, &counts); !status.is_ok()) {
    spdlog::warn("could not read the item counts of table {}: {}", (*table)->key.name,
                 status.message);
  }
  TableCounts described;
  for (const auto& [index_id, c] : counts) {
    if (index_id == items::kBaseTableIndexId) {
      described.item_count = c.items;
      described.size_bytes = c.bytes;
    } else {
      described.indexes[index_id] = {c.items, c.bytes};
    }
  }
  aws::Value out = aws::Value::map();
  out.set("Table", table_description(**table, request.now_ms, described));
  return out;
}

}  // namespace trib::dynamodb::ops
