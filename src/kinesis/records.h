// Pieces shared by the record operations (PutRecord, PutRecords, GetShardIterator,
// GetRecords): finding a stream that takes records, routing a record to its shard, and the
// record's wire form.
#pragma once

#include <span>

#include "aws/error.h"
#include "aws/service.h"
#include "kinesis/context.h"
#include "kinesis/stream_catalog.h"
#include "streams/record_log.h"
#include "streams/starting_position.h"

namespace trib::kinesis {

// The stream the request names, if it is ACTIVE or UPDATING; otherwise AWS's
// ResourceNotFoundException (a CREATING or DELETING stream takes no records).
aws::AwsResult<StreamCatalog::StreamPtr> find_stream_for_records(const StreamCatalog& catalog,
                                                                 const aws::RequestContext& request,
                                                                 const aws::Value& input);

// The open shard a record goes to: ExplicitHashKey when given (validated against 2^128 - 1),
// else the MD5 of the partition key.
aws::AwsResult<const Shard*> route_record(const Stream& stream, const std::string& partition_key,
                                          const std::string* explicit_hash_key);

// One record of a PutRecord / PutRecords call, to be routed to its shard.
struct RecordToAppend {
  const std::string* partition_key = nullptr;
  const std::string* explicit_hash_key = nullptr;  // nullptr: hash the partition key
  std::string_view data;
};

// Where the records of one call went: the stream as it was routed against (a reshard may have
// replaced the one the caller found), each record's shard, and its position and arrival time.
struct AppendOutcome {
  StreamCatalog::StreamPtr stream;
  std::vector<const Shard*> shards;
  std::vector<streams::Appended> appended;
};

// Routes every record to its open shard and appends them all in one atomic batch. The shards
// created together (same creation time: the shards of one CreateStream, the children of one
// split, merge or UpdateShardCount) take positions, hence the index in their sequence numbers,
// from one shared counter, as AWS's numbers show (issue 9, point 7). When a
// reshard closes a target shard between routing and appending, nothing is written and the
// records are routed again against the stream's new shards: no record ever lands in a closed
// shard.
aws::AwsResult<AppendOutcome> route_and_append(KinesisContext& ctx,
                                               const aws::RequestContext& request,
                                               StreamCatalog::StreamPtr stream,
                                               std::span<const RecordToAppend> records);

// The same for a producer inside the server (the DynamoDB Kinesis streaming destination): the
// records go where PutRecords would put them (MD5 of the partition key, the open shards of the
// stream as it is when they are appended, following any reshard), and `with` (the producer's
// own mutations, e.g. removing the outbox entries these records came from) commits in the same
// atomic batch as the records: after a crash, both or neither are there.
// ResourceNotFoundException when the stream incarnation is gone (nothing written).
aws::AwsResult<AppendOutcome> route_and_append(StreamCatalog& catalog, streams::RecordLog& log,
                                               bool sync, int64_t now_ms,
                                               StreamCatalog::StreamPtr stream,
                                               std::span<const RecordToAppend> records,
                                               const storage::WriteBatch* with);

// For a producer that commits the records in its own batch (the DynamoDB Kinesis streaming
// destination's direct path): routes `records` against `stream` as it is now and stages them in
// `batch` (streams::RecordLog::stage; `staged` holds the target shards until the caller
// publishes or abandons). Status::aborted, nothing staged, when a target shard was closed by a
// reshard, is busy with another append (it never waits for one), or a record cannot be routed:
// the caller takes its other path.
storage::Status route_and_stage(streams::RecordLog& log, int64_t now_ms, const Stream& stream,
                                std::span<const RecordToAppend> records, storage::WriteBatch& batch,
                                streams::RecordLog::Staged* staged);

// The record-log position a reader starts from, for GetShardIterator's ShardIteratorType and
// SubscribeToShard's StartingPosition (streams/starting_position.h resolves it; this checks and
// reads Kinesis's sequence numbers and timestamps, in AWS's texts): TRIM_HORIZON, LATEST (now),
// AT_/AFTER_SEQUENCE_NUMBER (the number must belong to this shard and stream incarnation; a closed
// shard's EndingSequenceNumber means its end), AT_TIMESTAMP (first record at or after it; a time
// after the server's clock is refused as AWS refuses it). `operation` names the call in AWS's
// texts.
struct StartingPosition {
  std::string_view type;
  const std::string* sequence_number = nullptr;
  std::optional<int64_t> timestamp_ms;
};
aws::AwsResult<uint64_t> resolve_starting_position(KinesisContext& ctx,
                                                   const aws::RequestContext& request,
                                                   const Stream& stream, const Shard& shard,
                                                   const StartingPosition& start,
                                                   std::string_view operation);

// A closed shard's children as GetRecords and SubscribeToShard return them at its end:
// [{ShardId, ParentShards, HashKeyRange}].
aws::Value child_shards_value(const Stream& stream, const Shard& shard);

// Whether Data of `size` bytes fits the stream's record size limit, and the validation failure
// (aws::validation_failure) when `data` does not, at `member_path` ("Data", or
// "Records.3.member.Data" in PutRecords).
bool data_fits(const Stream& stream, size_t size);
std::string oversized_data_failure(const KinesisContext& ctx, const Stream& stream,
                                   std::string_view member_path, const aws::Value& data);

// A stored record as GetRecords returns it.
aws::Value record_value(const Stream& stream, const Shard& shard, streams::StoredRecord&& record);

}  // namespace trib::kinesis
