// PutItem: creates or replaces an item through the write path (items/write_path.h).
// Differences from AWS (docs/compatibility.md): ConditionExpression and Expected wait for the
// expression language and are refused with a ValidationException saying so; item
// collections are not measured (ItemCollectionMetrics reports [0.0, 1.0] GB).
#include "dynamodb/errors.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/item_requests.h"
#include "dynamodb/operations.h"

namespace trib::dynamodb::ops {

Output put_item(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input) {
  // Order of checks: dynalite's validations/putItem.js, then its table and key checks.
  const aws::Value* wire_item = input.find("Item");
  auto item = item_from_wire(wire_item ? *wire_item : aws::Value::map());
  if (!item) return aws::fail(std::move(item.error()));
  const std::string* return_values = input.string_member("ReturnValues");
  if (return_values && *return_values != "NONE" && *return_values != "ALL_OLD") {
    return aws::fail(validation("ReturnValues can only be ALL_OLD or NONE"));
  }
  if (item_size(*item) > items::kMaxItemBytes) {
    return aws::fail(validation(std::string(items::kItemTooLarge)));
  }
  if (auto ok = items::check_condition_members(input); !ok) return aws::fail(std::move(ok.error()));
  const std::string* name = input.string_member("TableName");
  auto table = items::item_table(ctx, request, name ? *name : std::string_view());
  if (!table) return aws::fail(std::move(table.error()));
  auto key = items::check_item_keys(**table, *item);
  if (!key) return aws::fail(std::move(key.error()));

  auto outcome = items::write_path(ctx).write(
      **table, *key,
      [&](const std::optional<Item>& old_item) -> aws::AwsResult<items::WriteDecision> {
        // Condition hook: ConditionExpression / Expected are evaluated here against old_item
        // (ConditionalCheckFailedException, with old_item when
        // ReturnValuesOnConditionCheckFailure is ALL_OLD).
        (void)old_item;
        return items::WriteDecision::put(*item);
      },
      request.now_ms);
  if (!outcome) return aws::fail(std::move(outcome.error()));

  aws::Value out = aws::Value::map();
  if (return_values && *return_values == "ALL_OLD" && outcome->old_item) {
    out.set("Attributes", item_to_wire(*outcome->old_item));
  }
  if (const auto detail = items::capacity_detail(input); detail != items::CapacityDetail::kNone) {
    items::TableCapacity capacity{(*table)->key.name};
    capacity.add_write(*outcome);
    out.set("ConsumedCapacity", items::consumed_capacity(capacity, detail));
  }
  if (items::wants_item_collection_metrics(input, **table)) {
    out.set("ItemCollectionMetrics", items::item_collection_metrics(**table, *key));
  }
  return out;
}

}  // namespace trib::dynamodb::ops
