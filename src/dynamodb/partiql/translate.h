// A parsed statement's parts written as DynamoDB expressions (ConditionExpression,
// FilterExpression, KeyConditionExpression, UpdateExpression, ProjectionExpression) with every
// name a `#nK` and every literal or parameter a `:vK` placeholder, so that the one expression
// parser and evaluator of src/dynamodb/expressions and documents/ run PartiQL too: no second
// evaluator. Also the key analysis of a WHERE clause (which item an UPDATE or DELETE names;
// whether a SELECT is a key lookup or partition query).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aws/error.h"
#include "aws/value.h"
#include "dynamodb/partiql/ast.h"

namespace trib::dynamodb::partiql {

// "Number of parameters in request and statement don't match." [P: DynamoDB Local's message
// catalogue; AWS-checked in moto's and other suites].
aws::AwsError parameter_count_mismatch();

// Writes expressions for one statement. Placeholders are numbered across all the expressions
// written with one writer, so they can share one request's ExpressionAttributeNames/Values.
class ExpressionWriter {
 public:
  // `parameters`: the request's Parameters (AttributeValue documents), already checked to match
  // the statement's `?` count.
  explicit ExpressionWriter(std::span<const aws::Value> parameters) : parameters_(parameters) {}

  // A WHERE condition (or several conjuncts joined by AND).
  aws::AwsResult<std::string> condition(const Expr& expr);
  aws::AwsResult<std::string> conjunction(std::span<const Expr* const> conjuncts);
  // SET/REMOVE actions of an UPDATE as an UpdateExpression (set_add / set_delete become ADD /
  // DELETE clauses).
  aws::AwsResult<std::string> update(std::span<const UpdateAction> actions);
  // A SELECT list as a ProjectionExpression.
  std::string projection(std::span<const Path> paths);
  std::string path(const Path& path);
  std::string name(std::string_view attribute);   // "#nK" for the attribute name
  std::string value(aws::Value attribute_value);  // ":vK" for the AttributeValue document

  // A literal, collection or parameter as an AttributeValue document. `where` names it in
  // errors ("root", "root.x", "root[1]", as AWS's number errors do [P, AWS-checked]).
  aws::AwsResult<aws::Value> attribute_value(const Expr& expr, const std::string& where = "root");

  // Sets ExpressionAttributeNames and ExpressionAttributeValues on `input` (when not empty).
  void add_to(aws::Value& input) const;

 private:
  aws::AwsResult<std::string> operand(const Expr& expr);
  aws::AwsResult<std::string> update_operand(const Expr& expr);

  std::span<const aws::Value> parameters_;
  aws::Value names_ = aws::Value::map();
  aws::Value values_ = aws::Value::map();
  uint32_t next_value_ = 0;
};

// The top-level AND terms of a condition, in order.
std::vector<const Expr*> conjuncts(const Expr& where);

// If `conjunct` is `attribute = value` (either way round) with `attribute` a top-level name and
// `value` a literal or parameter, the value side; otherwise nullptr.
const Expr* equality_on(const Expr& conjunct, std::string_view attribute);

// True for literals, collections and parameters (what attribute_value() converts).
bool is_value(const Expr& expr);

// The item an UPDATE or DELETE names: one equality on each key attribute among the WHERE's
// top-level AND terms; the other terms are conditions on it. Errors: "Where clause does not
// contain a mandatory equality on all key attributes" [P, AWS-checked], "Multiple conditions on
// same key pk. Only single item Update/Insert/Delete are supported" [P: DynamoDB Local].
struct KeyedWhere {
  std::vector<std::pair<std::string, const Expr*>> key;  // key attribute -> its value
  std::vector<const Expr*> conditions;
};
aws::AwsResult<KeyedWhere> keyed_where(const Expr& where, std::string_view hash_key,
                                       std::optional<std::string_view> range_key);

}  // namespace trib::dynamodb::partiql
