// One item write request, as PutItem, UpdateItem and DeleteItem take it and as each action of
// TransactWriteItems (Put, Update, Delete, ConditionCheck) takes it: parsed and checked in the
// operations' order, then turned into the write path's step. The single-item operations are
// write_one_item(); transactions (ops/transact_write_items.cc) run many of these through
// items::WritePath::write_items. Nothing here is specific to one of them.
#pragma once

#include <memory>
#include <optional>

#include "aws/error.h"
#include "aws/value.h"
#include "dynamodb/context.h"
#include "dynamodb/documents/legacy.h"
#include "dynamodb/items/write_path.h"
#include "dynamodb/requests/item_expressions.h"
#include "dynamodb/values/attribute_value.h"

namespace trib::dynamodb::requests {

enum class WriteKind : uint8_t { kPut, kUpdate, kDelete, kConditionCheck };

// The request document `input` (a whole PutItem request, or one transaction action's member)
// must outlive this. Not movable (WriteExpressions is found by address): keep it on the stack
// or in a unique_ptr.
class ItemWriteRequest {
 public:
  ItemWriteRequest(WriteKind kind, const aws::Value& input) : kind_(kind), input_(input) {}
  ItemWriteRequest(const ItemWriteRequest&) = delete;
  ItemWriteRequest& operator=(const ItemWriteRequest&) = delete;

  // The checks that need no table, in the operation's order (dynalite's validations/*.js):
  // legacy/expression mixing, the Item or Key values, ReturnValues, item size, AttributeUpdates,
  // Expected, the expressions.
  aws::AwsResult<Ok> parse();
  // The table named by TableName (ResourceNotFoundException `Requested resource not found`).
  aws::AwsResult<Ok> find_table(const DynamoDbContext& ctx, const aws::RequestContext& request);
  // The Item's or Key's attributes against the table's schema; for updates, that no key
  // attribute is updated. AWS's texts (items/item_keys.h, documents/).
  aws::AwsResult<Ok> check_keys();
  // After check_keys, for puts: the item with its local index entries within 400 KB
  // (ValidationException, the item's text; items/index_entries.h).
  aws::AwsResult<Ok> check_local_index_size() const;

  // The write path's step: the condition, then the put, update, delete or (ConditionCheck)
  // nothing. Refusals: ConditionalCheckFailedException (with Item under
  // ReturnValuesOnConditionCheckFailure ALL_OLD), an update's ValidationException (the new
  // item with its local index entries past 400 KB among them).
  aws::AwsResult<items::WriteDecision> decide(const std::optional<Item>& old_item) const;
  items::WriteStep step() const {
    return [this](const std::optional<Item>& old_item) { return decide(old_item); };
  }
  // The answer's Attributes under ReturnValues (nullopt: none to return).
  std::optional<Item> returned_attributes(const items::WriteOutcome& outcome) const;

  WriteKind kind() const { return kind_; }
  const aws::Value& input() const { return input_; }
  const Table& table() const { return *table_; }
  const Item& key() const { return key_; }
  // Bytes of the item or key given (what a transaction's 4 MB limit sums).
  size_t payload_bytes() const { return item_size(kind_ == WriteKind::kPut ? item_ : key_); }

 private:
  WriteKind kind_;
  const aws::Value& input_;
  Item item_;  // kPut: the new item
  Item key_;   // the key (kPut: after check_keys)
  std::optional<documents::AttributeUpdates> attribute_updates_;
  WriteExpressions expressions_;
  std::string_view return_values_ = "NONE";
  TableCatalog::TablePtr table_;
};

// PutItem, UpdateItem, DeleteItem: parse, table, keys, the write path, then Attributes,
// ConsumedCapacity and ItemCollectionMetrics.
aws::AwsResult<aws::Value> write_one_item(WriteKind kind, DynamoDbContext& ctx,
                                          const aws::RequestContext& request,
                                          const aws::Value& input);

}  // namespace trib::dynamodb::requests
