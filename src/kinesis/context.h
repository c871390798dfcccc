// What every Kinesis operation can reach: the stream catalog, the service options, the token
// sealer. Operations are plain functions of (context, request, input) -> output | error.
#pragma once

#include <cstdint>

#include "aws/error.h"
#include "aws/service.h"
#include "aws/value.h"
#include "kinesis/stream_catalog.h"
#include "streams/record_log.h"
#include "util/sealed_token.h"

namespace trib::kinesis {

struct KinesisOptions {
  int64_t create_stream_ms = 500;
  int64_t delete_stream_ms = 500;
  int64_t update_stream_ms = 500;
  int64_t shard_limit = 500;            // open shards per account and region
  uint32_t on_demand_shard_count = 4;   // shards of a new ON_DEMAND stream
  int64_t on_demand_stream_limit = 50;  // ON_DEMAND streams per account and region
  bool sync_writes = false;             // fsync every acknowledged write (durable mode)
};

struct KinesisContext {
  StreamCatalog& catalog;
  streams::RecordLog& records;
  const KinesisOptions& options;
  const TokenSealer& sealer;
};

using Input = aws::Value;
using Output = aws::AwsResult<aws::Value>;
using OperationHandler = Output (*)(KinesisContext&, const aws::RequestContext&, const Input&);

}  // namespace trib::kinesis
