// Parsing one DynamoDB expression into an Expression tree, with every static check AWS makes on
// it, in AWS's order as far as it is known (README.md here lists the sources and the guesses).
// Most callers want request.h, which parses all the expressions of a request together.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aws/error.h"
#include "aws/value.h"
#include "dynamodb/expressions/ast.h"

namespace trib::dynamodb::expressions {

// Limits from AWS's "Service, account, and table quotas" page (expression parameters).
inline constexpr size_t kMaxExpressionBytes = 4096;
inline constexpr size_t kMaxOperators = 300;
inline constexpr size_t kMaxInOperands = 100;

// The ValidationException DynamoDB answers for a bad expression (namespace
// com.amazon.coral.validate, facts §1).
aws::AwsError validation_error(std::string message);

// The request's ExpressionAttributeNames and ExpressionAttributeValues (either may be absent),
// shared by the expressions of one request: resolves placeholders and remembers which were used.
class Substitutions {
 public:
  // `names`: a map of "#placeholder" -> attribute name (string); `values`: a map of
  // ":placeholder" -> AttributeValue document. Both must outlive the parsed expressions.
  Substitutions(const aws::Value* names, const aws::Value* values);

  // The attribute name for a #placeholder, or nullptr when undefined. Marks it used.
  const std::string* name(std::string_view placeholder);
  // The AttributeValue for a :placeholder, or nullptr when undefined. Marks it used.
  const aws::Value* value(std::string_view placeholder);

  // Placeholders never resolved, in request order.
  std::vector<std::string_view> unused_names() const;
  std::vector<std::string_view> unused_values() const;

 private:
  struct Entries {
    const aws::ValueMap* map = nullptr;
    std::unordered_map<std::string_view, size_t> index;
    std::vector<bool> used;
  };
  static void load(Entries& entries, const aws::Value* document);
  static const aws::Value* find(Entries& entries, std::string_view placeholder);
  static std::vector<std::string_view> unused(const Entries& entries);

  Entries names_;
  Entries values_;
};

// Parses `text` as an expression of `kind`. Errors are ValidationExceptions whose message starts
// with "Invalid <Parameter>: " (e.g. "Invalid UpdateExpression: Syntax error; token: ...").
aws::AwsResult<Expression> parse_expression(ExpressionKind kind, std::string_view text,
                                            Substitutions& substitutions);

// The type of an AttributeValue document ("S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L",
// "M"), or empty when it does not have exactly one member.
std::string_view attribute_value_type(const aws::Value& value);

}  // namespace trib::dynamodb::expressions
