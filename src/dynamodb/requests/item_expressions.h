// What the item operations (PutItem, DeleteItem, UpdateItem, GetItem, BatchGetItem) share on top
// of documents/: the condition of a write (ConditionExpression or the legacy Expected with
// ConditionalOperator), parsed once per request and evaluated in the write path's step; the
// failed-condition error; the projection of a read (ProjectionExpression or AttributesToGet).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aws/error.h"
#include "aws/value.h"
#include "dynamodb/documents/legacy.h"
#include "dynamodb/documents/value_model.h"
#include "dynamodb/expressions/request.h"
#include "dynamodb/values/attribute_value.h"

namespace trib::dynamodb::requests {

// "Can not use both expression and non-expression parameters in the same request:
// Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}" [V, rec],
// listing the members of `legacy` and of `expression` present in `input`, in the order given
// (the operation's order in dynalite's validateExpressionParams, which took it from AWS [P]).
std::optional<aws::AwsError> mixed_parameters(const aws::Value& input,
                                              std::span<const std::string_view> legacy,
                                              std::span<const std::string_view> expression);

// The expressions and legacy conditions of one write request. Not movable (the converted
// ExpressionAttributeValues are found by address): an operation keeps one on its stack.
struct WriteExpressions {
  documents::RequestValues values;
  expressions::ParsedExpressions parsed;
  std::optional<documents::LegacyConditions> expected;

  // Expected (with ConditionalOperator), when present: the legacy texts (documents/legacy.h).
  aws::AwsResult<Ok> parse_expected(const aws::Value& input);
  // The expression members of the request (`accepted`: PutItem and DeleteItem {kCondition};
  // UpdateItem {kUpdate, kCondition}), with the names and values checks of parse_request().
  aws::AwsResult<Ok> parse_expressions(const aws::Value& input,
                                       std::span<const expressions::ExpressionKind> accepted);
  // Whether the write may go ahead on `old_item` (nullptr: no item, seen as the empty item).
  bool condition_holds(const Item* old_item) const;
};

// ConditionalCheckFailedException "The conditional request failed" [V]; with
// ReturnValuesOnConditionCheckFailure ALL_OLD and an existing item, the item as the error's `Item`
// member (facts §11 [V, wire form D]); none when the item does not exist (facts §11 [U]).
aws::AwsError condition_failed(const aws::Value& input, const std::optional<Item>& old_item);

// The projection of a read: ProjectionExpression (with ExpressionAttributeNames) or the legacy
// AttributesToGet, the two never mixed (facts §19 [V, rec]). The expression keeps views into
// the request document: a ReadProjection must not outlive it.
struct ReadProjection {
  std::optional<expressions::Expression> expression;
  std::optional<std::vector<std::string_view>> attributes;  // AttributesToGet

  // The whole item (moved through) when neither member is present.
  Item apply(Item item) const;
};
aws::AwsResult<ReadProjection> read_projection(const aws::Value& input);

}  // namespace trib::dynamodb::requests
