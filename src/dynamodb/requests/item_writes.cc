#include "dynamodb/requests/item_writes.h"

#include "dynamodb/documents/update.h"
#include "dynamodb/errors.h"
#include "dynamodb/items/index_entries.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/item_requests.h"

namespace trib::dynamodb::requests {

namespace {

// dynalite actions/updateItem.js, which took it from AWS [P].
constexpr std::string_view kItemTooLargeAfterUpdate =
    "Item size to update has exceeded the maximum allowed size";

}  // namespace

aws::AwsResult<Ok> ItemWriteRequest::parse() {
  // Orders: dynalite's validations/putItem.js, deleteItem.js, updateItem.js (mixing, key
  // values, AttributeUpdates, Expected, expressions), which took them from AWS [P].
  static constexpr std::string_view kConditionLegacy[] = {"Expected"};
  static constexpr std::string_view kConditionExpressions[] = {"ConditionExpression"};
  static constexpr std::string_view kUpdateLegacy[] = {"AttributeUpdates", "Expected"};
  static constexpr std::string_view kUpdateExpressions[] = {"UpdateExpression",
                                                            "ConditionExpression"};
  const bool update = kind_ == WriteKind::kUpdate;
  using Names = std::span<const std::string_view>;
  if (auto e =
          mixed_parameters(input_, update ? Names(kUpdateLegacy) : Names(kConditionLegacy),
                           update ? Names(kUpdateExpressions) : Names(kConditionExpressions))) {
    return aws::fail(std::move(*e));
  }
  const aws::Value* wire = input_.find(kind_ == WriteKind::kPut ? "Item" : "Key");
  auto values = wire ? item_from_wire(*wire) : item_from_wire(aws::Value::map());
  if (!values) return aws::fail(std::move(values.error()));
  (kind_ == WriteKind::kPut ? item_ : key_) = std::move(*values);

  if (const std::string* returns = input_.string_member("ReturnValues")) return_values_ = *returns;
  if (kind_ == WriteKind::kPut || kind_ == WriteKind::kDelete) {
    if (return_values_ != "NONE" && return_values_ != "ALL_OLD") {
      return aws::fail(validation("ReturnValues can only be ALL_OLD or NONE"));
    }
  }
  if (kind_ == WriteKind::kPut && item_size(item_) > items::kMaxItemBytes) {
    return aws::fail(validation(std::string(items::kItemTooLarge)));
  }
  if (update) {
    if (const aws::Value* wire_updates = input_.find("AttributeUpdates")) {
      auto parsed = documents::parse_attribute_updates(*wire_updates);
      if (!parsed) return aws::fail(std::move(parsed.error()));
      attribute_updates_ = std::move(*parsed);
    }
  }
  if (auto ok = expressions_.parse_expected(input_); !ok) return aws::fail(std::move(ok.error()));
  static constexpr expressions::ExpressionKind kCondition[] = {
      expressions::ExpressionKind::kCondition};
  static constexpr expressions::ExpressionKind kUpdateAndCondition[] = {
      expressions::ExpressionKind::kUpdate, expressions::ExpressionKind::kCondition};
  using Kinds = std::span<const expressions::ExpressionKind>;
  if (auto ok = expressions_.parse_expressions(
          input_, update ? Kinds(kUpdateAndCondition) : Kinds(kCondition));
      !ok) {
    return aws::fail(std::move(ok.error()));
  }
  return Ok{};
}

aws::AwsResult<Ok> ItemWriteRequest::find_table(const DynamoDbContext& ctx,
                                                const aws::RequestContext& request) {
  const std::string* name = input_.string_member("TableName");
  auto table = items::item_table(ctx, request, name ? *name : std::string_view());
  if (!table) return aws::fail(std::move(table.error()));
  table_ = std::move(*table);
  return Ok{};
}

aws::AwsResult<Ok> ItemWriteRequest::check_keys() {
  if (kind_ == WriteKind::kPut) {
    auto key = items::check_item_keys(*table_, item_);
    if (!key) return aws::fail(std::move(key.error()));
    key_ = std::move(*key);
    return Ok{};
  }
  if (auto ok = items::check_key(*table_, key_); !ok) return aws::fail(std::move(ok.error()));
  if (kind_ != WriteKind::kUpdate) return Ok{};
  std::vector<std::string_view> key_names;
  key_names.push_back(table_->key_schema.hash.name);
  if (table_->key_schema.range) key_names.push_back(table_->key_schema.range->name);
  if (const auto& update = expressions_.parsed.update) {
    if (auto e = documents::check_update_keys(*update, key_names)) return aws::fail(*e);
  }
  if (attribute_updates_) {
    if (auto e = documents::check_attribute_updates_keys(*attribute_updates_, key_names)) {
      return aws::fail(*e);
    }
  }
  return Ok{};
}

aws::AwsResult<Ok> ItemWriteRequest::check_local_index_size() const {
  // Local index entries count toward the 400 KB (items/index_entries.h); the text is the
  // item's (a guess for this case).
  if (kind_ == WriteKind::kPut &&
      items::item_size_with_local_entries(*table_, item_) > items::kMaxItemBytes) {
    return aws::fail(validation(std::string(items::kItemTooLarge)));
  }
  return Ok{};
}

aws::AwsResult<items::WriteDecision> ItemWriteRequest::decide(
    const std::optional<Item>& old_item) const {
  const Item* old = old_item ? &*old_item : nullptr;
  if (!expressions_.condition_holds(old)) return aws::fail(condition_failed(input_, old_item));
  switch (kind_) {
    case WriteKind::kPut:
      return items::WriteDecision::put(item_);
    case WriteKind::kDelete:
      return items::WriteDecision::remove();
    case WriteKind::kConditionCheck:
      return items::WriteDecision::keep();
    case WriteKind::kUpdate:
      break;
  }
  aws::AwsResult<std::optional<Item>> next = std::optional<Item>();
  if (const auto& update = expressions_.parsed.update) {
    next = documents::apply_update(old, key_, *update, expressions_.values);
  } else {
    // AttributeUpdates, or neither member: the key-only item, as an empty AttributeUpdates
    // [V: scylladb test_empty_update, run against AWS; D for an absent member].
    next = documents::apply_attribute_updates(
        old, key_, attribute_updates_ ? *attribute_updates_ : documents::AttributeUpdates{});
  }
  if (!next) return aws::fail(std::move(next.error()));
  if (!*next) return items::WriteDecision::keep();
  // Local index entries count toward the 400 KB (items/index_entries.h).
  if (items::item_size_with_local_entries(*table_, **next) > items::kMaxItemBytes) {
    return aws::fail(validation(std::string(kItemTooLargeAfterUpdate)));
  }
  // Index key types of the new item (the texts PutItem gives).
  if (auto ok = items::check_item_keys(*table_, **next); !ok) {
    return aws::fail(std::move(ok.error()));
  }
  return items::WriteDecision::put(std::move(**next));
}

std::optional<Item> ItemWriteRequest::returned_attributes(
    const items::WriteOutcome& outcome) const {
  auto updated = [&](const Item& item) {
    if (const auto& update = expressions_.parsed.update) {
      return documents::updated_attributes(item, *update);
    }
    if (attribute_updates_) return documents::updated_attributes(item, *attribute_updates_);
    return Item();
  };
  std::optional<Item> attributes;
  if (return_values_ == "ALL_OLD" && outcome.old_item) {
    attributes = *outcome.old_item;
  } else if (return_values_ == "ALL_NEW" && outcome.new_item) {
    attributes = *outcome.new_item;
  } else if (return_values_ == "UPDATED_OLD" && outcome.old_item) {
    attributes = updated(*outcome.old_item);
  } else if (return_values_ == "UPDATED_NEW" && outcome.new_item) {
    attributes = updated(*outcome.new_item);
  }
  // Nothing to return means no Attributes (facts §11 [P]).
  if (attributes && attributes->empty()) attributes.reset();
  return attributes;
}

aws::AwsResult<aws::Value> write_one_item(WriteKind kind, DynamoDbContext& ctx,
                                          const aws::RequestContext& request,
                                          const aws::Value& input) {
  ItemWriteRequest write(kind, input);
  if (auto ok = write.parse(); !ok) return aws::fail(std::move(ok.error()));
  if (auto ok = write.find_table(ctx, request); !ok) return aws::fail(std::move(ok.error()));
  if (auto ok = write.check_keys(); !ok) return aws::fail(std::move(ok.error()));
  if (auto ok = write.check_local_index_size(); !ok) return aws::fail(std::move(ok.error()));
  auto outcome =
      items::write_path(ctx).write(write.table(), write.key(), write.step(), request.now_ms);
  if (!outcome) return aws::fail(std::move(outcome.error()));
  aws::Value out = aws::Value::map();
  if (auto attributes = write.returned_attributes(*outcome)) {
    out.set("Attributes", item_to_wire(*attributes));
  }
  items::add_write_reports(out, input, write.table(), write.key(), *outcome);
  return out;
}

}  // namespace trib::dynamodb::requests
