#include "dynamodb/ops/partiql_statements.h"

#include <span>

#include "dynamodb/errors.h"
#include "dynamodb/items/item_requests.h"
#include "dynamodb/operations.h"
#include "dynamodb/ops/reads.h"
#include "dynamodb/partiql/translate.h"
#include "dynamodb/values/attribute_value.h"
#include "dynamodb/values/item_codec.h"
#include "util/crc32.h"

namespace trib::dynamodb::ops {

namespace {

using partiql::Expr;
using partiql::ExprKind;
using partiql::Returning;
using partiql::Statement;
using partiql::StatementKind;

// NextToken texts [P: DynamoDB Local's message catalogue].
constexpr std::string_view kInvalidNextToken = "Invalid NextToken";
constexpr std::string_view kForeignNextToken = "Given NextToken is invalid for this account";
constexpr std::string_view kNextTokenMismatch = "NextToken does not match request";
constexpr char kSeparator = '\x1f';

// What a NextToken is bound to: the CRC-32 of the statement text and of its parameters (in the
// item encoding), so a token is refused with another statement or other parameters.
std::string request_digest(std::string_view text, std::span<const aws::Value> parameters) {
  uint32_t crc = crc32(text);
  aws::Value bound = aws::Value::map();
  for (size_t i = 0; i < parameters.size(); ++i) bound.set(std::to_string(i), parameters[i]);
  if (auto item = item_from_wire(bound)) crc = crc32(encode_item(*item), crc);
  return std::to_string(crc);
}

// NextToken: sealed (util/sealed_token.h) "partiql", account, region, the request digest, then
// the page's LastEvaluatedKey in the item encoding (last, as it may hold any byte).
std::string make_next_token(const DynamoDbContext& ctx, const aws::RequestContext& request,
                            const std::string& digest, const Item& last_key) {
  std::string plain = "partiql";
  for (const std::string& part : {request.account, request.region, digest}) {
    plain += kSeparator;
    plain += part;
  }
  plain += kSeparator;
  plain += encode_item(last_key);
  return ctx.sealer.seal(plain);
}

aws::AwsResult<aws::Value> open_next_token(const DynamoDbContext& ctx,
                                           const aws::RequestContext& request,
                                           const std::string& digest, std::string_view token) {
  auto plain = ctx.sealer.open(token);
  if (!plain) return aws::fail(validation(std::string(kInvalidNextToken)));
  std::vector<std::string_view> parts;
  std::string_view rest = *plain;
  for (int i = 0; i < 4; ++i) {
    const size_t sep = rest.find(kSeparator);
    if (sep == std::string_view::npos) return aws::fail(validation(std::string(kInvalidNextToken)));
    parts.push_back(rest.substr(0, sep));
    rest.remove_prefix(sep + 1);
  }
  if (parts[0] != "partiql") return aws::fail(validation(std::string(kInvalidNextToken)));
  if (parts[1] != request.account || parts[2] != request.region) {
    return aws::fail(validation(std::string(kForeignNextToken)));
  }
  if (parts[3] != digest) {
    return aws::fail(validation(std::string(kNextTokenMismatch)));
  }
  auto key = decode_item(rest);
  if (!key) return aws::fail(validation(std::string(kInvalidNextToken)));
  return item_to_wire(*key);
}

// The wire type letter of an AttributeValue document ("S", "N", "B", ...), or empty.
std::string_view wire_type(const aws::Value& attribute_value) {
  if (!attribute_value.is_map() || attribute_value.as_map().size() != 1) return {};
  return attribute_value.as_map()[0].first;
}

// The key condition of a SELECT served as a Query: `pk = v`, plus the first WHERE term on the
// sort key that a key condition can express (=, <, <=, >, >=, BETWEEN, begins_with); nullopt
// when no top-level term is an equality on the partition key with a value of its type (AWS:
// "an equality or IN condition with a partition key", else a full table scan [V: AWS docs,
// PartiQL select statements]).
std::optional<std::string> key_condition(partiql::ExpressionWriter& writer, const Expr& where,
                                         const KeySchema& schema) {
  const auto terms = partiql::conjuncts(where);
  std::optional<std::string> out;
  for (const Expr* term : terms) {
    const Expr* v = partiql::equality_on(*term, schema.hash.name);
    if (!v) continue;
    auto value = writer.attribute_value(*v);
    if (!value || wire_type(*value) != std::string(1, schema.hash.type)) continue;
    out = writer.name(schema.hash.name) + " = " + writer.value(std::move(*value));
    break;
  }
  if (!out || !schema.range) return out;
  const std::string& range = schema.range->name;
  const auto is_range = [&](const Expr& e) {
    return e.kind == ExprKind::kPath && e.path.size() == 1 && !e.path[0].is_index() &&
           e.path[0].name == range;
  };
  // A value of the sort key's type, not yet given a placeholder.
  const auto typed = [&](const Expr& e) -> std::optional<aws::Value> {
    if (!partiql::is_value(e)) return std::nullopt;
    auto value = writer.attribute_value(e);
    if (!value || wire_type(*value) != std::string(1, schema.range->type)) return std::nullopt;
    return std::move(*value);
  };
  for (const Expr* term : terms) {
    if (term->kind == ExprKind::kCompare &&
        term->comparator != expressions::Comparator::kNotEqual) {
      // Written with the value first (5 < sk), the comparison turns round.
      for (int side = 0; side < 2; ++side) {
        if (!is_range(term->children[side])) continue;
        auto v = typed(term->children[1 - side]);
        if (!v) continue;
        auto comparator = term->comparator;
        if (side == 1) {
          using C = expressions::Comparator;
          static constexpr C kFlipped[] = {C::kEqual,          C::kNotEqual, C::kGreater,
                                           C::kGreaterOrEqual, C::kLess,     C::kLessOrEqual};
          comparator = kFlipped[static_cast<int>(comparator)];
        }
        return *out + " AND " + writer.name(range) + " " +
               std::string(expressions::comparator_text(comparator)) + " " +
               writer.value(std::move(*v));
      }
    } else if (term->kind == ExprKind::kBetween && !term->flag && is_range(term->children[0])) {
      auto lower = typed(term->children[1]);
      auto upper = typed(term->children[2]);
      if (lower && upper) {
        std::string bounds = writer.value(std::move(*lower)) + " AND ";
        bounds += writer.value(std::move(*upper));
        return *out + " AND " + writer.name(range) + " BETWEEN " + bounds;
      }
    } else if (term->kind == ExprKind::kFunction && term->text == "begins_with" &&
               term->children.size() == 2 && is_range(term->children[0])) {
      if (auto prefix = typed(term->children[1])) {
        return *out + " AND begins_with(" + writer.name(range) + ", " +
               writer.value(std::move(*prefix)) + ")";
      }
    }
  }
  return out;
}

void copy_member(const aws::Value& from, aws::Value& to, std::string_view name) {
  if (const aws::Value* v = from.find(name)) to.set(std::string(name), *v);
}

// ORDER BY: the keys of the key schema read, with a partition-key condition [P: DynamoDB
// Local's catalogue for the texts].
aws::AwsResult<std::optional<bool>> scan_forward(const Statement& st, const KeySchema& schema,
                                                 bool is_query) {
  if (st.order_by.empty()) return std::optional<bool>();
  if (!st.where) {
    return aws::fail(
        validation("Must have WHERE clause in the statement when using ORDER BY clause."));
  }
  if (!is_query) {
    return aws::fail(validation(
        "Must have at least one non-optional hash key condition in WHERE clause when using "
        "ORDER BY clause."));
  }
  std::optional<bool> forward;
  for (const partiql::OrderKey& key : st.order_by) {
    if (key.name != schema.hash.name && (!schema.range || key.name != schema.range->name)) {
      return aws::fail(validation("Variable reference " + key.name +
                                  " in ORDER BY clause must be part of the primary key"));
    }
    if (schema.range && key.name == schema.range->name) forward = !key.descending;
  }
  return forward;
}

Output run_select(DynamoDbContext& ctx, const aws::RequestContext& request, const Statement& st,
                  std::string_view text, const StatementOptions& options) {
  auto table = items::item_table(ctx, request, st.table);
  if (!table) return aws::fail(std::move(table.error()));
  const KeySchema* schema = &(*table)->key_schema;
  aws::Value in = aws::Value::map();
  in.set("TableName", aws::Value(st.table));
  if (st.index) {
    in.set("IndexName", aws::Value(*st.index));
    // An unknown index is refused by Query / Scan with their text.
    if (const SecondaryIndex* index = (*table)->find_index(*st.index)) {
      schema = &index->key_schema;
      if (index->global && options.consistent_read.value_or(false)) {
        // [P: DynamoDB Local's PartiQL catalogue; Query and Scan word it otherwise]
        return aws::fail(
            validation("Strongly consistent read is not supported on Global Secondary Indexes"));
      }
    }
  }
  partiql::ExpressionWriter writer(options.parameters);
  std::optional<std::string> key;
  if (st.where) {
    if (options.batch) {
      // Each read of a batch names one item [V: AWS API reference, BatchExecuteStatement].
      auto keyed = partiql::keyed_where(
          *st.where, schema->hash.name,
          schema->range ? std::optional<std::string_view>(schema->range->name) : std::nullopt);
      if (!keyed) return aws::fail(std::move(keyed.error()));
    }
    key = key_condition(writer, *st.where, *schema);
    auto filter = writer.condition(*st.where);
    if (!filter) return aws::fail(std::move(filter.error()));
    in.set("FilterExpression", aws::Value(std::move(*filter)));
  } else if (options.batch) {
    return aws::fail(
        validation("Where clause does not contain a mandatory equality on all key attributes"));
  }
  auto forward = scan_forward(st, *schema, key.has_value());
  if (!forward) return aws::fail(std::move(forward.error()));
  if (key) in.set("KeyConditionExpression", aws::Value(*key));
  if (*forward) in.set("ScanIndexForward", aws::Value(**forward));
  if (!st.select_all) in.set("ProjectionExpression", aws::Value(writer.projection(st.projection)));
  writer.add_to(in);
  if (options.consistent_read) in.set("ConsistentRead", aws::Value(*options.consistent_read));
  if (options.limit) in.set("Limit", aws::Value(*options.limit));
  if (options.next_token) {
    auto start = open_next_token(ctx, request, request_digest(text, options.parameters),
                                 *options.next_token);
    if (!start) return aws::fail(std::move(start.error()));
    in.set("ExclusiveStartKey", std::move(*start));
  }
  if (options.return_consumed_capacity) {
    in.set("ReturnConsumedCapacity", aws::Value(*options.return_consumed_capacity));
  }
  auto page = key ? run_query(ctx, request, in, FilterKeys::kAllowed) : scan(ctx, request, in);
  if (!page) return page;

  aws::Value out = aws::Value::map();
  const aws::Value* found = page->find("Items");
  if (options.batch) {
    out.set("TableName", aws::Value(st.table));
    if (found && !found->as_list().empty()) out.set("Item", found->as_list()[0]);
  } else {
    out.set("Items", found ? *found : aws::Value::list());
    if (const aws::Value* last = page->find("LastEvaluatedKey")) {
      auto last_key = item_from_wire(*last);
      if (!last_key) return aws::fail(std::move(last_key.error()));
      out.set("NextToken", aws::Value(make_next_token(
                               ctx, request, request_digest(text, options.parameters), *last_key)));
      out.set("LastEvaluatedKey", *last);
    }
  }
  copy_member(*page, out, "ConsumedCapacity");
  return out;
}

// The Key of the item an UPDATE or DELETE names, and its other WHERE terms.
struct WriteTarget {
  TableCatalog::TablePtr table;
  aws::Value key = aws::Value::map();
  std::vector<const Expr*> conditions;
};

aws::AwsResult<WriteTarget> write_target(DynamoDbContext& ctx, const aws::RequestContext& request,
                                         const Statement& st, partiql::ExpressionWriter& writer) {
  auto table = items::item_table(ctx, request, st.table);
  if (!table) return aws::fail(std::move(table.error()));
  const KeySchema& schema = (*table)->key_schema;
  auto keyed = partiql::keyed_where(
      *st.where, schema.hash.name,
      schema.range ? std::optional<std::string_view>(schema.range->name) : std::nullopt);
  if (!keyed) return aws::fail(std::move(keyed.error()));
  WriteTarget target;
  target.table = *table;
  for (const auto& [name, value] : keyed->key) {
    auto v = writer.attribute_value(*value);
    if (!v) return aws::fail(std::move(v.error()));
    target.key.set(name, std::move(*v));
  }
  target.conditions = std::move(keyed->conditions);
  return target;
}

aws::AwsResult<WriteRequest> insert_request(DynamoDbContext& ctx,
                                            const aws::RequestContext& request, const Statement& st,
                                            const StatementOptions& options) {
  partiql::ExpressionWriter writer(options.parameters);
  // Each attribute's value is "root" in number errors [P, AWS-checked].
  aws::Value item = aws::Value::map();
  for (size_t i = 0; i < st.item.children.size(); ++i) {
    if (item.find(st.item.keys[i])) {
      return aws::fail(validation("Duplicate keys in tuple. Key: " + st.item.keys[i] +
                                  " under root"));  // [P: DynamoDB Local; U for "root"]
    }
    auto value = writer.attribute_value(st.item.children[i]);
    if (!value) return aws::fail(std::move(value.error()));
    item.set(st.item.keys[i], std::move(*value));
  }
  auto table = items::item_table(ctx, request, st.table);
  if (!table) return aws::fail(std::move(table.error()));
  WriteRequest out{WriteRequest::Kind::kPut, aws::Value::map()};
  out.input.set("TableName", aws::Value(st.table));
  out.input.set("Item", std::move(item));
  out.input.set(
      "ConditionExpression",
      aws::Value("attribute_not_exists(" + writer.name((*table)->key_schema.hash.name) + ")"));
  writer.add_to(out.input);
  return out;
}

aws::AwsResult<WriteRequest> update_request(DynamoDbContext& ctx,
                                            const aws::RequestContext& request, const Statement& st,
                                            const StatementOptions& options) {
  partiql::ExpressionWriter writer(options.parameters);
  auto target = write_target(ctx, request, st, writer);
  if (!target) return aws::fail(std::move(target.error()));
  auto update = writer.update(st.actions);
  if (!update) return aws::fail(std::move(update.error()));
  // A WHERE that matches no item is a failed condition [V: AWS docs, PartiQL update
  // statements: "If the WHERE clause ... does not evaluate to true ... ConditionalCheckFailed"].
  std::string condition =
      "attribute_exists(" + writer.name(target->table->key_schema.hash.name) + ")";
  if (!target->conditions.empty()) {
    auto rest = writer.conjunction(target->conditions);
    if (!rest) return aws::fail(std::move(rest.error()));
    condition += " AND " + *rest;
  }
  WriteRequest out{WriteRequest::Kind::kUpdate, aws::Value::map()};
  out.input.set("TableName", aws::Value(st.table));
  out.input.set("Key", std::move(target->key));
  out.input.set("UpdateExpression", aws::Value(std::move(*update)));
  out.input.set("ConditionExpression", aws::Value(std::move(condition)));
  writer.add_to(out.input);
  return out;
}

aws::AwsResult<WriteRequest> delete_request(DynamoDbContext& ctx,
                                            const aws::RequestContext& request, const Statement& st,
                                            const StatementOptions& options) {
  if (st.returning != Returning::kNone && st.returning != Returning::kAllOld) {
    static constexpr std::string_view kNames[] = {"", "ALL OLD *", "MODIFIED OLD *", "ALL NEW *",
                                                  "MODIFIED NEW *"};
    // [P: DynamoDB Local's catalogue; the rendering of the clause is U]
    return aws::fail(validation("Invalid returning clause: RETURNING " +
                                std::string(kNames[static_cast<int>(st.returning)]) +
                                ". Only RETURNING ALL OLD * is allowed in DELETE statements."));
  }
  partiql::ExpressionWriter writer(options.parameters);
  auto target = write_target(ctx, request, st, writer);
  if (!target) return aws::fail(std::move(target.error()));
  WriteRequest out{WriteRequest::Kind::kDelete, aws::Value::map()};
  out.input.set("TableName", aws::Value(st.table));
  out.input.set("Key", std::move(target->key));
  if (!target->conditions.empty()) {
    // A missing item is deleted "successfully"; an existing one must meet the other terms [V:
    // AWS docs, PartiQL delete statements].
    auto rest = writer.conjunction(target->conditions);
    if (!rest) return aws::fail(std::move(rest.error()));
    out.input.set("ConditionExpression",
                  aws::Value("attribute_not_exists(" +
                             writer.name(target->table->key_schema.hash.name) + ") OR " + *rest));
  }
  writer.add_to(out.input);
  return out;
}

// A write statement run as its item operation, with the request's return options.
Output run_write(DynamoDbContext& ctx, const aws::RequestContext& request, const Statement& st,
                 const StatementOptions& options) {
  auto write = write_request(ctx, request, st, options);
  if (!write) return aws::fail(std::move(write.error()));
  aws::Value& in = write->input;
  if (options.return_consumed_capacity) {
    in.set("ReturnConsumedCapacity", aws::Value(*options.return_consumed_capacity));
  }
  if (write->kind != WriteRequest::Kind::kPut) {
    static constexpr std::string_view kReturnValues[] = {"NONE", "ALL_OLD", "UPDATED_OLD",
                                                         "ALL_NEW", "UPDATED_NEW"};
    in.set("ReturnValues", aws::Value(kReturnValues[static_cast<int>(st.returning)]));
    // BatchExecuteStatement accepts it and ignores it [P, facts §11].
    if (options.return_values_on_condition_check_failure && !options.batch) {
      in.set("ReturnValuesOnConditionCheckFailure",
             aws::Value(*options.return_values_on_condition_check_failure));
    }
  }
  Output result = write->kind == WriteRequest::Kind::kPut      ? put_item(ctx, request, in)
                  : write->kind == WriteRequest::Kind::kUpdate ? update_item(ctx, request, in)
                                                               : delete_item(ctx, request, in);
  if (!result) {
    if (write->kind == WriteRequest::Kind::kPut &&
        result.error().type == error_name(Error::kConditionalCheckFailed)) {
      // [V: AWS docs, PartiQL insert statements; text V: facts §16]
      return aws::fail(error(Error::kDuplicateItem, "Duplicate primary key exists in table"));
    }
    return result;
  }
  aws::Value out = aws::Value::map();
  if (options.batch) {
    out.set("TableName", aws::Value(st.table));
  } else {
    aws::Value items = aws::Value::list();
    if (const aws::Value* attributes = result->find("Attributes")) items.push(*attributes);
    out.set("Items", std::move(items));
  }
  copy_member(*result, out, "ConsumedCapacity");
  return out;
}

}  // namespace

bool is_read(const Statement& statement) { return statement.kind == StatementKind::kSelect; }

aws::AwsResult<WriteRequest> write_request(DynamoDbContext& ctx, const aws::RequestContext& request,
                                           const Statement& statement,
                                           const StatementOptions& options) {
  if (statement.parameter_count != options.parameters.size()) {
    return aws::fail(partiql::parameter_count_mismatch());
  }
  switch (statement.kind) {
    case StatementKind::kInsert:
      return insert_request(ctx, request, statement, options);
    case StatementKind::kUpdate:
      return update_request(ctx, request, statement, options);
    case StatementKind::kDelete:
      return delete_request(ctx, request, statement, options);
    case StatementKind::kSelect:
      break;
  }
  return aws::fail(validation("Unsupported operation: SELECT is not a write"));  // not reached
}

Output run_statement(DynamoDbContext& ctx, const aws::RequestContext& request,
                     const Statement& statement, std::string_view text,
                     const StatementOptions& options) {
  if (statement.parameter_count != options.parameters.size()) {
    return aws::fail(partiql::parameter_count_mismatch());
  }
  switch (statement.kind) {
    case StatementKind::kSelect:
      return run_select(ctx, request, statement, text, options);
    case StatementKind::kInsert:
    case StatementKind::kUpdate:
    case StatementKind::kDelete:
      return run_write(ctx, request, statement, options);
  }
  return aws::fail(validation("Statement wasn't well formed, can't be processed: "));
}

}  // namespace trib::dynamodb::ops
