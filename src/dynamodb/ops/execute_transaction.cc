// ExecuteTransaction: up to 100 PartiQL statements run atomically through the transaction path:
// all reads (SELECTs naming one item each) as one TransactGetItems, or all writes as one
// TransactWriteItems whose actions are what ExecuteStatement would run (INSERT a Put with
// attribute_not_exists, UPDATE an Update, DELETE a Delete: ops/partiql_statements.h), with
// ClientRequestToken and ReturnConsumedCapacity passed on, so isolation, cancellation reasons
// and idempotency are TransactWriteItems' own. Answers: writes `{"Responses": []}` [V, AWS
// response recorded Oct 2025, facts §16]; reads one `{"Item"}` (or `{}`) per statement.
// Texts: a statement's syntax or key error rejects the whole call as `Validation failed in
// TransactStatements[i]: <message>`, and RETURNING is refused with `RETURNING clause is not
// supported in ExecuteTransaction.` [P: DynamoDB Local's TransactionProcessor; the wrapper also
// AWS-checked by a public conformance suite for a syntax error]. A failed INSERT condition is
// the cancellation reason DuplicateItem, `Duplicate primary key exists in table` [U: the code
// BatchExecuteStatement uses for the same failure; DynamoDB Local reports ValidationError with
// that message instead]. Mixing reads and writes is refused with DynamoDB Local's text for a
// statement a transaction cannot hold [U: AWS's text for a mix is not recorded].
// ClientRequestToken: the token store fingerprints the translated TransactWriteItems request,
// so a replay of the same statements and parameters is recognised; the same token reused by a
// TransactWriteItems with the very same actions would count as a replay too [U].
// EXISTS(...) condition checks are not served (refused by the translator, as in
// ExecuteStatement).
#include <optional>
#include <string>
#include <vector>

#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/ops/partiql_statements.h"
#include "dynamodb/partiql/parser.h"
#include "dynamodb/partiql/translate.h"

namespace trib::dynamodb::ops {

namespace {

aws::AwsError in_statement(size_t i, const aws::AwsError& e) {
  if (e.type != error_name(Error::kValidation)) return e;
  return validation("Validation failed in TransactStatements[" + std::to_string(i) +
                    "]: " + e.message);
}

}  // namespace

Output execute_transaction(DynamoDbContext& ctx, const aws::RequestContext& request,
                           const Input& input) {
  const aws::Value* statements = input.find("TransactStatements");
  const aws::ValueList empty;
  const aws::ValueList& list = statements && statements->is_list() ? statements->as_list() : empty;
  std::vector<partiql::Statement> parsed;
  std::optional<bool> reads;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string* text = list[i].string_member("Statement");
    auto statement = partiql::parse_statement(text ? *text : std::string());
    if (!statement) return aws::fail(in_statement(i, statement.error()));
    if (statement->returning != partiql::Returning::kNone) {
      return aws::fail(
          in_statement(i, validation("RETURNING clause is not supported in ExecuteTransaction.")));
    }
    const bool read = is_read(*statement);
    if (reads && *reads != read) {
      return aws::fail(validation("Unsupported operation in transaction."));
    }
    reads = read;
    parsed.push_back(std::move(*statement));
  }
  // Not reached: the model bounds TransactStatements to 1-100 members (text U).
  if (!reads) return aws::fail(validation("The transactStatements parameter is required"));
  const std::string* capacity = input.string_member("ReturnConsumedCapacity");
  aws::Value items = aws::Value::list();
  for (size_t i = 0; i < parsed.size(); ++i) {
    StatementOptions options;
    if (const aws::Value* parameters = list[i].find("Parameters");
        parameters && parameters->is_list()) {
      options.parameters = parameters->as_list();
    }
    aws::Value action = aws::Value::map();
    if (*reads) {
      auto get = get_request(ctx, request, parsed[i], options);
      if (!get) return aws::fail(in_statement(i, get.error()));
      action.set("Get", std::move(*get));
    } else {
      auto write = write_request(ctx, request, parsed[i], options);
      if (!write) return aws::fail(in_statement(i, write.error()));
      static constexpr std::string_view kMembers[] = {"Put", "Update", "Delete"};
      if (const std::string* rv = list[i].string_member("ReturnValuesOnConditionCheckFailure")) {
        write->input.set("ReturnValuesOnConditionCheckFailure", aws::Value(*rv));
      }
      action.set(std::string(kMembers[static_cast<int>(write->kind)]), std::move(write->input));
    }
    items.push(std::move(action));
  }
  aws::Value in = aws::Value::map();
  in.set("TransactItems", std::move(items));
  if (capacity) in.set("ReturnConsumedCapacity", aws::Value(*capacity));
  if (const std::string* token = input.string_member("ClientRequestToken")) {
    in.set("ClientRequestToken", aws::Value(*token));
  }
  Output result =
      *reads ? transact_get_items(ctx, request, in) : transact_write_items(ctx, request, in);
  if (!result) {
    aws::AwsError e = std::move(result.error());
    if (e.type == error_name(Error::kTransactionCanceled)) {
      // An INSERT whose attribute_not_exists failed: DuplicateItem.
      for (auto& [name, value] : e.members) {
        if (name != "CancellationReasons" || !value.is_list()) continue;
        for (size_t i = 0; i < value.as_list().size() && i < parsed.size(); ++i) {
          aws::Value& reason = value.as_list()[i];
          const aws::Value* code = reason.find("Code");
          if (parsed[i].kind != partiql::StatementKind::kInsert || !code ||
              code->as_string() != "ConditionalCheckFailed") {
            continue;
          }
          aws::Value replaced = aws::Value::map();
          replaced.set("Code", aws::Value("DuplicateItem"));
          replaced.set("Message", aws::Value("Duplicate primary key exists in table"));
          reason = std::move(replaced);
        }
        std::string codes;
        for (const aws::Value& reason : value.as_list()) {
          if (!codes.empty()) codes += ", ";
          const aws::Value* code = reason.find("Code");
          codes += code ? code->as_string() : "None";
        }
        const size_t open = e.message.rfind('[');
        if (open != std::string::npos) e.message = e.message.substr(0, open + 1) + codes + "]";
      }
    }
    return aws::fail(std::move(e));
  }
  aws::Value out = aws::Value::map();
  aws::Value responses = aws::Value::list();
  if (*reads) {
    if (const aws::Value* got = result->find("Responses")) responses = *got;
  }
  out.set("Responses", std::move(responses));
  if (const aws::Value* consumed = result->find("ConsumedCapacity")) {
    out.set("ConsumedCapacity", *consumed);
  }
  return out;
}

}  // namespace trib::dynamodb::ops
