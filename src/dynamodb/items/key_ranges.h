// A Query's key conditions checked against the key schema it reads (the table's or an index's)
// and turned into the range of storage keys they select (docs/storage-encoding.md, "DynamoDB
// items"). A global index's key may have several HASH and RANGE attributes (multi-attribute
// keys): every HASH attribute needs an equality; RANGE attributes are used left to right
// without gaps, all but the last used one with an equality (AWS developer guide,
// "Multi-attribute key schema" [V]; the texts of the refusals: see key_ranges.cc).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "aws/error.h"
#include "dynamodb/tables/table.h"
#include "dynamodb/values/attribute_value.h"

namespace trib::dynamodb::items {

enum class KeyOperator : uint8_t {
  kEqual,
  kLess,
  kLessOrEqual,
  kGreater,
  kGreaterOrEqual,
  kBetween,
  kBeginsWith,
};

// One condition on one attribute, as the attribute were on the left (`:v < k` is k > :v).
struct KeyBound {
  std::string name;
  KeyOperator op = KeyOperator::kEqual;
  const AttributeValue* value = nullptr;  // the (lower) operand; never null
  const AttributeValue* upper = nullptr;  // BETWEEN's upper bound; never null for kBetween
};

// The storage keys [lower, upper) of the items of the table (index_id 0) or index the bounds
// select, or AWS's error for bounds the schema does not allow. At most one bound per attribute
// (the expression parser refuses more).
struct KeyRange {
  std::string lower;
  std::string upper;
};
aws::AwsResult<KeyRange> key_range(const Table& table, uint32_t index_id, const KeySchema& schema,
                                   std::span<const KeyBound> bounds);

}  // namespace trib::dynamodb::items
