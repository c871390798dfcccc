// ExecuteStatement: one PartiQL statement (SELECT, INSERT, UPDATE, DELETE), parsed by
// src/dynamodb/partiql/ and run as the item operation AWS serves it with
// (ops/partiql_statements.h). Differences from AWS (docs/compatibility.md): a key lookup is
// served as a Query of one item (the capacity of a missing item may differ from AWS's GetItem
// charge); the order of the partitions of `pk IN [...]` without ORDER BY is a guess.
#include "dynamodb/operations.h"
#include "dynamodb/ops/partiql_statements.h"
#include "dynamodb/partiql/parser.h"

namespace trib::dynamodb::ops {

Output execute_statement(DynamoDbContext& ctx, const aws::RequestContext& request,
                         const Input& input) {
  const std::string* text = input.string_member("Statement");
  const std::string statement_text = text ? *text : std::string();
  auto statement = partiql::parse_statement(statement_text);
  if (!statement) return aws::fail(std::move(statement.error()));
  StatementOptions options;
  if (const aws::Value* parameters = input.find("Parameters");
      parameters && parameters->is_list()) {
    options.parameters = parameters->as_list();
  }
  options.consistent_read = input.bool_member("ConsistentRead");
  options.limit = input.int_member("Limit");
  options.next_token = input.string_member("NextToken");
  options.return_consumed_capacity = input.string_member("ReturnConsumedCapacity");
  options.return_values_on_condition_check_failure =
      input.string_member("ReturnValuesOnConditionCheckFailure");
  return run_statement(ctx, request, *statement, statement_text, options);
}

}  // namespace trib::dynamodb::ops
