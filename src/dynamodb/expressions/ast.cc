#include "dynamodb/expressions/ast.h"

namespace trib::dynamodb::expressions {

std::string_view parameter_name(ExpressionKind kind) {
  switch (kind) {
    case ExpressionKind::kCondition:
      return "ConditionExpression";
    case ExpressionKind::kFilter:
      return "FilterExpression";
    case ExpressionKind::kKeyCondition:
      return "KeyConditionExpression";
    case ExpressionKind::kProjection:
      return "ProjectionExpression";
    case ExpressionKind::kUpdate:
      return "UpdateExpression";
  }
  return {};
}

std::string_view comparator_text(Comparator comparator) {
  switch (comparator) {
    case Comparator::kEqual:
      return "=";
    case Comparator::kNotEqual:
      return "<>";
    case Comparator::kLess:
      return "<";
    case Comparator::kLessOrEqual:
      return "<=";
    case Comparator::kGreater:
      return ">";
    case Comparator::kGreaterOrEqual:
      return ">=";
  }
  return {};
}

std::string_view function_name(Function function) {
  switch (function) {
    case Function::kAttributeExists:
      return "attribute_exists";
    case Function::kAttributeNotExists:
      return "attribute_not_exists";
    case Function::kAttributeType:
      return "attribute_type";
    case Function::kBeginsWith:
      return "begins_with";
    case Function::kContains:
      return "contains";
    case Function::kSize:
      return "size";
    case Function::kIfNotExists:
      return "if_not_exists";
    case Function::kListAppend:
      return "list_append";
    case Function::kUnknown:
      return {};
  }
  return {};
}

std::string path_text(std::span<const PathElement> path) {
  std::string out = "[";
  for (size_t i = 0; i < path.size(); ++i) {
    if (i > 0) out += ", ";
    if (path[i].is_index()) {
      out += "[" + std::to_string(path[i].index) + "]";
    } else {
      out += path[i].name;
    }
  }
  out += "]";
  return out;
}

namespace {

void render(const Expression& expression, Expression::NodeIndex index,
            const std::vector<std::pair<Expression::NodeIndex, std::string_view>>& value_names,
            std::string& out) {
  const Node& node = expression.node(index);
  switch (node.kind) {
    case NodeKind::kPath: {
      bool first = true;
      for (const PathElement& element : expression.elements(index)) {
        if (element.is_index()) {
          out += "[" + std::to_string(element.index) + "]";
        } else {
          if (!first) out += '.';
          out += element.name;
        }
        first = false;
      }
      return;
    }
    case NodeKind::kValue:
      for (const auto& [node_index, name] : value_names) {
        if (node_index == index) out += name;
      }
      return;
    default:
      break;
  }
  std::string_view head;
  switch (node.kind) {
    case NodeKind::kFunction:
      head = function_name(node.function());
      break;
    case NodeKind::kCompare:
      head = comparator_text(node.comparator());
      break;
    case NodeKind::kBetween:
      head = "BETWEEN";
      break;
    case NodeKind::kIn:
      head = "IN";
      break;
    case NodeKind::kAnd:
      head = "AND";
      break;
    case NodeKind::kOr:
      head = "OR";
      break;
    case NodeKind::kNot:
      head = "NOT";
      break;
    case NodeKind::kPlus:
      head = "+";
      break;
    case NodeKind::kMinus:
      head = "-";
      break;
    case NodeKind::kSetAction:
      head = "SET";
      break;
    case NodeKind::kRemoveAction:
      head = "REMOVE";
      break;
    case NodeKind::kAddAction:
      head = "ADD";
      break;
    case NodeKind::kDeleteAction:
      head = "DELETE";
      break;
    case NodeKind::kUpdate:
      head = "UPDATE";
      break;
    case NodeKind::kProjection:
      head = "PROJECTION";
      break;
    default:
      break;
  }
  out += '(';
  out += head;
  for (const Expression::NodeIndex child : expression.children(index)) {
    out += ' ';
    render(expression, child, value_names, out);
  }
  out += ')';
}

}  // namespace

std::string Expression::debug_string() const {
  std::string out;
  if (!nodes_.empty()) render(*this, root_, value_names_, out);
  return out;
}

}  // namespace trib::dynamodb::expressions
