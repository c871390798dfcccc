#include "dynamodb/documents/legacy.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "dynamodb/documents/projection.h"
#include "dynamodb/documents/value_model.h"
#include "dynamodb/errors.h"

namespace trib::dynamodb::documents {

namespace {

const aws::Value* member(const aws::Value& map, std::string_view name) {
  const aws::Value* found = map.find(name);
  return found != nullptr && !found->is_null() ? found : nullptr;
}

// [P dynalite actions/updateItem.js; V: scylladb test_item.py matches
// "ValidationException.*mismatch"]
aws::AwsError type_mismatch() { return validation("Type mismatch for attribute to update"); }

}  // namespace

// ---- AttributeUpdates ----

aws::AwsResult<AttributeUpdates> parse_attribute_updates(const aws::Value& attribute_updates) {
  AttributeUpdates updates;
  if (!attribute_updates.is_map()) return updates;
  updates.reserve(attribute_updates.as_map().size());
  for (const auto& [name, update] : attribute_updates.as_map()) {
    AttributeUpdate parsed;
    parsed.name = name;
    const std::string* action = update.is_map() ? update.string_member("Action") : nullptr;
    if (action != nullptr) {
      if (*action == "ADD") {
        parsed.action = AttributeAction::kAdd;
      } else if (*action == "DELETE") {
        parsed.action = AttributeAction::kDelete;
      }
    }
    if (const aws::Value* value = update.is_map() ? member(update, "Value") : nullptr) {
      auto converted = attribute_value_from_wire(*value, 1);
      if (!converted) return aws::fail(std::move(converted.error()));
      parsed.value = std::move(*converted);
    }
    if (!parsed.value && parsed.action != AttributeAction::kDelete) {
      return aws::fail(
          invalid_parameter("Only DELETE action is allowed when no attribute value is specified"));
    }
    if (parsed.value) {
      const AttributeType type = parsed.value->type();
      if (parsed.action == AttributeAction::kDelete && !is_set_type(type)) {
        return aws::fail(
            invalid_parameter("DELETE action with value is not supported for the type " +
                              std::string(type_name(type))));
      }
      if (parsed.action == AttributeAction::kAdd && !is_set_type(type) &&
          type != AttributeType::kN && type != AttributeType::kL) {
        return aws::fail(invalid_parameter("ADD action is not supported for the type " +
                                           std::string(type_name(type))));
      }
    }
    updates.push_back(std::move(parsed));
  }
  return updates;
}

std::optional<aws::AwsError> check_attribute_updates_keys(
    const AttributeUpdates& updates, std::span<const std::string_view> key_names) {
  for (const std::string_view key : key_names) {
    for (const AttributeUpdate& update : updates) {
      if (update.name == key) {
        return invalid_parameter("Cannot update attribute " + std::string(key) +
                                 ". This attribute is part of the key");
      }
    }
  }
  return std::nullopt;
}

aws::AwsResult<std::optional<Item>> apply_attribute_updates(const Item* old_item, const Item& key,
                                                            const AttributeUpdates& updates) {
  if (old_item == nullptr && !updates.empty() &&
      std::all_of(updates.begin(), updates.end(),
                  [](const AttributeUpdate& u) { return u.action == AttributeAction::kDelete; })) {
    return std::optional<Item>();
  }
  Item item = old_item ? *old_item : key;
  // The item keeps its shape during the loop (changes in place); new attributes and removals are
  // applied once at the end, so a request with many attributes costs n log n, not n².
  AttributeMap added;
  std::vector<std::string_view> removed;
  for (const AttributeUpdate& update : updates) {
    AttributeValue* existing = find_attribute(item, update.name);
    switch (update.action) {
      case AttributeAction::kPut:
        if (existing) {
          *existing = *update.value;
        } else {
          added.emplace_back(update.name, *update.value);
        }
        break;
      case AttributeAction::kDelete: {
        if (!update.value) {
          if (existing) removed.push_back(update.name);
          break;
        }
        if (existing == nullptr) break;
        const AttributeValue& value = *update.value;
        if (existing->type() != value.type()) return aws::fail(type_mismatch());
        auto rest = set_difference(*existing, value);
        const bool empty = !rest;
        if (rest) *existing = std::move(*rest);
        if (empty) removed.push_back(update.name);
        break;
      }
      case AttributeAction::kAdd: {
        const AttributeValue& value = *update.value;
        if (existing == nullptr) {
          added.emplace_back(update.name, value);
          break;
        }
        if (existing->type() != value.type()) return aws::fail(type_mismatch());
        switch (value.type()) {
          case AttributeType::kN: {
            auto sum = Number::add(existing->as_number(), value.as_number());
            if (!sum) return aws::fail(validation(number_error_message(sum.error(), "")));
            *existing = AttributeValue::number(*sum);
            break;
          }
          case AttributeType::kSS:
          case AttributeType::kNS:
          case AttributeType::kBS:
            *existing = set_union(*existing, value);
            break;
          default: {  // L: appended
            AttributeList& list = existing->as_list();
            list.insert(list.end(), value.as_list().begin(), value.as_list().end());
            break;
          }
        }
        break;
      }
    }
  }
  if (!removed.empty()) {
    std::sort(removed.begin(), removed.end());
    std::erase_if(item, [&](const auto& entry) {
      return std::binary_search(removed.begin(), removed.end(), std::string_view(entry.first));
    });
  }
  if (!added.empty()) {
    item.insert(item.end(), std::make_move_iterator(added.begin()),
                std::make_move_iterator(added.end()));
    item = std::move(AttributeValue::map(std::move(item)).as_map());  // sorts; the last name wins
  }
  return std::optional<Item>(std::move(item));
}

Item updated_attributes(const Item& item, const AttributeUpdates& updates) {
  std::vector<std::string_view> names;
  names.reserve(updates.size());
  for (const AttributeUpdate& update : updates) names.push_back(update.name);
  return project_attributes(item, names);
}

// ---- Conditions ----

namespace {

constexpr std::string_view kOperatorNames[] = {
    "EQ",   "NE",       "LE",           "LT",          "GE", "GT",     "NOT_NULL",
    "NULL", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH", "IN", "BETWEEN"};

// How many values each operator takes: exactly `min` (== max), or at least `min` (IN).
struct Arity {
  size_t min;
  size_t max;
};
Arity arity(ComparisonOperator op) {
  switch (op) {
    case ComparisonOperator::kNotNull:
    case ComparisonOperator::kNull:
      return {0, 0};
    case ComparisonOperator::kIn:
      return {1, SIZE_MAX};
    case ComparisonOperator::kBetween:
      return {2, 2};
    default:
      return {1, 1};
  }
}

// The value types an operator accepts in AttributeValueList [P dynalite validateConditions; V AWS
// docs Condition.ComparisonOperator].
bool accepts(ComparisonOperator op, AttributeType type) {
  const bool scalar =
      type == AttributeType::kS || type == AttributeType::kN || type == AttributeType::kB;
  switch (op) {
    case ComparisonOperator::kEq:
    case ComparisonOperator::kNe:
      return scalar || is_set_type(type);
    case ComparisonOperator::kBeginsWith:
      return type == AttributeType::kS || type == AttributeType::kB;
    case ComparisonOperator::kNotNull:
    case ComparisonOperator::kNull:
      return true;
    default:
      return scalar;
  }
}

aws::AwsError wrong_count(ComparisonOperator op) {
  return invalid_parameter("Invalid number of argument(s) for the " +
                           std::string(comparison_operator_name(op)) + " ComparisonOperator");
}

// The checks on a converted AttributeValueList shared by Expected and the filters: one type,
// the operator's types, BETWEEN bounds in order.
std::optional<aws::AwsError> check_values(const LegacyCondition& condition) {
  if (condition.values.empty()) return std::nullopt;
  const AttributeType type = condition.values[0].type();
  for (const AttributeValue& value : condition.values) {
    if (value.type() != type) {
      return invalid_parameter("AttributeValues inside AttributeValueList must be of same type");
    }
  }
  for (const AttributeValue& value : condition.values) {
    if (!accepts(condition.op, value.type())) {
      return invalid_parameter(
          "ComparisonOperator " + std::string(comparison_operator_name(condition.op)) +
          " is not valid for " + std::string(type_name(value.type())) + " AttributeValue type");
    }
  }
  if (condition.op == ComparisonOperator::kBetween &&
      compare_scalars(condition.values[0], condition.values[1]) > 0) {
    return validation(
        "The BETWEEN condition was provided a range where the lower bound is greater than the "
        "upper bound");
  }
  return std::nullopt;
}

aws::AwsResult<std::vector<AttributeValue>> convert_list(const aws::Value* list) {
  std::vector<AttributeValue> values;
  if (list == nullptr || !list->is_list()) return values;
  values.reserve(list->as_list().size());
  for (const aws::Value& element : list->as_list()) {
    auto converted = attribute_value_from_wire(element, 1);
    if (!converted) return aws::fail(std::move(converted.error()));
    values.push_back(std::move(*converted));
  }
  return values;
}

bool match_any(const std::string* conditional_operator) {
  return conditional_operator != nullptr && *conditional_operator == "OR";
}

}  // namespace

std::string_view comparison_operator_name(ComparisonOperator op) {
  return kOperatorNames[static_cast<int>(op)];
}

std::optional<ComparisonOperator> parse_comparison_operator(std::string_view name) {
  for (size_t i = 0; i < std::size(kOperatorNames); ++i) {
    if (kOperatorNames[i] == name) return static_cast<ComparisonOperator>(i);
  }
  return std::nullopt;
}

aws::AwsResult<LegacyConditions> parse_expected(const aws::Value& expected,
                                                const std::string* conditional_operator) {
  LegacyConditions result;
  result.match_any = match_any(conditional_operator);
  if (!expected.is_map()) return result;
  for (const auto& [name, condition] : expected.as_map()) {
    const aws::Value* list = member(condition, "AttributeValueList");
    const aws::Value* value = member(condition, "Value");
    const aws::Value* exists = member(condition, "Exists");
    const std::string* op_name = condition.string_member("ComparisonOperator");
    if (list && value) {
      return aws::fail(invalid_parameter(
          "Value and AttributeValueList cannot be used together for Attribute: " + name));
    }
    LegacyCondition parsed;
    parsed.name = name;
    if (op_name != nullptr) {
      const auto op = parse_comparison_operator(*op_name);
      if (!op) return aws::fail(wrong_count(ComparisonOperator::kEq));  // the model refuses it
      parsed.op = *op;
      if (exists) {
        return aws::fail(invalid_parameter(
            "Exists and ComparisonOperator cannot be used together for Attribute: " + name));
      }
      if (parsed.op != ComparisonOperator::kNull && parsed.op != ComparisonOperator::kNotNull &&
          !list && !value) {
        return aws::fail(invalid_parameter(
            "Value or AttributeValueList must be used with ComparisonOperator: " + *op_name +
            " for Attribute: " + name));
      }
      const size_t count = list ? (list->is_list() ? list->as_list().size() : 0) : (value ? 1 : 0);
      const Arity wanted = arity(parsed.op);
      if (count < wanted.min || count > wanted.max) return aws::fail(wrong_count(parsed.op));
      if (list) {
        auto values = convert_list(list);
        if (!values) return aws::fail(std::move(values.error()));
        parsed.values = std::move(*values);
      } else if (value) {
        auto converted = attribute_value_from_wire(*value, 1);
        if (!converted) return aws::fail(std::move(converted.error()));
        parsed.values.push_back(std::move(*converted));
      }
      if (auto error = check_values(parsed)) return aws::fail(std::move(*error));
    } else if (list) {
      return aws::fail(invalid_parameter(
          "AttributeValueList can only be used with a ComparisonOperator for Attribute: " + name));
    } else {
      // The model makes Exists a boolean; anything else counts as true rather than aborting.
      const bool must_exist =
          exists == nullptr || exists->kind() != aws::Value::Kind::kBool || exists->as_bool();
      if (must_exist && !value) {
        return aws::fail(invalid_parameter("Value must be provided when Exists is " +
                                           std::string(exists == nullptr ? "null" : "true") +
                                           " for Attribute: " + name));
      }
      if (!must_exist && value) {
        return aws::fail(
            invalid_parameter("Value cannot be used when Exists is false for Attribute: " + name));
      }
      if (value) {
        auto converted = attribute_value_from_wire(*value, 1);
        if (!converted) return aws::fail(std::move(converted.error()));
        parsed.op = ComparisonOperator::kEq;
        parsed.values.push_back(std::move(*converted));
      } else {
        parsed.op = ComparisonOperator::kNull;
      }
    }
    result.conditions.push_back(std::move(parsed));
  }
  return result;
}

aws::AwsResult<LegacyConditions> parse_conditions(const aws::Value& conditions,
                                                  const std::string* conditional_operator) {
  LegacyConditions result;
  result.match_any = match_any(conditional_operator);
  if (!conditions.is_map()) return result;
  for (const auto& [name, condition] : conditions.as_map()) {
    LegacyCondition parsed;
    parsed.name = name;
    auto values = convert_list(member(condition, "AttributeValueList"));
    if (!values) return aws::fail(std::move(values.error()));
    parsed.values = std::move(*values);
    const std::string* op_name = condition.string_member("ComparisonOperator");
    const auto op = op_name ? parse_comparison_operator(*op_name) : std::nullopt;
    if (!op) return aws::fail(wrong_count(ComparisonOperator::kEq));  // the model refuses it
    parsed.op = *op;
    const Arity wanted = arity(parsed.op);
    if (parsed.values.size() < wanted.min || parsed.values.size() > wanted.max) {
      return aws::fail(wrong_count(parsed.op));
    }
    if (auto error = check_values(parsed)) return aws::fail(std::move(*error));
    result.conditions.push_back(std::move(parsed));
  }
  return result;
}

namespace {

bool scalar(const AttributeValue& v) {
  return v.is(AttributeType::kS) || v.is(AttributeType::kN) || v.is(AttributeType::kB);
}

bool contains(const AttributeValue& container, const AttributeValue& operand) {
  switch (container.type()) {
    case AttributeType::kS:
      return operand.is(AttributeType::kS) &&
             container.as_string().find(operand.as_string()) != std::string::npos;
    case AttributeType::kB:
      return operand.is(AttributeType::kB) &&
             container.as_binary().find(operand.as_binary()) != std::string::npos;
    case AttributeType::kSS:
      return operand.is(AttributeType::kS) &&
             std::binary_search(container.as_string_set().begin(), container.as_string_set().end(),
                                operand.as_string());
    case AttributeType::kNS:
      return operand.is(AttributeType::kN) &&
             std::binary_search(container.as_number_set().begin(), container.as_number_set().end(),
                                operand.as_number());
    case AttributeType::kBS:
      return operand.is(AttributeType::kB) &&
             std::binary_search(container.as_binary_set().begin(), container.as_binary_set().end(),
                                operand.as_binary());
    case AttributeType::kL:
      return std::find(container.as_list().begin(), container.as_list().end(), operand) !=
             container.as_list().end();
    default:
      return false;
  }
}

// The order of value against bound when both are one type S, N or B.
std::optional<int> order(const AttributeValue& value, const AttributeValue& bound) {
  if (!scalar(value) || value.type() != bound.type()) return std::nullopt;
  return compare_scalars(value, bound);
}

bool matches_one(const LegacyCondition& condition, const AttributeValue* value) {
  const auto& operands = condition.values;
  switch (condition.op) {
    case ComparisonOperator::kNotNull:
      return value != nullptr;
    case ComparisonOperator::kNull:
      return value == nullptr;
    case ComparisonOperator::kEq:
      return value != nullptr && *value == operands[0];
    case ComparisonOperator::kNe:
      return value == nullptr || !(*value == operands[0]);
    case ComparisonOperator::kIn:
      return value != nullptr &&
             std::find(operands.begin(), operands.end(), *value) != operands.end();
    case ComparisonOperator::kContains:
      return value != nullptr && contains(*value, operands[0]);
    case ComparisonOperator::kNotContains:
      return value != nullptr && !contains(*value, operands[0]);
    case ComparisonOperator::kBeginsWith: {
      if (value == nullptr || value->type() != operands[0].type()) return false;
      if (value->is(AttributeType::kS)) {
        return std::string_view(value->as_string()).starts_with(operands[0].as_string());
      }
      if (value->is(AttributeType::kB)) {
        return std::string_view(value->as_binary()).starts_with(operands[0].as_binary());
      }
      return false;
    }
    default:
      break;
  }
  if (value == nullptr) return false;
  const auto first = order(*value, operands[0]);
  if (!first) return false;
  switch (condition.op) {
    case ComparisonOperator::kLt:
      return *first < 0;
    case ComparisonOperator::kLe:
      return *first <= 0;
    case ComparisonOperator::kGt:
      return *first > 0;
    case ComparisonOperator::kGe:
      return *first >= 0;
    case ComparisonOperator::kBetween: {
      const auto second = order(*value, operands[1]);
      return *first >= 0 && second && *second <= 0;
    }
    default:
      return false;
  }
}

}  // namespace

bool matches(const LegacyConditions& conditions, const Item* item) {
  if (conditions.conditions.empty()) return true;
  for (const LegacyCondition& condition : conditions.conditions) {
    const AttributeValue* value = item ? find_attribute(*item, condition.name) : nullptr;
    const bool ok = matches_one(condition, value);
    if (conditions.match_any && ok) return true;
    if (!conditions.match_any && !ok) return false;
  }
  return !conditions.match_any;
}

}  // namespace trib::dynamodb::documents
