// TableDescription, as CreateTable, DescribeTable, UpdateTable and DeleteTable answer it.
#pragma once

#include <cstdint>
#include <map>
#include <utility>

#include "aws/value.h"
#include "dynamodb/tables/table.h"

namespace trib::dynamodb {

// Live counts of a table or index (ItemCount, TableSizeBytes / IndexSizeBytes).
struct TableCounts {
  int64_t item_count = 0;
  int64_t size_bytes = 0;
  // By SecondaryIndex::id; an index not listed has no items.
  std::map<uint32_t, std::pair<int64_t, int64_t>> indexes;  // id -> (items, bytes)
};

// `status` overrides the computed TableStatus: CreateTable always answers CREATING and
// DeleteTable DELETING, as AWS does, whatever the configured delays.
aws::Value table_description(const Table& table, int64_t now_ms, const TableCounts& counts = {},
                             std::optional<TableStatus> status = std::nullopt);
// ContinuousBackupsDescription, as DescribeContinuousBackups and UpdateContinuousBackups
// answer it: continuous backups are ENABLED on every table (the model's documentation);
// point-in-time recovery as UpdateContinuousBackups left it.
aws::Value continuous_backups_description(const Table& table, int64_t now_ms);
// KeySchema [{AttributeName, KeyType}] of a table or index.
aws::Value key_schema_description(const KeySchema& schema);

}  // namespace trib::dynamodb
