// The expression front end of one DynamoDB request: the checks on ExpressionAttributeNames and
// ExpressionAttributeValues, every expression parsed once (in AWS's order), and the names and
// values that no expression used. An operation calls parse_request() once and keeps the trees
// for evaluation.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "aws/error.h"
#include "aws/value.h"
#include "dynamodb/expressions/ast.h"

namespace trib::dynamodb::expressions {

struct RequestExpressions {
  // The request's expression members; nullptr when absent.
  const std::string* condition = nullptr;
  const std::string* filter = nullptr;
  const std::string* key_condition = nullptr;
  const std::string* projection = nullptr;
  const std::string* update = nullptr;
  // ExpressionAttributeNames (map of string) and ExpressionAttributeValues (map of
  // AttributeValue); nullptr when absent. They and the strings above must outlive the result.
  const aws::Value* names = nullptr;
  const aws::Value* values = nullptr;
  // The expression members the operation has, in the order AWS names them in
  // "ExpressionAttributeValues can only be specified when using expressions: ... is null"
  // (PutItem: {kCondition}; UpdateItem: {kUpdate, kCondition}; Query: {kKeyCondition, kFilter};
  // ProjectionExpression never counts there).
  std::span<const ExpressionKind> accepted;
  // Checks one ExpressionAttributeValues entry (the AttributeValue rules of src/dynamodb/values/)
  // and returns AWS's message for a bad one; not called when empty.
  std::function<std::optional<std::string>(const aws::Value&)> validate_value;
};

struct ParsedExpressions {
  std::optional<Expression> condition;
  std::optional<Expression> filter;
  std::optional<Expression> key_condition;
  std::optional<Expression> projection;
  std::optional<Expression> update;
};

// The first problem as AWS reports it (a ValidationException), or every expression parsed.
aws::AwsResult<ParsedExpressions> parse_request(const RequestExpressions& request);

// The error for a request that mixes the pre-2015 parameters with expressions, or nullopt when
// one of the lists is empty. Each list holds the members present, in the order the operation's
// AWS message lists them, e.g. {"Expected"} and {"ConditionExpression"} give
// "Can not use both expression and non-expression parameters in the same request:
// Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}" [V, rec].
// (Which members count is the operation's business: dynalite lets Query combine KeyConditions
// with a FilterExpression when there is no KeyConditionExpression.)
std::optional<aws::AwsError> mixed_parameters_error(std::span<const std::string_view> legacy,
                                                    std::span<const std::string_view> expressions);

}  // namespace trib::dynamodb::expressions
