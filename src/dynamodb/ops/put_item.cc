// PutItem: creates or replaces an item through the write path (items/write_path.h).
// ConditionExpression or Expected are evaluated on the old item inside the write path's step.
#include "dynamodb/errors.h"
#include "dynamodb/items/index_entries.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/item_requests.h"
#include "dynamodb/operations.h"
#include "dynamodb/requests/item_expressions.h"

namespace trib::dynamodb::ops {

Output put_item(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input) {
  // Order of checks: dynalite's validations/putItem.js, then its table and key checks.
  static constexpr std::string_view kLegacy[] = {"Expected"};
  static constexpr std::string_view kExpressions[] = {"ConditionExpression"};
  if (auto e = requests::mixed_parameters(input, kLegacy, kExpressions)) return aws::fail(*e);
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
  requests::WriteExpressions expressions;
  if (auto ok = expressions.parse_expected(input); !ok) return aws::fail(std::move(ok.error()));
  static constexpr expressions::ExpressionKind kAccepted[] = {
      expressions::ExpressionKind::kCondition};
  if (auto ok = expressions.parse_expressions(input, kAccepted); !ok) {
    return aws::fail(std::move(ok.error()));
  }
  const std::string* name = input.string_member("TableName");
  auto table = items::item_table(ctx, request, name ? *name : std::string_view());
  if (!table) return aws::fail(std::move(table.error()));
  auto key = items::check_item_keys(**table, *item);
  if (!key) return aws::fail(std::move(key.error()));
  // Local index entries count toward the 400 KB (items/index_entries.h); the text is the
  // item's (a guess for this case).
  if (items::item_size_with_local_entries(**table, *item) > items::kMaxItemBytes) {
    return aws::fail(validation(std::string(items::kItemTooLarge)));
  }

  auto outcome = items::write_path(ctx).write(
      **table, *key,
      [&](const std::optional<Item>& old_item) -> aws::AwsResult<items::WriteDecision> {
        if (!expressions.condition_holds(old_item ? &*old_item : nullptr)) {
          return aws::fail(requests::condition_failed(input, old_item));
        }
        return items::WriteDecision::put(*item);
      },
      request.now_ms);
  if (!outcome) return aws::fail(std::move(outcome.error()));

  aws::Value out = aws::Value::map();
  if (return_values && *return_values == "ALL_OLD" && outcome->old_item) {
    out.set("Attributes", item_to_wire(*outcome->old_item));
  }
  items::add_write_reports(out, input, **table, *key, *outcome);
  return out;
}

}  // namespace trib::dynamodb::ops
