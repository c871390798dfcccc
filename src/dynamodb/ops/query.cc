// Query: the items of one partition of a table or index, in sort-key order (ScanIndexForward
// false reverses it), read through an iterator over one key range (never blocking writers).
// Paging, filters, Select and capacity are shared with Scan (ops/reads.*). Reads of the table
// and its local indexes are always strongly consistent; ConsistentRead decides only the charge.
// A QueryFilter naming a key attribute is refused with AWS's text (see the checks below).
// The key conditions' rules (multi-attribute GSI keys included) and the key range they select
// are items::key_range's.
#include <algorithm>

#include "dynamodb/errors.h"
#include "dynamodb/expressions/key_condition.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/key_ranges.h"
#include "dynamodb/operations.h"
#include "dynamodb/ops/reads.h"
#include "dynamodb/values/item_codec.h"
#include "storage/keys.h"

namespace trib::dynamodb::ops {

namespace {

using items::KeyBound;
using items::KeyOperator;

KeyOperator key_operator(expressions::KeyCondition::Operator op) {
  using Operator = expressions::KeyCondition::Operator;
  switch (op) {
    case Operator::kEqual:
      return KeyOperator::kEqual;
    case Operator::kLess:
      return KeyOperator::kLess;
    case Operator::kLessOrEqual:
      return KeyOperator::kLessOrEqual;
    case Operator::kGreater:
      return KeyOperator::kGreater;
    case Operator::kGreaterOrEqual:
      return KeyOperator::kGreaterOrEqual;
    case Operator::kBetween:
      return KeyOperator::kBetween;
    case Operator::kBeginsWith:
      return KeyOperator::kBeginsWith;
  }
  return KeyOperator::kEqual;
}

// KeyConditionExpression or KeyConditions as bounds, one per attribute; their checks against
// the schema the Query reads are items::key_range's. Texts: dynalite (taken from AWS) [P].
// KeyConditions works on multi-attribute GSI keys too (moto's AWS-verified
// test_key_conditions_with_range_keys; scylladb/scylladb#31393).
aws::AwsResult<std::vector<KeyBound>> key_bounds(const ReadRequest& read) {
  std::vector<KeyBound> bounds;
  if (read.parsed.key_condition) {
    auto conditions = expressions::key_conditions(*read.parsed.key_condition);
    if (!conditions) return aws::fail(std::move(conditions.error()));
    for (const expressions::KeyCondition& c : *conditions) {
      KeyBound b{std::string(c.attribute), key_operator(c.op), read.values->find(c.value),
                 c.upper_value ? read.values->find(c.upper_value) : nullptr};
      bounds.push_back(std::move(b));
    }
  } else if (read.key_conditions) {
    for (const documents::LegacyCondition& c : read.key_conditions->conditions) {
      KeyBound b;
      b.name = c.name;
      switch (c.op) {
        case documents::ComparisonOperator::kEq:
          b.op = KeyOperator::kEqual;
          break;
        case documents::ComparisonOperator::kLt:
          b.op = KeyOperator::kLess;
          break;
        case documents::ComparisonOperator::kLe:
          b.op = KeyOperator::kLessOrEqual;
          break;
        case documents::ComparisonOperator::kGt:
          b.op = KeyOperator::kGreater;
          break;
        case documents::ComparisonOperator::kGe:
          b.op = KeyOperator::kGreaterOrEqual;
          break;
        case documents::ComparisonOperator::kBetween:
          b.op = KeyOperator::kBetween;
          break;
        case documents::ComparisonOperator::kBeginsWith:
          b.op = KeyOperator::kBeginsWith;
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
    if (!b.value || (b.op == KeyOperator::kBetween && !b.upper)) {
      return aws::fail(
          validation("Attempted conditional constraint is not an indexable operation"));
    }
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
  auto keys = items::key_range(*read->table, read_index_id(*read), schema, *bounds);
  if (!keys) return aws::fail(std::move(keys.error()));
  // A filter may not name a key attribute of the keys queried, partition key first [P:
  // dynalite (texts from AWS; its test of the QueryFilter text runs against AWS); the
  // FilterExpression text is also quoted from AWS in public projects].
  // A PartiQL SELECT served as a Query filters on its whole WHERE (FilterKeys::kAllowed).
  // Every key attribute of the index (a multi-attribute key's too) counts: scylladb's
  // conformance tests for multi-attribute GSI keys, run against AWS [P].
  for (const KeyAttribute* key : schema.attributes()) {
    if (filter_keys == FilterKeys::kAllowed) continue;
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

  items::RangeRead range;
  range.lower = std::move(keys->lower);
  range.upper = std::move(keys->upper);
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
