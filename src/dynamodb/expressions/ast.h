// The parsed form of one DynamoDB expression: a compact tree kept in flat arrays (an arena), so
// that an expression is parsed once per request and evaluated against many items without
// re-parsing or chasing heap pointers.
//
// Lifetime: names and values are not copied. A path element's name points into the expression
// text (a bare name) or into the request's ExpressionAttributeNames (a #name substitution), and a
// value node points at the request's ExpressionAttributeValues entry (an AttributeValue document
// such as {"S": "x"}). An Expression must not outlive the request document it was parsed from.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/value.h"

namespace trib::dynamodb::expressions {

enum class ExpressionKind : uint8_t {
  kCondition,     // ConditionExpression
  kFilter,        // FilterExpression (the condition grammar)
  kKeyCondition,  // KeyConditionExpression (the condition grammar, then key_condition.h)
  kProjection,    // ProjectionExpression
  kUpdate,        // UpdateExpression
};

// The request member that carries an expression of this kind ("ConditionExpression", ...).
std::string_view parameter_name(ExpressionKind kind);

enum class NodeKind : uint8_t {
  // Operands.
  kPath,      // a document path; elements() gives its names and list indexes
  kValue,     // a :value placeholder; `value` points at the AttributeValue
  kFunction,  // `function`, children = arguments
  // Conditions.
  kCompare,  // `comparator`, children = {left, right}
  kBetween,  // children = {operand, lower, upper}
  kIn,       // children = {operand, candidate...}
  kAnd,      // children = {left, right}
  kOr,       // children = {left, right}
  kNot,      // children = {operand}
  // Update values.
  kPlus,   // children = {left, right}
  kMinus,  // children = {left, right}
  // Update actions; children = {path} (REMOVE) or {path, value}.
  kSetAction,
  kRemoveAction,
  kAddAction,
  kDeleteAction,
  // Roots of the list-shaped expressions.
  kUpdate,      // children = the actions in the order written (clauses may come in any order)
  kProjection,  // children = the paths in the order written
};

enum class Comparator : uint8_t {
  kEqual,
  kNotEqual,
  kLess,
  kLessOrEqual,
  kGreater,
  kGreaterOrEqual
};

// Function names are case-sensitive. kUnknown is never left in a successfully parsed tree.
enum class Function : uint8_t {
  kAttributeExists,
  kAttributeNotExists,
  kAttributeType,
  kBeginsWith,
  kContains,
  kSize,
  kIfNotExists,  // update expressions only
  kListAppend,   // update expressions only
  kUnknown,
};

std::string_view comparator_text(Comparator comparator);  // "=", "<>", ...
std::string_view function_name(Function function);        // "attribute_exists", ...

// One step of a document path: a map key / attribute name, or a list index.
struct PathElement {
  static constexpr uint32_t kNotIndex = UINT32_MAX;
  std::string_view name;       // the resolved attribute name (empty for an index)
  uint32_t index = kNotIndex;  // the list index, or kNotIndex for a name

  bool is_index() const { return index != kNotIndex; }
};

struct Node {
  NodeKind kind = NodeKind::kPath;
  uint8_t op = 0;  // the Comparator of a kCompare node, the Function of a kFunction node
  // kPath: range in Expression::elements; other kinds: range in Expression::children.
  uint32_t first = 0;
  uint32_t count = 0;
  const aws::Value* value = nullptr;  // kValue: the ExpressionAttributeValues entry

  Comparator comparator() const { return static_cast<Comparator>(op); }
  Function function() const { return static_cast<Function>(op); }
};

class Expression {
 public:
  using NodeIndex = uint32_t;

  ExpressionKind kind() const { return kind_; }
  NodeIndex root() const { return root_; }
  const Node& node(NodeIndex index) const { return nodes_[index]; }
  size_t node_count() const { return nodes_.size(); }

  // The child nodes of a non-path node, in order.
  std::span<const NodeIndex> children(NodeIndex index) const {
    const Node& n = nodes_[index];
    return {children_.data() + n.first, n.count};
  }
  // The elements of a kPath node, outermost first.
  std::span<const PathElement> elements(NodeIndex index) const {
    const Node& n = nodes_[index];
    return {elements_.data() + n.first, n.count};
  }

  // A readable rendering of the tree (tests and debugging), e.g. "(AND (= a :v) (size b))".
  std::string debug_string() const;

 private:
  friend class ExpressionBuilder;

  ExpressionKind kind_ = ExpressionKind::kCondition;
  NodeIndex root_ = 0;
  std::vector<Node> nodes_;
  std::vector<NodeIndex> children_;
  std::vector<PathElement> elements_;
  // For debug_string: the placeholder text of each kValue node, by node index order.
  std::vector<std::pair<NodeIndex, std::string_view>> value_names_;
};

// Renders a path the way DynamoDB's messages do: "[a, b, [3], c]".
std::string path_text(std::span<const PathElement> path);

}  // namespace trib::dynamodb::expressions
