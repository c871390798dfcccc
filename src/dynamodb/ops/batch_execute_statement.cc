// BatchExecuteStatement: up to 25 PartiQL statements, all reads or all writes [V: AWS API
// reference], each run on its own as ExecuteStatement runs it (ops/partiql_statements.h; not
// atomic, as on AWS). A statement's failure is its response's Error {Code, Message} and never
// fails the call [V model; facts §16]; a read must name one item by its full key and answers
// {TableName, Item}; a write answers {TableName} [V, AWS response recorded Oct 2025].
// ReturnValuesOnConditionCheckFailure is accepted and ignored [P, facts §11].
// Differences from AWS (docs/compatibility.md): the text refusing a batch that mixes reads and
// writes is a guess; ConsumedCapacity sums CapacityUnits per table only.
#include <map>

#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/ops/partiql_statements.h"
#include "dynamodb/partiql/parser.h"

namespace trib::dynamodb::ops {

namespace {

// The Error.Code of a statement's failure: the exception's name without "Exception", and
// ValidationError for ValidationException (codes as the model's BatchStatementErrorCodeEnum).
std::string error_code(const aws::AwsError& e) {
  if (e.type == error_name(Error::kValidation)) return "ValidationError";
  if (e.type == error_name(Error::kInternalServerError)) return "InternalServerError";
  if (e.type == error_name(Error::kRequestLimitExceeded)) return "RequestLimitExceeded";
  std::string code = e.type;
  constexpr std::string_view kSuffix = "Exception";
  if (code.size() > kSuffix.size() && code.ends_with(kSuffix)) {
    code.resize(code.size() - kSuffix.size());
  }
  return code;
}

}  // namespace

Output batch_execute_statement(DynamoDbContext& ctx, const aws::RequestContext& request,
                               const Input& input) {
  const aws::Value* statements = input.find("Statements");
  const aws::ValueList empty;
  const aws::ValueList& list = statements && statements->is_list() ? statements->as_list() : empty;
  std::vector<aws::AwsResult<partiql::Statement>> parsed;
  std::optional<bool> reads;
  bool mixed = false;
  for (const aws::Value& entry : list) {
    const std::string* text = entry.string_member("Statement");
    parsed.push_back(partiql::parse_statement(text ? *text : std::string()));
    if (!parsed.back()) continue;
    const bool read = is_read(*parsed.back());
    if (reads && *reads != read) mixed = true;
    reads = read;
  }
  if (mixed) {
    // [U: AWS documents the rule, its text was not found]
    return aws::fail(validation(
        "Unsupported operation: BatchExecuteStatement statements must be all reads or all "
        "writes"));
  }
  const std::string* capacity = input.string_member("ReturnConsumedCapacity");
  std::map<std::string, double> units;  // by table, in name order
  aws::Value responses = aws::Value::list();
  for (size_t i = 0; i < list.size(); ++i) {
    const aws::Value& entry = list[i];
    aws::Value response = aws::Value::map();
    Output result = parsed[i] ? Output(aws::Value::map()) : aws::fail(parsed[i].error());
    if (parsed[i]) {
      const std::string* text = entry.string_member("Statement");
      StatementOptions options;
      options.batch = true;
      if (const aws::Value* parameters = entry.find("Parameters");
          parameters && parameters->is_list()) {
        options.parameters = parameters->as_list();
      }
      options.consistent_read = entry.bool_member("ConsistentRead");
      options.return_consumed_capacity = capacity;
      result = run_statement(ctx, request, *parsed[i], *text, options);
    }
    if (!result) {
      aws::Value error = aws::Value::map();
      error.set("Code", aws::Value(error_code(result.error())));
      error.set("Message", aws::Value(result.error().message));
      response.set("Error", std::move(error));
    } else {
      for (auto& [name, value] : result->as_map()) {
        if (name == "ConsumedCapacity") {
          const aws::Value* table = value.find("TableName");
          const aws::Value* units_value = value.find("CapacityUnits");
          if (table && units_value && units_value->kind() == aws::Value::Kind::kDouble) {
            units[table->as_string()] += units_value->as_double();
          }
          continue;
        }
        response.set(name, std::move(value));
      }
    }
    responses.push(std::move(response));
  }
  aws::Value out = aws::Value::map();
  out.set("Responses", std::move(responses));
  if (capacity && *capacity != "NONE") {
    aws::Value list_out = aws::Value::list();
    for (const auto& [table, total] : units) {
      aws::Value entry = aws::Value::map();
      entry.set("TableName", aws::Value(table));
      entry.set("CapacityUnits", aws::Value(total));
      list_out.push(std::move(entry));
    }
    out.set("ConsumedCapacity", std::move(list_out));
  }
  return out;
}

}  // namespace trib::dynamodb::ops
