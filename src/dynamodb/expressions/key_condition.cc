// The messages and their order follow dynalite (validations/query.js convertKeyCondition),
// whose texts were taken from AWS [P]; "KeyConditionExpressions must only contain one condition
// per key" and "Invalid operator used in KeyConditionExpression: OR" were also recorded from
// AWS by its users (awslabs/aws-athena-query-federation#746, #1089).
#include "dynamodb/expressions/key_condition.h"

#include <optional>
#include <string>

#include "dynamodb/expressions/parser.h"

namespace trib::dynamodb::expressions {

namespace {

using NodeIndex = Expression::NodeIndex;

class KeyConditionReader {
 public:
  explicit KeyConditionReader(const Expression& expression) : expression_(expression) {}

  std::optional<std::string> read(NodeIndex index);
  std::vector<KeyCondition> conditions;

 private:
  std::optional<std::string> read_leaf(NodeIndex index);
  const Expression& expression_;
};

std::optional<std::string> KeyConditionReader::read(NodeIndex index) {
  const Node& node = expression_.node(index);
  switch (node.kind) {
    case NodeKind::kOr:
      return "Invalid operator used in KeyConditionExpression: OR";
    case NodeKind::kNot:
      return "Invalid operator used in KeyConditionExpression: NOT";
    case NodeKind::kIn:
      return "Invalid operator used in KeyConditionExpression: IN";
    case NodeKind::kAnd:
      for (const NodeIndex child : expression_.children(index)) {
        if (auto problem = read(child)) return problem;
      }
      return std::nullopt;
    default:
      return read_leaf(index);
  }
}

std::optional<std::string> KeyConditionReader::read_leaf(NodeIndex index) {
  const Node& node = expression_.node(index);
  const auto operands = expression_.children(index);
  if (node.kind == NodeKind::kCompare && node.comparator() == Comparator::kNotEqual) {
    return "Invalid operator used in KeyConditionExpression: <>";
  }
  if (node.kind == NodeKind::kFunction) {
    switch (node.function()) {
      case Function::kAttributeExists:
      case Function::kAttributeNotExists:
      case Function::kAttributeType:
      case Function::kContains:
        return "Invalid operator used in KeyConditionExpression: " +
               std::string(function_name(node.function()));
      case Function::kSize:
        return "KeyConditionExpressions cannot contain nested operations";
      default:
        break;
    }
  }
  const bool between = node.kind == NodeKind::kBetween;
  const bool begins_with =
      node.kind == NodeKind::kFunction && node.function() == Function::kBeginsWith;
  if ((between || begins_with) && expression_.node(operands[0]).kind != NodeKind::kPath) {
    return "Invalid condition in KeyConditionExpression: " +
           std::string(between ? "BETWEEN" : "begins_with") +
           " operator must have the key attribute as its first operand";
  }

  std::string_view attribute;
  size_t attribute_position = 0;
  std::vector<const aws::Value*> values;
  for (size_t i = 0; i < operands.size(); ++i) {
    const Node& operand = expression_.node(operands[i]);
    if (operand.kind == NodeKind::kPath) {
      if (!attribute.empty()) {
        return "Invalid condition in KeyConditionExpression: Multiple attribute names used in "
               "one condition";
      }
      const auto elements = expression_.elements(operands[i]);
      if (elements.size() > 1)
        return "KeyConditionExpressions cannot have conditions on nested attributes";
      attribute = elements[0].name;
      attribute_position = i;
    } else if (operand.kind == NodeKind::kFunction) {
      return "KeyConditionExpressions cannot contain nested operations";
    } else {
      values.push_back(operand.value);
    }
  }
  if (attribute.empty())
    return "Invalid condition in KeyConditionExpression: No key attribute specified";
  for (const KeyCondition& existing : conditions) {
    if (existing.attribute == attribute) {
      return "KeyConditionExpressions must only contain one condition per key";
    }
  }

  KeyCondition condition;
  condition.attribute = attribute;
  if (between) {
    condition.op = KeyCondition::Operator::kBetween;
  } else if (begins_with) {
    condition.op = KeyCondition::Operator::kBeginsWith;
  } else {
    const bool flipped = attribute_position != 0;
    switch (node.comparator()) {
      case Comparator::kLess:
        condition.op = flipped ? KeyCondition::Operator::kGreater : KeyCondition::Operator::kLess;
        break;
      case Comparator::kLessOrEqual:
        condition.op = flipped ? KeyCondition::Operator::kGreaterOrEqual
                               : KeyCondition::Operator::kLessOrEqual;
        break;
      case Comparator::kGreater:
        condition.op = flipped ? KeyCondition::Operator::kLess : KeyCondition::Operator::kGreater;
        break;
      case Comparator::kGreaterOrEqual:
        condition.op = flipped ? KeyCondition::Operator::kLessOrEqual
                               : KeyCondition::Operator::kGreaterOrEqual;
        break;
      default:
        condition.op = KeyCondition::Operator::kEqual;
        break;
    }
  }
  condition.value = values.empty() ? nullptr : values[0];
  condition.upper_value = values.size() > 1 ? values[1] : nullptr;
  conditions.push_back(condition);
  return std::nullopt;
}

}  // namespace

aws::AwsResult<std::vector<KeyCondition>> key_conditions(const Expression& expression) {
  KeyConditionReader reader(expression);
  if (auto problem = reader.read(expression.root())) {
    return aws::fail(validation_error(std::move(*problem)));
  }
  return std::move(reader.conditions);
}

}  // namespace trib::dynamodb::expressions
