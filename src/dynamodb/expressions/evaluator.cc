// Evaluation rules, from scylladb's test_condition_expression.py, which runs against AWS [V]:
// - `=`: both operands present, of one type, equal. Two absent attributes are not equal.
// - `<>`: the negation of `=`: true when an operand is absent or the types differ.
// - `<`, `<=`, `>`, `>=`, BETWEEN: every operand present, all of one type S, N or B; otherwise
//   false (an item value of another type is not an error).
// - IN: the operand present and equal to one of the candidates.
// - attribute_exists / attribute_not_exists: whether the path resolves; attribute_type: it
//   resolves to a value of the named type.
// - begins_with: S with S or B with B; contains: a substring of an S, an element of a set, or an
//   element of a list equal to the operand; anything else is false.
// - size(): of an S, B, set, L or M; of anything else (or of an absent path) the comparison
//   using it is false.
#include "dynamodb/expressions/evaluator.h"

#include <span>

namespace trib::dynamodb::expressions {

std::string_view type_name(ValueModel::Type type) {
  switch (type) {
    case ValueModel::Type::kS:
      return "S";
    case ValueModel::Type::kN:
      return "N";
    case ValueModel::Type::kB:
      return "B";
    case ValueModel::Type::kBool:
      return "BOOL";
    case ValueModel::Type::kNull:
      return "NULL";
    case ValueModel::Type::kSS:
      return "SS";
    case ValueModel::Type::kNS:
      return "NS";
    case ValueModel::Type::kBS:
      return "BS";
    case ValueModel::Type::kL:
      return "L";
    case ValueModel::Type::kM:
      return "M";
  }
  return {};
}

namespace {

using NodeIndex = Expression::NodeIndex;
using Ref = ValueModel::Ref;
using Type = ValueModel::Type;

// An operand's value: a value of the item or the request, or the integer size() gave.
struct Operand {
  Ref ref = nullptr;
  std::optional<uint64_t> integer;

  bool present() const { return ref != nullptr || integer.has_value(); }
};

class Evaluator {
 public:
  Evaluator(const Expression& expression, const ValueModel& model)
      : expression_(expression), model_(model) {}

  bool condition(NodeIndex index) const;

 private:
  Operand operand(NodeIndex index) const;
  Ref path(NodeIndex index) const;
  std::optional<Type> type_of(const Operand& value) const {
    if (value.integer) return Type::kN;
    if (value.ref == nullptr) return std::nullopt;
    return model_.type(value.ref);
  }
  bool equal(const Operand& a, const Operand& b) const;
  // The order of a and b when both are present, of one type S, N or B.
  std::optional<int> order(const Operand& a, const Operand& b) const;
  bool function(NodeIndex index) const;

  const Expression& expression_;
  const ValueModel& model_;
};

Ref Evaluator::path(NodeIndex index) const {
  const auto elements = expression_.elements(index);
  Ref current = model_.attribute(elements[0].name);
  for (size_t i = 1; i < elements.size() && current != nullptr; ++i) {
    current = elements[i].is_index() ? model_.element(current, elements[i].index)
                                     : model_.member(current, elements[i].name);
  }
  return current;
}

Operand Evaluator::operand(NodeIndex index) const {
  const Node& node = expression_.node(index);
  switch (node.kind) {
    case NodeKind::kPath:
      return Operand{path(index), std::nullopt};
    case NodeKind::kValue:
      return Operand{node.value ? model_.request_value(*node.value) : nullptr, std::nullopt};
    case NodeKind::kFunction: {
      // Only size() is an operand (the parser refuses the others here).
      const Operand argument = operand(expression_.children(index)[0]);
      if (argument.ref == nullptr) return {};
      return Operand{nullptr, model_.size(argument.ref)};
    }
    default:
      return {};
  }
}

bool Evaluator::equal(const Operand& a, const Operand& b) const {
  const auto type_a = type_of(a);
  const auto type_b = type_of(b);
  if (!type_a || !type_b || *type_a != *type_b) return false;
  if (a.integer && b.integer) return *a.integer == *b.integer;
  if (a.integer) return model_.compare_with_integer(b.ref, *a.integer) == 0;
  if (b.integer) return model_.compare_with_integer(a.ref, *b.integer) == 0;
  return model_.equal(a.ref, b.ref);
}

std::optional<int> Evaluator::order(const Operand& a, const Operand& b) const {
  const auto type_a = type_of(a);
  const auto type_b = type_of(b);
  if (!type_a || !type_b || *type_a != *type_b) return std::nullopt;
  if (*type_a != Type::kS && *type_a != Type::kN && *type_a != Type::kB) return std::nullopt;
  if (a.integer && b.integer) return *a.integer < *b.integer ? -1 : (*a.integer > *b.integer);
  if (a.integer) return -model_.compare_with_integer(b.ref, *a.integer);
  if (b.integer) return model_.compare_with_integer(a.ref, *b.integer);
  return model_.compare(a.ref, b.ref);
}

bool Evaluator::function(NodeIndex index) const {
  const Node& node = expression_.node(index);
  const auto arguments = expression_.children(index);
  switch (node.function()) {
    case Function::kAttributeExists:
      return path(arguments[0]) != nullptr;
    case Function::kAttributeNotExists:
      return path(arguments[0]) == nullptr;
    case Function::kAttributeType: {
      const Ref value = path(arguments[0]);
      const Node& wanted = expression_.node(arguments[1]);
      const std::string* name = wanted.value ? wanted.value->string_member("S") : nullptr;
      return value != nullptr && name != nullptr && type_name(model_.type(value)) == *name;
    }
    case Function::kBeginsWith: {
      const Operand value = operand(arguments[0]);
      const Operand prefix = operand(arguments[1]);
      if (value.ref == nullptr || prefix.ref == nullptr) return false;
      const Type type = model_.type(value.ref);
      return (type == Type::kS || type == Type::kB) && type == model_.type(prefix.ref) &&
             model_.starts_with(value.ref, prefix.ref);
    }
    case Function::kContains: {
      const Operand container = operand(arguments[0]);
      const Operand wanted = operand(arguments[1]);
      if (container.ref == nullptr || !wanted.present()) return false;
      const Type type = model_.type(container.ref);
      const auto wanted_type = type_of(wanted);
      if (type == Type::kL) {
        for (uint32_t i = 0;; ++i) {
          const Ref element = model_.element(container.ref, i);
          if (element == nullptr) return false;
          if (equal(Operand{element, std::nullopt}, wanted)) return true;
        }
      }
      if (wanted.integer) return false;  // size() is never an element or a substring
      const bool fits = (type == Type::kS && wanted_type == Type::kS) ||
                        (type == Type::kSS && wanted_type == Type::kS) ||
                        (type == Type::kNS && wanted_type == Type::kN) ||
                        (type == Type::kBS && wanted_type == Type::kB);
      return fits && model_.contains(container.ref, wanted.ref);
    }
    default:
      return false;  // size() as a condition is refused by the parser
  }
}

bool Evaluator::condition(NodeIndex index) const {
  const Node& node = expression_.node(index);
  const auto children = expression_.children(index);
  switch (node.kind) {
    case NodeKind::kAnd:
      return condition(children[0]) && condition(children[1]);
    case NodeKind::kOr:
      return condition(children[0]) || condition(children[1]);
    case NodeKind::kNot:
      return !condition(children[0]);
    case NodeKind::kCompare: {
      const Operand left = operand(children[0]);
      const Operand right = operand(children[1]);
      switch (node.comparator()) {
        case Comparator::kEqual:
          return equal(left, right);
        case Comparator::kNotEqual:
          return !equal(left, right);
        default:
          break;
      }
      const auto sign = order(left, right);
      if (!sign) return false;
      switch (node.comparator()) {
        case Comparator::kLess:
          return *sign < 0;
        case Comparator::kLessOrEqual:
          return *sign <= 0;
        case Comparator::kGreater:
          return *sign > 0;
        default:
          return *sign >= 0;
      }
    }
    case NodeKind::kBetween: {
      const Operand value = operand(children[0]);
      const auto above_lower = order(value, operand(children[1]));
      if (!above_lower || *above_lower < 0) return false;
      const auto below_upper = order(value, operand(children[2]));
      return below_upper && *below_upper <= 0;
    }
    case NodeKind::kIn: {
      const Operand value = operand(children[0]);
      for (const NodeIndex candidate : children.subspan(1)) {
        if (equal(value, operand(candidate))) return true;
      }
      return false;
    }
    case NodeKind::kFunction:
      return function(index);
    default:
      return false;
  }
}

}  // namespace

bool evaluate_condition(const Expression& expression, const ValueModel& model) {
  return Evaluator(expression, model).condition(expression.root());
}

}  // namespace trib::dynamodb::expressions
