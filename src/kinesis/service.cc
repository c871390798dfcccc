#include "kinesis/service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "kinesis/operations.h"
#include "util/base64.h"

namespace trib::kinesis {

namespace {

const aws::ValidationStyle& kinesis_validation_style() {
  // What captures of real responses showed; everything else follows model order.
  static const aws::ValidationStyle style = {
      .member_order =
          {
              {"CreateStreamInput", {"ShardCount", "StreamName"}},
              {"DescribeStreamInput", {"Limit", "ExclusiveStartShardId", "StreamName"}},
              {"ListStreamsInput", {"Limit", "ExclusiveStartStreamName"}},
              {"ListShardsInput",
               {"MaxResults", "ExclusiveStartShardId", "StreamName", "NextToken"}},
              {"PutRecordInput",
               {"SequenceNumberForOrdering", "PartitionKey", "ExplicitHashKey", "Data",
                "StreamName"}},
              {"PutRecordsRequestEntry", {"PartitionKey", "ExplicitHashKey", "Data"}},
              {"GetRecordsInput", {"Limit", "ShardIterator"}},
              {"GetShardIteratorInput",
               {"ShardId", "ShardIteratorType", "StartingSequenceNumber", "StreamName"}},
          },
      .enum_order =
          {
              {"ShardIteratorType",
               {"AFTER_SEQUENCE_NUMBER", "LATEST", "AT_TIMESTAMP", "AT_SEQUENCE_NUMBER",
                "TRIM_HORIZON"}},
          },
      .structure_class_prefix = "com.amazonaws.kinesis.v20131202.",
  };
  return style;
}

}  // namespace

KinesisService::KinesisService(storage::Engine& engine, KinesisOptions options,
                               const TokenSealer& sealer)
    : model_(model::ServiceModel::embedded("kinesis-2013-12-02")),
      options_(options),
      records_(engine),
      catalog_(engine, &records_),
      consumers_(engine),
      subscriptions_(catalog_, consumers_, records_),
      context_{catalog_,
               records_,
               consumers_,
               subscriptions_,
               options_,
               sealer,
               kinesis_validation_style()} {}

// Subscriptions end (and their delivery threads stop) before the record log goes away.
KinesisService::~KinesisService() { subscriptions_.stop(); }

void KinesisService::stop() { subscriptions_.stop(); }

void KinesisService::finish_response(aws::HttpResponse& response) const {
  response.set_header("x-amz-id-2", base64::encode(aws::random_bytes(72)));
}

void KinesisService::run_lifecycle(int64_t now_ms) {
  // A reshard applies on the first access after its UPDATING period, or here (so subscribers
  // to a parent learn it has ended without any other request).
  catalog_.settle_due(now_ms);
  const auto purged = catalog_.purge_gone(now_ms);
  for (uint64_t stream_id : purged) records_.forget_stream(stream_id);
  // Retention is enforced on every read; deleting expired records is housekeeping, once a second.
  // So is deleting consumers whose deregistration finished or whose stream is gone (both are
  // invisible from the moment they end, whatever this job does).
  const bool trim_due = housekeeping_.start_if_due(now_ms);
  if (!purged.empty() || trim_due) {
    consumers_.purge(now_ms, [&](const Consumer& consumer) {
      auto stream = catalog_.find(consumer.stream, now_ms);
      return stream && stream->id == consumer.stream_id;
    });
  }
  if (!trim_due) return;
  for (const auto& stream : catalog_.list_all(now_ms)) {
    const int64_t cutoff = stream->retention_cutoff_ms(now_ms);
    const auto expired = streams::retention_pass(
        stream->shards, stream->retention_rule(), cutoff,
        [&](const Shard& shard) {
          records_.drop_shard({stream->id, shard.index});
        },
        [&](const Shard& shard) {
          records_.trim({stream->id, shard.index}, cutoff);
        });
    if (!expired.empty()) prune_expired_shards(*stream, expired, now_ms);
  }
}

void KinesisService::prune_expired_shards(const Stream& stream,
                                          const std::vector<uint32_t>& expired, int64_t now_ms) {
  // Their records are gone (streams::retention_pass); now their place in the metadata.
  auto pruned = catalog_.update(stream.key, now_ms, [&](Stream& copy) -> aws::AwsResult<Ok> {
    if (copy.id != stream.id) return aws::fail(aws::errors::internal_failure());
    std::erase_if(copy.shards, [&](const Shard& shard) {
      return copy.shard_expired(shard, now_ms) &&
             std::find(expired.begin(), expired.end(), shard.index) != expired.end();
    });
    return Ok{};
  });
  if (!pruned) spdlog::warn("could not prune expired shards of stream {}", stream.key.name);
}

storage::Status KinesisService::load() {
  if (auto status = catalog_.load(); !status.is_ok()) return status;
  return consumers_.load();
}

bool KinesisService::implements(std::string_view operation) const {
  return operation_table().count(operation) > 0;
}

aws::AwsResult<aws::Value> KinesisService::invoke(const model::Operation& operation,
                                                  const aws::RequestContext& request,
                                                  const aws::Value& input) {
  auto it = operation_table().find(operation.name);
  if (it == operation_table().end()) return aws::fail(aws::errors::unknown_operation());
  return it->second(context_, request, input);
}

aws::AwsResult<std::shared_ptr<aws::StreamingBody>> KinesisService::invoke_streaming(
    const model::Operation& operation, const aws::RequestContext& request, const aws::Value& input,
    std::string_view content_type) {
  if (operation.name != "SubscribeToShard" || !implements(operation.name)) {
    return aws::fail(aws::errors::unknown_operation());
  }
  return ops::subscribe_to_shard_stream(context_, request, input, content_type);
}

const aws::ValidationStyle* KinesisService::validation_style() const {
  return &kinesis_validation_style();
}

}  // namespace trib::kinesis
