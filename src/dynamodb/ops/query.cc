// Query: the items of one partition of a table or index, in sort-key order (ScanIndexForward
// false reverses it), read through an iterator over one key range (never blocking writers).
// Paging, filters, Select and capacity are shared with Scan (ops/reads.*). Reads of the table
// and its local indexes are always strongly consistent; ConsistentRead decides only the charge.
// A QueryFilter naming a key attribute is refused with AWS's text (see the checks below).
#include <algorithm>

#include "dynamodb/errors.h"
#include "dynamodb/expressions/key_condition.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/operations.h"
#include "dynamodb/ops/reads.h"
#include "dynamodb/values/item_codec.h"
#include "storage/keys.h"

namespace trib::dynamodb::ops {

namespace {

using Operator = expressions::KeyCondition::Operator;

struct KeyBound {
  std::string name;
  Operator op = Operator::kEqual;
  const AttributeValue* value = nullptr;
  const AttributeValue* upper = nullptr;
};

// KeyConditionExpression or KeyConditions as at most two bounds, checked against the schema
// the Query reads. Texts: dynalite (taken from AWS) [P]; "Query condition missed key schema
// element" [V: AWS docs, troubleshooting; recorded in many public issues].
aws::AwsResult<std::vector<KeyBound>> key_bounds(const ReadRequest& read) {
  std::vector<KeyBound> bounds;
  if (read.parsed.key_condition) {
    auto conditions = expressions::key_conditions(*read.parsed.key_condition);
    if (!conditions) return aws::fail(std::move(conditions.error()));
    for (const expressions::KeyCondition& c : *conditions) {
      KeyBound b{std::string(c.attribute), c.op, read.values->find(c.value),
                 c.upper_value ? read.values->find(c.upper_value) : nullptr};
      bounds.push_back(std::move(b));
    }
  } else if (read.key_conditions) {
    for (const documents::LegacyCondition& c : read.key_conditions->conditions) {
      KeyBound b;
      b.name = c.name;
      switch (c.op) {
        case documents::ComparisonOperator::kEq:
          b.op = Operator::kEqual;
          break;
        case documents::ComparisonOperator::kLt:
          b.op = Operator::kLess;
          break;
        case documents::ComparisonOperator::kLe:
          b.op = Operator::kLessOrEqual;
          break;
        case documents::ComparisonOperator::kGt:
          b.op = Operator::kGreater;
          break;
        case documents::ComparisonOperator::kGe:
          b.op = Operator::kGreaterOrEqual;
          break;
        case documents::ComparisonOperator::kBetween:
          b.op = Operator::kBetween;
          break;
        case documents::ComparisonOperator::kBeginsWith:
          b.op = Operator::kBeginsWith;
          break;
        default:
          return aws::fail(
              validation("Attempted conditional constraint is not an indexable operation"));
      }
      if (c.values.empty()) {
        return aws::fail(
            validation("Attempted conditional constraint is not an indexable operation"));
      }
      b.value = &c.values[0];
      if (c.values.size() > 1) b.upper = &c.values[1];
      bounds.push_back(std::move(b));
    }
  } else {
    // dynalite's text for a Query with neither [P].
    return aws::fail(validation(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request."));
  }
  for (const KeyBound& b : bounds) {
    if (!b.value || (b.op == Operator::kBetween && !b.upper)) {
      return aws::fail(
          validation("Attempted conditional constraint is not an indexable operation"));
    }
  }
  const KeySchema& schema = read_key_schema(read);
  // No condition on the partition key names it; a condition on another attribute names the
  // sort key [P: dynalite, D for the order of the two checks].
  const KeyBound* hash = nullptr;
  for (const KeyBound& b : bounds) {
    if (b.name == schema.hash.name) hash = &b;
  }
  if (!hash) {
    return aws::fail(validation("Query condition missed key schema element: " + schema.hash.name));
  }
  for (const KeyBound& b : bounds) {
    if (b.name != schema.hash.name && (!schema.range || b.name != schema.range->name)) {
      return aws::fail(validation("Query condition missed key schema element: " +
                                  (schema.range ? schema.range->name : schema.hash.name)));
    }
  }
  for (const KeyBound& b : bounds) {
    const char type = b.name == schema.hash.name ? schema.hash.type : schema.range->type;
    for (const AttributeValue* v : {b.value, b.upper}) {
      if (v && items::key_type_char(v->type()) != type) {
        return aws::fail(invalid_parameter("Condition parameter type does not match schema type"));
      }
    }
    if (b.op == Operator::kBeginsWith && type == 'N') {
      return aws::fail(validation("Query key condition not supported"));
    }
  }
  if (hash->op != Operator::kEqual) {
    return aws::fail(validation("Query key condition not supported"));
  }
  return bounds;
}

}  // namespace

Output query(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input) {
  return run_query(ctx, request, input, FilterKeys::kRefused);
}

Output run_query(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input,
                 FilterKeys filter_keys) {
  auto read = read_request(ctx, request, input, ReadKind::kQuery);
  if (!read) return aws::fail(std::move(read.error()));
  auto bounds = key_bounds(*read);
  if (!bounds) return aws::fail(std::move(bounds.error()));
  const KeySchema& schema = read_key_schema(*read);
  // A filter may not name a key attribute of the keys queried, partition key first [P:
  // dynalite (texts from AWS; its test of the QueryFilter text runs against AWS); the
  // FilterExpression text is also quoted from AWS in public projects].
  // A PartiQL SELECT served as a Query filters on its whole WHERE (FilterKeys::kAllowed).
  for (const KeyAttribute* key : {&schema.hash, schema.range ? &*schema.range : nullptr}) {
    if (!key || filter_keys == FilterKeys::kAllowed) continue;
    bool named = false;
    if (read->parsed.filter) {
      const expressions::Expression& filter = *read->parsed.filter;
      for (uint32_t n = 0; n < filter.node_count() && !named; ++n) {
        if (filter.node(n).kind != expressions::NodeKind::kPath) continue;
        const auto path = filter.elements(n);
        named = !path.empty() && path[0].name == key->name;
      }
    } else if (read->legacy_filter) {
      named = std::any_of(read->legacy_filter->conditions.begin(),
                          read->legacy_filter->conditions.end(),
                          [&](const documents::LegacyCondition& c) { return c.name == key->name; });
    }
    if (named) {
      return aws::fail(
          validation(std::string(read->parsed.filter ? "Filter Expression" : "QueryFilter") +
                     " can only contain non-primary key attributes: Primary key "
                     "attribute: " +
                     key->name));
    }
  }

  const KeyBound* hash = nullptr;
  const KeyBound* sort = nullptr;
  for (const KeyBound& b : *bounds) (b.name == schema.hash.name ? hash : sort) = &b;
  const std::string prefix =
      items::partition_prefix(*read->table, read_index_id(*read), *hash->value);
  const auto component = [&](const AttributeValue& v) {
    std::string out = prefix;
    append_key_component(out, v);
    return out;
  };
  items::RangeRead range;
  range.lower = prefix;
  range.upper = storage::prefix_successor(prefix);
  if (sort) {
    const std::string at = component(*sort->value);
    switch (sort->op) {
      case Operator::kEqual:
        range.lower = at;
        range.upper = storage::prefix_successor(at);
        break;
      case Operator::kLess:
        range.upper = at;
        break;
      case Operator::kLessOrEqual:
        range.upper = storage::prefix_successor(at);
        break;
      case Operator::kGreater:
        range.lower = storage::prefix_successor(at);
        break;
      case Operator::kGreaterOrEqual:
        range.lower = at;
        break;
      case Operator::kBetween:
        range.lower = at;
        range.upper = storage::prefix_successor(component(*sort->upper));
        break;
      case Operator::kBeginsWith: {
        // An S or B component is the escaped bytes then 0x00 0x01 (item_codec.h): every value
        // with this prefix encodes to the escaped prefix followed by more.
        const std::string start = at.substr(0, at.size() - 2);
        range.lower = start;
        range.upper = storage::prefix_successor(start);
        break;
      }
    }
  }
  range.forward = input.bool_member("ScanIndexForward").value_or(true);
  auto start = start_key(*read);
  if (!start) return aws::fail(std::move(start.error()));
  if (*start) {
    // facts §10 [P]: a start key the key condition does not cover.
    if (**start < range.lower || **start >= range.upper) {
      return aws::fail(validation(
          "The provided starting key is outside query boundaries based on provided conditions"));
    }
    range.exclusive_start = std::move(**start);
  }
  return read_page(ctx, *read, input, std::move(range));
}

}  // namespace trib::dynamodb::ops
