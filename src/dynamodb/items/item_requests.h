// What the item operations share: the table an item request may use, request options
// (ReturnConsumedCapacity, ReturnItemCollectionMetrics, AttributesToGet), the capacity
// arithmetic (facts §12) and its ConsumedCapacity output, ItemCollectionMetrics.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "dynamodb/context.h"
#include "dynamodb/items/write_path.h"
#include "dynamodb/values/attribute_value.h"

namespace trib::dynamodb::items {

// Items are at most 400 KB (facts §4, §8).
inline constexpr size_t kMaxItemBytes = 409600;
// The item-too-large text of PutItem and BatchWriteItem (facts §8, recorded).
inline constexpr std::string_view kItemTooLarge = "Item size has exceeded the maximum allowed size";

// The table `name_or_arn` names, usable by item operations: ACTIVE or UPDATING. A missing
// table, and (as dynalite answers, whose tests run against AWS: its getTable with
// checkStatus) one CREATING or DELETING, is ResourceNotFoundException
// `Requested resource not found`.
aws::AwsResult<TableCatalog::TablePtr> item_table(const DynamoDbContext& ctx,
                                                  const aws::RequestContext& request,
                                                  std::string_view name_or_arn,
                                                  std::string_view member_path = "TableName");

// The write path configured for this server (--sync-writes, the change-capture hook).
WritePath write_path(const DynamoDbContext& ctx);

// SizeEstimateRangeGB of a collection of `bytes`: the whole gigabytes below and above it,
// [⌊GB⌋, ⌊GB⌋ + 1] (AWS documents only a lower and an upper bound and shows [0.0, 1.0] for a
// small collection [V: API reference, ItemCollectionMetrics]; the 1 GB width is a guess).
std::pair<double, double> size_estimate_range_gb(uint64_t bytes);

// ReturnConsumedCapacity: NONE (or absent), TOTAL, INDEXES.
enum class CapacityDetail : uint8_t { kNone, kTotal, kIndexes };
CapacityDetail capacity_detail(const aws::Value& input);

// Read units of one item read (facts §12): ⌈size / 4 KB⌉, at least 1 (a missing item too),
// halved when eventually consistent.
double read_units(size_t item_bytes, bool consistent);

// Units of one operation on one table, by index, summed over the operation's items.
struct TableCapacity {
  explicit TableCapacity(std::string name) : table_name(std::move(name)) {}
  std::string table_name;
  double table_units = 0;
  std::vector<IndexUnits> index_units;  // one entry per index, in first-seen order
  // `factor` 2 for a transaction's writes (facts §12: transactions cost double).
  void add_write(const WriteOutcome& outcome, double factor = 1);
  double total() const;
};

// Which units a ConsumedCapacity reports: only transactions add ReadCapacityUnits or
// WriteCapacityUnits beside CapacityUnits (facts §12 [P, AWS-checked]).
enum class CapacityUnitsKind : uint8_t { kPlain, kTransactionRead, kTransactionWrite };

// ConsumedCapacity: {TableName, CapacityUnits} with TOTAL; INDEXES adds Table and the
// GlobalSecondaryIndexes / LocalSecondaryIndexes maps of the indexes written.
aws::Value consumed_capacity(const TableCapacity& capacity, CapacityDetail detail,
                             CapacityUnitsKind kind = CapacityUnitsKind::kPlain);

// The ConsumedCapacity list of a multi-table operation (transactions): one entry per table,
// in first-seen order.
struct CapacityByTable {
  std::vector<TableCapacity> tables;
  TableCapacity& of(const Table& table);
  aws::Value to_wire(CapacityDetail detail, CapacityUnitsKind kind) const;
};

// ReturnItemCollectionMetrics SIZE on a table with a local index: {ItemCollectionKey,
// SizeEstimateRangeGB} of the collection the write left (WriteOutcome::collection_bytes).
bool wants_item_collection_metrics(const aws::Value& input, const Table& table);
aws::Value item_collection_metrics(const Table& table, const Item& key,
                                   const WriteOutcome& outcome);

// What a single-item write (PutItem, UpdateItem, DeleteItem) adds to its answer after
// Attributes: ConsumedCapacity when asked for, ItemCollectionMetrics when asked for on a table
// with a local index.
void add_write_reports(aws::Value& out, const aws::Value& input, const Table& table,
                       const Item& key, const WriteOutcome& outcome);

}  // namespace trib::dynamodb::items
