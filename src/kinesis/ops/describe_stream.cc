// DescribeStream: one page of shards (Limit, default 100) after ExclusiveStartShardId.
// While the stream is CREATING or DELETING the shard list is empty, as on AWS.
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output describe_stream(KinesisContext& ctx, const aws::RequestContext& request,
                       const Input& input) {
  auto found = find_stream(ctx.catalog, request, input);
  if (!found) return aws::fail(std::move(found.error()));
  const auto& stream = found.value();

  const StreamStatus status = stream->status(request.now_ms);
  const int64_t limit = input.int_member("Limit").value_or(100);
  const std::string* start_after = input.string_member("ExclusiveStartShardId");
  const auto start_index = start_after ? parse_shard_id(*start_after) : std::nullopt;

  aws::Value shards = aws::Value::list();
  bool has_more = false;
  if (status == StreamStatus::kActive || status == StreamStatus::kUpdating) {
    int64_t listed = 0;
    for (const auto& shard : stream->shards) {
      if (stream->shard_expired(shard, request.now_ms)) continue;
      if (start_after &&
          (start_index ? shard.index <= *start_index : shard.shard_id() <= *start_after)) {
        continue;
      }
      if (listed == limit) {
        has_more = true;
        break;
      }
      shards.push(describe_shard(*stream, shard));
      ++listed;
    }
  }

  aws::Value description = aws::Value::map();
  description.set("StreamName", stream->key.name);
  description.set("StreamARN", stream->arn());
  description.set("StreamStatus", status_name(status));
  description.set("StreamModeDetails", stream_mode_details(*stream));
  description.set("Shards", std::move(shards));
  description.set("HasMoreShards", has_more);
  description.set("RetentionPeriodHours", static_cast<int64_t>(stream->retention_hours));
  description.set("StreamCreationTimestamp", aws::Timestamp{stream->created_ms});
  description.set("EnhancedMonitoring", enhanced_monitoring(*stream));
  description.set("EncryptionType", stream->encryption_type);
  if (!stream->key_id.empty()) description.set("KeyId", stream->key_id);
  aws::Value out = aws::Value::map();
  out.set("StreamDescription", std::move(description));
  return out;
}

}  // namespace trib::kinesis::ops
