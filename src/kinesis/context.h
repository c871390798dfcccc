// What every Kinesis operation can reach: the stream catalog, the record log, the registered
// enhanced fan-out consumers and their open subscriptions, the service options, the token
// sealer. Operations are plain functions of (context, request, input) -> output | error.
#pragma once

#include <cstdint>

#include "aws/error.h"
#include "aws/service.h"
#include "aws/validate.h"
#include "aws/value.h"
#include "kinesis/stream_catalog.h"
#include "streams/record_log.h"
#include "util/sealed_token.h"

namespace trib::kinesis {

class ConsumerRegistry;  // kinesis/consumers/registry.h
class SubscriptionHub;   // kinesis/consumers/subscriptions.h

struct KinesisOptions {
  int64_t create_stream_ms = 500;
  int64_t delete_stream_ms = 500;
  int64_t update_stream_ms = 500;            // UPDATING after a change or a reshard
  int64_t encryption_ms = 500;               // UPDATING after Start/StopStreamEncryption
  int64_t register_consumer_ms = 500;        // a new consumer stays CREATING
  int64_t deregister_consumer_ms = 500;      // a deregistered consumer stays DELETING
  int64_t consumer_limit = 20;               // registered consumers per stream
  int64_t max_shards_per_stream = 10'000;    // UpdateShardCount's per-stream cap
  int64_t shard_count_updates_per_day = 10;  // UpdateShardCount calls per stream per 24 h
  int64_t shard_limit = 500;                 // open shards per account and region
  uint32_t on_demand_shard_count = 4;        // shards of a new ON_DEMAND stream
  int64_t on_demand_stream_limit = 50;       // ON_DEMAND streams per account and region
  bool sync_writes = false;                  // fsync every acknowledged write (durable mode)
};

struct KinesisContext {
  StreamCatalog& catalog;
  streams::RecordLog& records;
  ConsumerRegistry& consumers;
  SubscriptionHub& subscriptions;
  const KinesisOptions& options;
  const TokenSealer& sealer;
  // How the Kinesis front end words validation failures (the legacy form): for the checks
  // operations make themselves, through aws::validation_failure / validation_message.
  const aws::ValidationStyle& validation_style;
};

using Input = aws::Value;
using Output = aws::AwsResult<aws::Value>;
using OperationHandler = Output (*)(KinesisContext&, const aws::RequestContext&, const Input&);

}  // namespace trib::kinesis
