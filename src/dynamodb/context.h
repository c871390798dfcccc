// What every DynamoDB operation can reach: the table catalog, the storage engine, the service
// options, the token sealer. Operations are plain functions of (context, request, input).
#pragma once

#include <cstdint>

#include "aws/error.h"
#include "aws/service.h"
#include "aws/validate.h"
#include "aws/value.h"
#include "dynamodb/tables/table_catalog.h"
#include "storage/engine.h"
#include "util/sealed_token.h"

namespace trib::dynamodb {

namespace items {
class ChangeCapture;
}
namespace destination {
class KinesisSink;
}

struct DynamoDbOptions {
  int64_t create_table_ms = 500;  // a new table stays CREATING
  int64_t delete_table_ms = 500;  // a deleted table stays DELETING
  int64_t update_table_ms = 500;  // UPDATING after UpdateTable
  int64_t create_index_ms = 500;  // a new global index stays CREATING (Backfilling)
  // A Kinesis streaming destination stays ENABLING, DISABLING or UPDATING this long.
  int64_t kinesis_destination_ms = 500;
  int64_t table_limit = 2500;  // tables per account and region (AWS's 2023 default quota)
  // Bytes an item collection of a table with a local index may hold (facts §13: 10 GB); a
  // test flag, so tests can reach the limit with little data.
  uint64_t item_collection_limit_bytes = 10ULL << 30;
  // Time to Live: how long ENABLING / DISABLING last; the window after a change in which
  // UpdateTimeToLive is refused (AWS: "up to one hour"); how often the TTL job starts a pass
  // over each table; how many items it examines per lifecycle tick (all tables together).
  int64_t update_ttl_ms = 0;
  int64_t ttl_change_window_ms = 3600000;
  int64_t ttl_sweep_interval_ms = 1000;
  int64_t ttl_items_per_tick = 1000;
  int64_t contributor_insights_ms = 1000;  // ENABLING / DISABLING of contributor insights
  // Which wording of validation messages to use (facts/dynamodb.md §20).
  aws::ValidationStyle::Wording validation_wording = aws::ValidationStyle::Wording::kCurrent;
  bool sync_writes = false;  // fsync every acknowledged write (durable mode)
};

struct DynamoDbContext {
  TableCatalog& tables;
  storage::Engine& engine;
  const DynamoDbOptions& options;
  const TokenSealer& sealer;
  const aws::ValidationStyle& validation_style;
  // The change-capture hook of the item write path (items/change_capture.h): null without
  // consumers, else the service's ChangeCaptureList.
  items::ChangeCapture* change_capture = nullptr;
  // Kinesis, for the streaming destination (null when not wired: no stream exists).
  destination::KinesisSink* kinesis = nullptr;
};

using Input = aws::Value;
using Output = aws::AwsResult<aws::Value>;
using OperationHandler = Output (*)(DynamoDbContext&, const aws::RequestContext&, const Input&);

}  // namespace trib::dynamodb
