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
  int64_t table_limit = 2500;     // tables per account and region (AWS's 2023 default quota)
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
  // The change-capture hook of the item write path (items/change_capture.h): the Kinesis
  // streaming destination's outbox when the server wired Kinesis in.
  items::ChangeCapture* change_capture = nullptr;
  // Kinesis, for the streaming destination (null when not wired: no stream exists).
  destination::KinesisSink* kinesis = nullptr;
};

using Input = aws::Value;
using Output = aws::AwsResult<aws::Value>;
using OperationHandler = Output (*)(DynamoDbContext&, const aws::RequestContext&, const Input&);

}  // namespace trib::dynamodb
