// Evaluating a parsed condition (ConditionExpression, FilterExpression) against one item, over an
// abstract view of attribute values: the AttributeValue types of src/dynamodb/values/ implement
// ValueModel, so this file never depends on their representation. Projections and updates are
// not evaluated here yet (README.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "aws/value.h"
#include "dynamodb/expressions/ast.h"

namespace trib::dynamodb::expressions {

// What evaluation needs to know about attribute values. A Ref designates one value, of the item
// or of the request's ExpressionAttributeValues; nullptr means "absent".
class ValueModel {
 public:
  using Ref = const void*;
  enum class Type : uint8_t { kS, kN, kB, kBool, kNull, kSS, kNS, kBS, kL, kM };

  virtual ~ValueModel() = default;

  // The Ref of an ExpressionAttributeValues entry (an AttributeValue document).
  virtual Ref request_value(const aws::Value& attribute_value) const = 0;
  // The item's top-level attribute, a map's member, a list's element; nullptr when absent (or
  // when the container is not a map / not a list / the index is past the end).
  virtual Ref attribute(std::string_view name) const = 0;
  virtual Ref member(Ref map, std::string_view key) const = 0;
  virtual Ref element(Ref list, uint32_t index) const = 0;

  virtual Type type(Ref value) const = 0;
  // DynamoDB equality of two values of the same type: numbers by value, sets whatever their
  // order, maps whatever their key order.
  virtual bool equal(Ref a, Ref b) const = 0;
  // Order of two values of the same type S (UTF-8 bytes), N (by value) or B (unsigned bytes):
  // negative, zero or positive.
  virtual int compare(Ref a, Ref b) const = 0;
  // An N against a non-negative integer (the result of size()): negative, zero or positive.
  virtual int compare_with_integer(Ref number, uint64_t integer) const = 0;
  // begins_with for S with S and B with B.
  virtual bool starts_with(Ref value, Ref prefix) const = 0;
  // contains for S with S (a substring) and for a set with an element of its type.
  virtual bool contains(Ref container, Ref operand) const = 0;
  // size(): the length of an S or B, the number of elements of a set, L or M; nullopt for
  // other types.
  virtual std::optional<uint64_t> size(Ref value) const = 0;
};

// The type's name as attribute_type() spells it ("S", "NULL", "BOOL", ...).
std::string_view type_name(ValueModel::Type type);

// Evaluates a condition tree (kind kCondition, kFilter or kKeyCondition). Never fails: absent
// attributes and mismatched types make comparisons false (and <> true), as on AWS.
bool evaluate_condition(const Expression& expression, const ValueModel& model);

}  // namespace trib::dynamodb::expressions
