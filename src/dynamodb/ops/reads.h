// What Query and Scan share (ops/query.cc, ops/scan.cc): the request's expressions and legacy
// members, Select, the table and index read, ExclusiveStartKey, the page loop (filter,
// projection, Count / ScannedCount / LastEvaluatedKey) and ConsumedCapacity.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dynamodb/context.h"
#include "dynamodb/documents/legacy.h"
#include "dynamodb/documents/value_model.h"
#include "dynamodb/items/range_reads.h"
#include "dynamodb/tables/table_catalog.h"

namespace trib::dynamodb::ops {

enum class ReadKind : uint8_t { kQuery, kScan };

struct ReadRequest {
  ReadKind kind = ReadKind::kQuery;
  std::unique_ptr<documents::RequestValues> values = std::make_unique<documents::RequestValues>();
  expressions::ParsedExpressions parsed;
  std::optional<documents::LegacyConditions> legacy_filter;   // QueryFilter / ScanFilter
  std::optional<documents::LegacyConditions> key_conditions;  // KeyConditions (legacy)
  std::optional<std::vector<std::string>> attributes_to_get;
  std::string select;  // resolved (never empty)
  TableCatalog::TablePtr table;
  const SecondaryIndex* index = nullptr;  // IndexName
  bool consistent = false;
  std::optional<Item> exclusive_start;
};

// The static checks and the table/index lookup, in AWS's order (facts §19): expressions and
// legacy members, Select, then the table and the index.
aws::AwsResult<ReadRequest> read_request(DynamoDbContext& ctx, const aws::RequestContext& request,
                                         const Input& input, ReadKind kind);

// The key schema the read is ordered by: the index's, or the table's.
const KeySchema& read_key_schema(const ReadRequest& read);
uint32_t read_index_id(const ReadRequest& read);

// ExclusiveStartKey as a storage key of the read's range (the table key, plus the index key on
// index reads), or "The provided starting key is invalid: ..." (facts §10).
aws::AwsResult<std::optional<std::string>> start_key(const ReadRequest& read);

// Reads [lower, upper) and builds the answer (Items, Count, ScannedCount, LastEvaluatedKey,
// ConsumedCapacity).
// Query with a choice the API does not offer: whether the FilterExpression may name the key
// attributes (a Query refuses it; a PartiQL SELECT served as a Query filters on its whole WHERE,
// key conditions included, ops/partiql_statements.cc).
enum class FilterKeys : uint8_t { kRefused, kAllowed };
Output run_query(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input,
                 FilterKeys filter_keys);

Output read_page(DynamoDbContext& ctx, const ReadRequest& read, const Input& input,
                 items::RangeRead range);

}  // namespace trib::dynamodb::ops
