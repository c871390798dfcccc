// DescribeStreamSummary: the stream without its shard list. OpenShardCount is 0 while the
// stream is CREATING or DELETING, matching DescribeStream's empty shard list. WarmThroughput
// appears once a target was set (ON_DEMAND streams), MaxRecordSizeInKiB once it differs from
// the default 1024 (whether AWS always shows it was not captured).
#include "kinesis/consumers/registry.h"
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/output.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output describe_stream_summary(KinesisContext& ctx, const aws::RequestContext& request,
                               const Input& input) {
  auto found = find_stream(ctx.catalog, request, input);
  if (!found) return aws::fail(std::move(found.error()));
  const auto& stream = found.value();

  const StreamStatus status = stream->status(request.now_ms);
  const bool has_shards = status == StreamStatus::kActive || status == StreamStatus::kUpdating;
  aws::Value summary = aws::Value::map();
  summary.set("StreamName", stream->key.name);
  summary.set("StreamARN", stream->arn());
  summary.set("StreamStatus", status_name(status));
  summary.set("StreamModeDetails", stream_mode_details(*stream));
  summary.set("RetentionPeriodHours", static_cast<int64_t>(stream->retention_hours));
  summary.set("StreamCreationTimestamp", aws::Timestamp{stream->created_ms});
  summary.set("EnhancedMonitoring", enhanced_monitoring(*stream));
  summary.set("EncryptionType", stream->encryption_type);
  if (!stream->key_id.empty()) summary.set("KeyId", stream->key_id);
  summary.set("OpenShardCount", has_shards ? stream->open_shard_count() : int64_t{0});
  summary.set("ConsumerCount",
              static_cast<int64_t>(ctx.consumers.count(stream->id, request.now_ms)));
  if (stream->warm_throughput_mibps) {
    summary.set("WarmThroughput", warm_throughput(*stream, request.now_ms));
  }
  if (stream->max_record_size_kib != 1024) {
    summary.set("MaxRecordSizeInKiB", stream->max_record_size_kib);
  }
  aws::Value out = aws::Value::map();
  out.set("StreamDescriptionSummary", std::move(summary));
  return out;
}

}  // namespace trib::kinesis::ops
