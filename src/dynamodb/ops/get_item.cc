// GetItem: one item by its key. Reads are always strongly consistent; ConsistentRead only
// decides the capacity charged (facts §12).
#include "dynamodb/errors.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/item_requests.h"
#include "dynamodb/operations.h"
#include "dynamodb/requests/item_expressions.h"
#include "dynamodb/requests/projected_reads.h"

namespace trib::dynamodb::ops {

Output get_item(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input) {
  const aws::Value* wire_key = input.find("Key");
  auto key = item_from_wire(wire_key ? *wire_key : aws::Value::map());
  if (!key) return aws::fail(std::move(key.error()));
  auto projection = requests::read_projection(input);
  if (!projection) return aws::fail(std::move(projection.error()));
  const std::string* name = input.string_member("TableName");
  auto table = items::item_table(ctx, request, name ? *name : std::string_view());
  if (!table) return aws::fail(std::move(table.error()));
  if (auto ok = items::check_key(**table, *key); !ok) return aws::fail(std::move(ok.error()));

  auto item = requests::read_projected_item(ctx.engine, **table, *key, *projection);
  if (!item) return aws::fail(std::move(item.error()));
  aws::Value out = aws::Value::map();
  const size_t size = *item ? (*item)->size : 0;
  if (*item) out.set("Item", std::move((*item)->item));
  if (const auto detail = items::capacity_detail(input); detail != items::CapacityDetail::kNone) {
    const bool consistent = input.bool_member("ConsistentRead").value_or(false);
    items::TableCapacity capacity{(*table)->key.name};
    capacity.table_units = items::read_units(size, consistent);
    out.set("ConsumedCapacity", items::consumed_capacity(capacity, detail));
  }
  return out;
}

}  // namespace trib::dynamodb::ops
