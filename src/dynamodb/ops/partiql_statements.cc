#include "dynamodb/ops/partiql_statements.h"

#include <algorithm>
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

// Where a SELECT continues: the partition-key value it was reading (an index into the values a
// partition-key IN or OR names; 0 for a single value or a scan) and the last key read there
// (none: start that partition from its beginning).
struct ReadPosition {
  size_t partition = 0;
  std::optional<Item> last_key;
};

// NextToken: sealed (util/sealed_token.h) "partiql", account, region, the request digest, the
// partition index, then the last key in the item encoding (last, as it may hold any byte; empty
// for none).
std::string make_next_token(const DynamoDbContext& ctx, const aws::RequestContext& request,
                            const std::string& digest, const ReadPosition& position) {
  std::string plain = "partiql";
  for (const std::string& part :
       {request.account, request.region, digest, std::to_string(position.partition)}) {
    plain += kSeparator;
    plain += part;
  }
  plain += kSeparator;
  if (position.last_key) plain += encode_item(*position.last_key);
  return ctx.sealer.seal(plain);
}

aws::AwsResult<ReadPosition> open_next_token(const DynamoDbContext& ctx,
                                             const aws::RequestContext& request,
                                             const std::string& digest, std::string_view token) {
  const auto invalid = [] { return aws::fail(validation(std::string(kInvalidNextToken))); };
  auto plain = ctx.sealer.open(token);
  if (!plain) return invalid();
  std::vector<std::string_view> parts;
  std::string_view rest = *plain;
  for (int i = 0; i < 5; ++i) {
    const size_t sep = rest.find(kSeparator);
    if (sep == std::string_view::npos) return invalid();
    parts.push_back(rest.substr(0, sep));
    rest.remove_prefix(sep + 1);
  }
  if (parts[0] != "partiql") return invalid();
  if (parts[1] != request.account || parts[2] != request.region) {
    return aws::fail(validation(std::string(kForeignNextToken)));
  }
  if (parts[3] != digest) return aws::fail(validation(std::string(kNextTokenMismatch)));
  ReadPosition position;
  if (parts[4].empty() || parts[4].size() > 6 ||
      parts[4].find_first_not_of("0123456789") != std::string_view::npos) {
    return invalid();
  }
  position.partition = std::stoul(std::string(parts[4]));
  if (!rest.empty()) {
    position.last_key = decode_item(rest);
    if (!position.last_key) return invalid();
  }
  return position;
}

// The wire type letter of an AttributeValue document ("S", "N", "B", ...), or empty.
std::string_view wire_type(const aws::Value& attribute_value) {
  if (!attribute_value.is_map() || attribute_value.as_map().size() != 1) return {};
  return attribute_value.as_map()[0].first;
}

// A key value's order-preserving encoding (values/item_codec.h): equal for equal values,
// numbers by value; ordered as DynamoDB orders keys.
std::string key_order(const aws::Value& attribute_value) {
  std::string out;
  if (auto value = attribute_value_from_wire(attribute_value)) append_key_component(out, *value);
  return out;
}

// True when `e` is the top-level attribute `name` (a one-step path).
bool is_attribute(const Expr& e, std::string_view name) {
  return e.kind == ExprKind::kPath && e.path.size() == 1 && !e.path[0].is_index() &&
         e.path[0].name == name;
}

// `e` as an AttributeValue document when it is a literal or parameter of the key type `type`
// ('S', 'N', 'B'); not yet given a placeholder.
std::optional<aws::Value> key_typed(partiql::ExpressionWriter& writer, const Expr& e, char type) {
  if (!partiql::is_value(e)) return std::nullopt;
  auto value = writer.attribute_value(e);
  if (!value || wire_type(*value) != std::string_view(&type, 1)) return std::nullopt;
  return std::move(*value);
}

// The partition-key values a SELECT reads as Queries, one each: the value of a top-level
// `pk = v`, or the values of a top-level `pk IN [...]` or of an OR of `pk = v` terms (AWS: "an
// equality or IN condition with a partition key" is not a full table scan, and its examples
// include `pk = 100 or pk = 200` [V: AWS docs, PartiQL select statements]). Values of another
// type than the key's match nothing and make the read a scan. Empty: a scan.
std::vector<aws::Value> partition_values(partiql::ExpressionWriter& writer, const Expr& where,
                                         const KeyAttribute& hash) {
  const auto typed = [&](const Expr& e) { return key_typed(writer, e, hash.type); };
  // The values of an OR tree whose every leaf is `pk = v`; false if a leaf is anything else.
  const auto or_values = [&](const auto& self, const Expr& e,
                             std::vector<aws::Value>& out) -> bool {
    if (e.kind == ExprKind::kOr)
      return self(self, e.children[0], out) && self(self, e.children[1], out);
    const Expr* v = partiql::equality_on(e, hash.name);
    if (!v) return false;
    auto value = typed(*v);
    if (!value) return false;
    out.push_back(std::move(*value));
    return true;
  };
  for (const Expr* term : partiql::conjuncts(where)) {
    std::vector<aws::Value> values;
    if (term->kind == ExprKind::kIn && !term->flag && is_attribute(term->children[0], hash.name)) {
      bool all = true;
      for (size_t i = 1; i < term->children.size() && all; ++i) {
        auto value = typed(term->children[i]);
        if (value) values.push_back(std::move(*value));
        all = value.has_value();
      }
      if (!all) values.clear();
    } else if (!or_values(or_values, *term, values)) {
      values.clear();
    }
    if (values.empty()) continue;
    // Each value read once (numbers by value), in the order written.
    std::vector<aws::Value> unique;
    std::vector<std::string> seen;
    for (aws::Value& v : values) {
      const std::string key = key_order(v);
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      seen.push_back(key);
      unique.push_back(std::move(v));
    }
    return unique;
  }
  return {};
}

// The sort-key part of a key condition: the first top-level WHERE term on the sort key that a
// key condition can express (=, <, <=, >, >=, BETWEEN, begins_with) with values of its type.
std::optional<std::string> range_condition(partiql::ExpressionWriter& writer, const Expr& where,
                                           const KeyAttribute& range) {
  const auto is_range = [&](const Expr& e) { return is_attribute(e, range.name); };
  const auto typed = [&](const Expr& e) { return key_typed(writer, e, range.type); };
  for (const Expr* term : partiql::conjuncts(where)) {
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
        return writer.name(range.name) + " " +
               std::string(expressions::comparator_text(comparator)) + " " +
               writer.value(std::move(*v));
      }
    } else if (term->kind == ExprKind::kBetween && !term->flag && is_range(term->children[0])) {
      auto lower = typed(term->children[1]);
      auto upper = typed(term->children[2]);
      if (lower && upper) {
        std::string bounds = writer.value(std::move(*lower)) + " AND ";
        bounds += writer.value(std::move(*upper));
        return writer.name(range.name) + " BETWEEN " + bounds;
      }
    } else if (term->kind == ExprKind::kFunction && term->text == "begins_with" &&
               term->children.size() == 2 && is_range(term->children[0])) {
      if (auto prefix = typed(term->children[1])) {
        return "begins_with(" + writer.name(range.name) + ", " + writer.value(std::move(*prefix)) +
               ")";
      }
    }
  }
  return std::nullopt;
}

// Adds the CapacityUnits of `page` (and its Table's) to the ConsumedCapacity of `out`.
void add_capacity(aws::Value& out, const aws::Value& page) {
  const aws::Value* capacity = page.find("ConsumedCapacity");
  if (!capacity) return;
  aws::Value* sum = nullptr;
  for (auto& [name, value] : out.as_map()) {
    if (name == "ConsumedCapacity") sum = &value;
  }
  if (!sum) {
    out.set("ConsumedCapacity", *capacity);
    return;
  }
  const auto add = [](aws::Value& into, const aws::Value& from) {
    for (auto& [name, value] : into.as_map()) {
      const aws::Value* more = from.find(name);
      if (name == "CapacityUnits" && more && more->kind() == aws::Value::Kind::kDouble &&
          value.kind() == aws::Value::Kind::kDouble) {
        value = aws::Value(value.as_double() + more->as_double());
      }
    }
  };
  add(*sum, *capacity);
  for (auto& [name, value] : sum->as_map()) {
    if (name == "Table" && capacity->find("Table")) add(value, *capacity->find("Table"));
  }
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
  if (st.index) {
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
  if (options.batch) {
    // Each read of a batch names one item [V: AWS API reference, BatchExecuteStatement].
    if (!st.where) {
      return aws::fail(
          validation("Where clause does not contain a mandatory equality on all key attributes"));
    }
    auto keyed = partiql::keyed_where(
        *st.where, schema->hash.name,
        schema->range ? std::optional<std::string_view>(schema->range->name) : std::nullopt);
    if (!keyed) return aws::fail(std::move(keyed.error()));
  }
  partiql::ExpressionWriter probe(options.parameters);
  std::vector<aws::Value> partitions =
      st.where ? partition_values(probe, *st.where, schema->hash) : std::vector<aws::Value>();
  auto forward = scan_forward(st, *schema, !partitions.empty());
  if (!forward) return aws::fail(std::move(forward.error()));
  if (partitions.size() > 1 && !st.order_by.empty()) {
    // Several partitions in ORDER BY order: the partition key must lead [P: DynamoDB Local's
    // catalogue for the text; D for the order].
    if (st.order_by[0].name != schema->hash.name) {
      return aws::fail(
          validation("Must have hash key in ORDER BY clause when more than one hash key condition "
                     "specified in WHERE clause."));
    }
    const bool descending = st.order_by[0].descending;
    std::stable_sort(
        partitions.begin(), partitions.end(), [&](const aws::Value& a, const aws::Value& b) {
          return descending ? key_order(b) < key_order(a) : key_order(a) < key_order(b);
        });
  }
  const std::string digest = request_digest(text, options.parameters);
  ReadPosition position;
  if (options.next_token) {
    auto opened = open_next_token(ctx, request, digest, *options.next_token);
    if (!opened) return aws::fail(std::move(opened.error()));
    position = std::move(*opened);
    if (position.partition >= std::max<size_t>(partitions.size(), 1)) {
      return aws::fail(validation(std::string(kNextTokenMismatch)));
    }
  }

  // One Query per partition-key value (or one Scan), from the token's position, until Limit
  // items are evaluated or a read stops with a LastEvaluatedKey.
  aws::Value out = aws::Value::map();
  aws::Value items = aws::Value::list();
  std::optional<int64_t> left = options.limit;
  for (size_t partition = position.partition;; ++partition) {
    partiql::ExpressionWriter writer(options.parameters);
    aws::Value in = aws::Value::map();
    in.set("TableName", aws::Value(st.table));
    if (st.index) in.set("IndexName", aws::Value(*st.index));
    if (!partitions.empty()) {
      std::string key =
          writer.name(schema->hash.name) + " = " + writer.value(partitions[partition]);
      if (schema->range && st.where) {
        if (auto range = range_condition(writer, *st.where, *schema->range))
          key += " AND " + *range;
      }
      in.set("KeyConditionExpression", aws::Value(std::move(key)));
    }
    if (st.where) {
      auto filter = writer.condition(*st.where);
      if (!filter) return aws::fail(std::move(filter.error()));
      in.set("FilterExpression", aws::Value(std::move(*filter)));
    }
    if (*forward) in.set("ScanIndexForward", aws::Value(**forward));
    if (!st.select_all)
      in.set("ProjectionExpression", aws::Value(writer.projection(st.projection)));
    writer.add_to(in);
    if (options.consistent_read) in.set("ConsistentRead", aws::Value(*options.consistent_read));
    if (left) in.set("Limit", aws::Value(*left));
    if (partition == position.partition && position.last_key) {
      in.set("ExclusiveStartKey", item_to_wire(*position.last_key));
    }
    if (options.return_consumed_capacity) {
      in.set("ReturnConsumedCapacity", aws::Value(*options.return_consumed_capacity));
    }
    auto page = partitions.empty() ? scan(ctx, request, in)
                                   : run_query(ctx, request, in, FilterKeys::kAllowed);
    if (!page) return page;
    if (const aws::Value* found = page->find("Items")) {
      for (const aws::Value& item : found->as_list()) items.push(item);
    }
    add_capacity(out, *page);
    if (left) {
      const aws::Value* scanned = page->find("ScannedCount");
      *left -= scanned && scanned->kind() == aws::Value::Kind::kInteger ? scanned->as_int() : 0;
    }
    std::optional<ReadPosition> next;
    const aws::Value* last = page->find("LastEvaluatedKey");
    if (last) {
      auto last_key = item_from_wire(*last);
      if (!last_key) return aws::fail(std::move(last_key.error()));
      next = ReadPosition{partition, std::move(*last_key)};
    } else if (partition + 1 < partitions.size() && left && *left <= 0) {
      next = ReadPosition{partition + 1, std::nullopt};
    }
    if (next) {
      if (!options.batch) {
        out.set("NextToken", aws::Value(make_next_token(ctx, request, digest, *next)));
        if (last) out.set("LastEvaluatedKey", *last);
      }
      break;
    }
    if (partition + 1 >= partitions.size()) break;
  }

  aws::Value result = aws::Value::map();
  if (options.batch) {
    result.set("TableName", aws::Value(st.table));
    if (!items.as_list().empty()) result.set("Item", items.as_list()[0]);
  } else {
    result.set("Items", std::move(items));
    copy_member(out, result, "NextToken");
    copy_member(out, result, "LastEvaluatedKey");
  }
  copy_member(out, result, "ConsumedCapacity");
  return result;
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

aws::AwsResult<aws::Value> get_request(DynamoDbContext& ctx, const aws::RequestContext& request,
                                       const Statement& statement,
                                       const StatementOptions& options) {
  // Texts [P: DynamoDB Local's PartiQL catalogue].
  constexpr std::string_view kKeyOnly =
      "Select statements within ExecuteTransaction must specify the primary key in the where "
      "clause.";
  if (statement.parameter_count != options.parameters.size()) {
    return aws::fail(partiql::parameter_count_mismatch());
  }
  if (statement.index) {
    return aws::fail(validation("Reads on indices are not supported within transactions."));
  }
  if (!statement.where) return aws::fail(validation(std::string(kKeyOnly)));
  partiql::ExpressionWriter writer(options.parameters);
  auto target = write_target(ctx, request, statement, writer);
  if (!target && target.error().type != error_name(Error::kValidation)) {
    return aws::fail(std::move(target.error()));  // a missing table
  }
  // Other terms than the key have nothing to filter with in TransactGetItems: refused [U].
  if (!target || !target->conditions.empty()) return aws::fail(validation(std::string(kKeyOnly)));
  aws::Value get = aws::Value::map();
  get.set("TableName", aws::Value(statement.table));
  get.set("Key", std::move(target->key));
  if (!statement.select_all) {
    get.set("ProjectionExpression", aws::Value(writer.projection(statement.projection)));
  }
  writer.add_to(get);
  return get;
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
