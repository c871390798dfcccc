// UpdateItem: edits (or creates) one item through the write path (items/write_path.h) with an
// UpdateExpression or the legacy AttributeUpdates, under ConditionExpression or Expected. The
// condition, the update and the size check run on the old item inside the write path's step,
// so a conditional update is atomic with the read it depends on.
#include "dynamodb/documents/update.h"
#include "dynamodb/errors.h"
#include "dynamodb/items/index_entries.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/item_requests.h"
#include "dynamodb/operations.h"
#include "dynamodb/requests/item_expressions.h"

namespace trib::dynamodb::ops {

namespace {

// dynalite actions/updateItem.js, which took it from AWS [P].
constexpr std::string_view kItemTooLargeAfterUpdate =
    "Item size to update has exceeded the maximum allowed size";

}  // namespace

Output update_item(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input) {
  // Order of checks: dynalite's validations/updateItem.js (mixing, key values, AttributeUpdates,
  // Expected, expressions), then its actions/updateItem.js (table, key, key attributes updated,
  // then under the item's lock: condition, update, size).
  static constexpr std::string_view kLegacy[] = {"AttributeUpdates", "Expected"};
  static constexpr std::string_view kExpressions[] = {"UpdateExpression", "ConditionExpression"};
  if (auto e = requests::mixed_parameters(input, kLegacy, kExpressions)) return aws::fail(*e);
  const aws::Value* wire_key = input.find("Key");
  auto key = item_from_wire(wire_key ? *wire_key : aws::Value::map());
  if (!key) return aws::fail(std::move(key.error()));
  std::optional<documents::AttributeUpdates> attribute_updates;
  if (const aws::Value* wire = input.find("AttributeUpdates")) {
    auto parsed = documents::parse_attribute_updates(*wire);
    if (!parsed) return aws::fail(std::move(parsed.error()));
    attribute_updates = std::move(*parsed);
  }
  requests::WriteExpressions expressions;
  if (auto ok = expressions.parse_expected(input); !ok) return aws::fail(std::move(ok.error()));
  static constexpr expressions::ExpressionKind kAccepted[] = {
      expressions::ExpressionKind::kUpdate, expressions::ExpressionKind::kCondition};
  if (auto ok = expressions.parse_expressions(input, kAccepted); !ok) {
    return aws::fail(std::move(ok.error()));
  }
  const std::string* return_values = input.string_member("ReturnValues");
  const std::string_view returns = return_values ? std::string_view(*return_values) : "NONE";

  const std::string* name = input.string_member("TableName");
  auto table = items::item_table(ctx, request, name ? *name : std::string_view());
  if (!table) return aws::fail(std::move(table.error()));
  if (auto ok = items::check_key(**table, *key); !ok) return aws::fail(std::move(ok.error()));
  std::vector<std::string_view> key_names;
  key_names.push_back((*table)->key_schema.hash.name);
  if ((*table)->key_schema.range) key_names.push_back((*table)->key_schema.range->name);
  if (const auto& update = expressions.parsed.update) {
    if (auto e = documents::check_update_keys(*update, key_names)) return aws::fail(*e);
  }
  if (attribute_updates) {
    if (auto e = documents::check_attribute_updates_keys(*attribute_updates, key_names)) {
      return aws::fail(*e);
    }
  }

  auto outcome = items::write_path(ctx).write(
      **table, *key,
      [&](const std::optional<Item>& old_item) -> aws::AwsResult<items::WriteDecision> {
        const Item* old = old_item ? &*old_item : nullptr;
        if (!expressions.condition_holds(old)) {
          return aws::fail(requests::condition_failed(input, old_item));
        }
        aws::AwsResult<std::optional<Item>> next = std::optional<Item>();
        if (const auto& update = expressions.parsed.update) {
          next = documents::apply_update(old, *key, *update, expressions.values);
        } else if (attribute_updates) {
          next = documents::apply_attribute_updates(old, *key, *attribute_updates);
        } else {
          // Neither member: the key-only item, as an empty AttributeUpdates [V: scylladb
          // test_empty_update, run against AWS; D for an absent member].
          next = documents::apply_attribute_updates(old, *key, {});
        }
        if (!next) return aws::fail(std::move(next.error()));
        if (!*next) return items::WriteDecision::keep();
        // Local index entries count toward the 400 KB (items/index_entries.h).
        if (items::item_size_with_local_entries(**table, **next) > items::kMaxItemBytes) {
          return aws::fail(validation(std::string(kItemTooLargeAfterUpdate)));
        }
        // Index key types of the new item (the texts PutItem gives).
        if (auto ok = items::check_item_keys(**table, **next); !ok) {
          return aws::fail(std::move(ok.error()));
        }
        return items::WriteDecision::put(std::move(**next));
      },
      request.now_ms);
  if (!outcome) return aws::fail(std::move(outcome.error()));

  aws::Value out = aws::Value::map();
  std::optional<Item> attributes;
  auto updated = [&](const Item& item) {
    if (const auto& update = expressions.parsed.update) {
      return documents::updated_attributes(item, *update);
    }
    if (attribute_updates) return documents::updated_attributes(item, *attribute_updates);
    return Item();
  };
  if (returns == "ALL_OLD" && outcome->old_item) {
    attributes = *outcome->old_item;
  } else if (returns == "ALL_NEW" && outcome->new_item) {
    attributes = *outcome->new_item;
  } else if (returns == "UPDATED_OLD" && outcome->old_item) {
    attributes = updated(*outcome->old_item);
  } else if (returns == "UPDATED_NEW" && outcome->new_item) {
    attributes = updated(*outcome->new_item);
  }
  // Nothing to return means no Attributes (facts §11 [P]).
  if (attributes && !attributes->empty()) out.set("Attributes", item_to_wire(*attributes));
  items::add_write_reports(out, input, **table, *key, *outcome);
  return out;
}

}  // namespace trib::dynamodb::ops
