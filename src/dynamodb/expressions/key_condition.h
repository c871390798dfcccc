// A parsed KeyConditionExpression turned into at most two key conditions (partition key
// equality; sort key =, <, <=, >, >=, BETWEEN or begins_with), with the schema-independent
// checks AWS makes. Whether the attributes are the table's or index's keys is for the Query
// operation ("Query condition missed key schema element: pk" needs the schema).
#pragma once

#include <string_view>
#include <vector>

#include "aws/error.h"
#include "aws/value.h"
#include "dynamodb/expressions/ast.h"

namespace trib::dynamodb::expressions {

struct KeyCondition {
  enum class Operator : uint8_t {
    kEqual,
    kLess,
    kLessOrEqual,
    kGreater,
    kGreaterOrEqual,
    kBetween,
    kBeginsWith,
  };
  std::string_view attribute;  // the resolved key attribute name
  Operator op = Operator::kEqual;
  // The operands, as the attribute were on the left: `:v < pk` becomes pk > :v.
  const aws::Value* value = nullptr;        // the (lower) operand
  const aws::Value* upper_value = nullptr;  // BETWEEN's upper bound
};

// The conditions in the order written. `expression` must be a KeyConditionExpression parsed by
// parse_request() or parse_expression().
aws::AwsResult<std::vector<KeyCondition>> key_conditions(const Expression& expression);

}  // namespace trib::dynamodb::expressions
