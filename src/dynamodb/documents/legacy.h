// The pre-2015 item parameters, as pure functions over AttributeValues: AttributeUpdates
// (UpdateItem), Expected (PutItem, UpdateItem, DeleteItem), QueryFilter / ScanFilter /
// KeyConditions (Query, Scan) and ConditionalOperator. Each parse_* function converts the request
// member once and applies AWS's validation texts (dynalite validations/*.js, which took them from
// AWS [P], unless marked).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aws/error.h"
#include "aws/value.h"
#include "dynamodb/values/attribute_value.h"

namespace trib::dynamodb::documents {

// ---- AttributeUpdates ----

enum class AttributeAction : uint8_t { kPut, kAdd, kDelete };

struct AttributeUpdate {
  std::string name;
  AttributeAction action = AttributeAction::kPut;  // AWS's default when Action is absent
  std::optional<AttributeValue> value;
};
using AttributeUpdates = std::vector<AttributeUpdate>;

// The AttributeUpdates map (name -> {Action, Value}), the model's constraints (Action enum)
// already checked. Per entry, in request order [P dynalite validations/updateItem.js]: the
// Value's AttributeValue rules; no Value with PUT/ADD: "One or more parameter values were
// invalid: Only DELETE action is allowed when no attribute value is specified"; DELETE with a
// non-set Value: "... DELETE action with value is not supported for the type S"; ADD with a
// Value not N, a set or L: "... ADD action is not supported for the type S".
aws::AwsResult<AttributeUpdates> parse_attribute_updates(const aws::Value& attribute_updates);

// "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part
// of the key" for the first key attribute (schema order) named in the updates [P dynalite
// db/index.js validateUpdates; the same text is recorded for UpdateExpression, V].
std::optional<aws::AwsError> check_attribute_updates_keys(
    const AttributeUpdates& updates, std::span<const std::string_view> key_names);

// The new item, or nullopt when no item results (a missing item whose updates are all DELETE
// stays missing; an empty AttributeUpdates creates the key-only item) [V: scylladb test_item.py
// test_update_item_non_existent, test_empty_update, run against AWS]. Semantics [V: scylladb
// test_item.py test_update_item_delete / test_update_item_add, run against AWS; texts P dynalite
// actions/updateItem.js]: PUT replaces; DELETE without Value removes the attribute, with a set
// removes its elements (the attribute when none remain; nothing when it is missing); ADD adds a
// number (a missing one is 0), merges a set, appends a list (undocumented, but AWS does), creates
// a missing attribute; a type mismatch between the attribute and the Value is "Type mismatch
// for attribute to update".
aws::AwsResult<std::optional<Item>> apply_attribute_updates(const Item* old_item, const Item& key,
                                                            const AttributeUpdates& updates);

// UPDATED_OLD / UPDATED_NEW for AttributeUpdates: the named top-level attributes of `item`.
Item updated_attributes(const Item& item, const AttributeUpdates& updates);

// ---- Expected, QueryFilter, ScanFilter, KeyConditions, ConditionalOperator ----

enum class ComparisonOperator : uint8_t {
  kEq,
  kNe,
  kLe,
  kLt,
  kGe,
  kGt,
  kNotNull,
  kNull,
  kContains,
  kNotContains,
  kBeginsWith,
  kIn,
  kBetween,
};
std::string_view comparison_operator_name(ComparisonOperator op);  // "EQ", "NOT_NULL", ...
std::optional<ComparisonOperator> parse_comparison_operator(std::string_view name);

struct LegacyCondition {
  std::string name;  // a top-level attribute
  ComparisonOperator op = ComparisonOperator::kEq;
  std::vector<AttributeValue> values;  // AttributeValueList (or Value)
};

struct LegacyConditions {
  std::vector<LegacyCondition> conditions;  // in request order
  bool match_any = false;                   // ConditionalOperator OR
};

// Expected: per attribute either {Exists, Value} or {ComparisonOperator, AttributeValueList |
// Value}. `conditional_operator` is the request's ConditionalOperator ("AND"/"OR"), or nullptr.
// Texts and order [P dynalite validations/index.js validateAttributeConditions]; the
// AttributeValue rules are applied to the values after the count checks [D]; the operand types
// per operator as for filters [D: AWS docs, Condition.ComparisonOperator].
aws::AwsResult<LegacyConditions> parse_expected(const aws::Value& expected,
                                                const std::string* conditional_operator);

// QueryFilter, ScanFilter and KeyConditions: per attribute {ComparisonOperator,
// AttributeValueList}. Texts and order [P dynalite validations/index.js validateConditions]:
// each value's AttributeValue rules; the count ("One or more parameter values were invalid:
// Invalid number of argument(s) for the BETWEEN ComparisonOperator"); one type for all values
// ("... AttributeValues inside AttributeValueList must be of same type"); the type the operator
// takes ("... ComparisonOperator LT is not valid for SS AttributeValue type"); BETWEEN bounds in
// order ("The BETWEEN condition was provided a range where the lower bound is greater than the
// upper bound").
aws::AwsResult<LegacyConditions> parse_conditions(const aws::Value& conditions,
                                                  const std::string* conditional_operator);

// Whether an item (nullptr: no item, seen as empty) satisfies the conditions: all of them, or
// any with ConditionalOperator OR; no conditions is true. Per operator [V: AWS docs
// Condition.ComparisonOperator; P scylladb alternator/conditions.cc, tested against AWS]: EQ /
// IN need the attribute, of the value's type and equal; NE is true for a missing attribute; LT,
// LE, GT, GE, BETWEEN need one type S, N or B; NOT_NULL / NULL test existence only; CONTAINS: a
// substring of S, a subsequence of B, a member of a set, an element of a list; NOT_CONTAINS is
// false for a missing attribute; BEGINS_WITH: S or B prefixes.
bool matches(const LegacyConditions& conditions, const Item* item);

}  // namespace trib::dynamodb::documents
