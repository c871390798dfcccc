// What ExecuteStatement and BatchExecuteStatement share: one PartiQL statement run as the item
// operation AWS serves it with. The statement is parsed once (src/dynamodb/partiql/), written
// as DynamoDB expressions with placeholders (partiql/translate.h) and handed to the existing
// operations, so the one expression evaluator, the one write path (indexes, counters, change
// capture) and the one read path serve PartiQL too:
//   SELECT with an equality on the partition key -> Query (the sort-key term, when there is one,
//     bounds the range; the whole WHERE is the filter); with `pk IN [...]` or an OR of
//     `pk = v` -> one Query per value; otherwise -> Scan with the WHERE as filter
//   INSERT -> PutItem with attribute_not_exists(pk) (DuplicateItemException when it fails)
//   UPDATE -> UpdateItem of the item the WHERE names, with attribute_exists(pk) AND the other
//     WHERE terms as condition
//   DELETE -> DeleteItem of the item the WHERE names, with attribute_not_exists(pk) OR the other
//     WHERE terms as condition (a missing item is success, as AWS documents)
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "dynamodb/context.h"
#include "dynamodb/partiql/ast.h"

namespace trib::dynamodb::ops {

// The request members of ExecuteStatement that shape how one statement runs.
struct StatementOptions {
  std::span<const aws::Value> parameters;
  std::optional<bool> consistent_read;
  std::optional<int64_t> limit;
  const std::string* next_token = nullptr;
  const std::string* return_consumed_capacity = nullptr;
  const std::string* return_values_on_condition_check_failure = nullptr;
  // BatchExecuteStatement: a SELECT must name one item by its full key (AWS docs,
  // BatchExecuteStatement) and answers {TableName, Item}.
  bool batch = false;
};

bool is_read(const partiql::Statement& statement);

// A write statement (INSERT, UPDATE, DELETE) as the item operation that serves it: PutItem,
// UpdateItem or DeleteItem, its request holding TableName, Item or Key, the expressions and
// their names and values (the members a TransactWriteItems action has too); without the
// request-level return options.
struct WriteRequest {
  enum class Kind : uint8_t { kPut, kUpdate, kDelete } kind = Kind::kPut;
  aws::Value input;
};
aws::AwsResult<WriteRequest> write_request(DynamoDbContext& ctx, const aws::RequestContext& request,
                                           const partiql::Statement& statement,
                                           const StatementOptions& options);

// A SELECT naming one item by its full key as a TransactGetItems Get (TableName, Key,
// ProjectionExpression and its names): ExecuteTransaction's reads.
aws::AwsResult<aws::Value> get_request(DynamoDbContext& ctx, const aws::RequestContext& request,
                                       const partiql::Statement& statement,
                                       const StatementOptions& options);

// Runs one parsed statement. `text` is the statement as sent (NextToken is bound to it).
// ExecuteStatement's output members (Items, NextToken, LastEvaluatedKey, ConsumedCapacity), or,
// with options.batch, a BatchStatementResponse (TableName, Item) plus ConsumedCapacity.
Output run_statement(DynamoDbContext& ctx, const aws::RequestContext& request,
                     const partiql::Statement& statement, std::string_view text,
                     const StatementOptions& options);

}  // namespace trib::dynamodb::ops
