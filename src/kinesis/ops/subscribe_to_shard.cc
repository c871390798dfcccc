// SubscribeToShard: pushes a shard's records to an ACTIVE enhanced fan-out consumer over an
// application/vnd.amazon.eventstream response (HTTP/2 or HTTP/1.1 chunked): an
// `initial-response` event, then SubscribeToShardEvent events (Records,
// ContinuationSequenceNumber, MillisBehindLatest; ChildShards, without a continuation, at the
// end of a closed shard), as records are committed, at least every 5 s, for 5 minutes (all by
// the server's clock). Event documents use the request's dialect (JSON or CBOR).
// StartingPosition: every ShardIteratorType, resolved as GetShardIterator resolves it; in
// addition AFTER_SEQUENCE_NUMBER accepts the ContinuationSequenceNumber Tributary sends before
// the first record of an empty shard. A consumer that is not ACTIVE is ResourceInUseException
// (AWS's text); a second subscription of the same consumer to the same shard within 5 s of the
// last one is ResourceInUseException (AWS's text), a later one takes over (the earlier one gets
// a ResourceInUseException event and ends). See kinesis/consumers/subscriptions.h.
// Differences from AWS: a SequenceNumber or Timestamp given with a type that does not use it is
// ignored (AWS's answer there is not known to us).
#include "kinesis/consumers/errors.h"
#include "kinesis/consumers/ref.h"
#include "kinesis/consumers/subscriptions.h"
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/records.h"

namespace trib::kinesis::ops {

Output subscribe_to_shard(KinesisContext& ctx, const aws::RequestContext& request,
                          const Input& input) {
  // Never reached: the pipeline sends event-stream operations to subscribe_to_shard_stream.
  return aws::fail(aws::errors::internal_failure());
}

aws::AwsResult<std::shared_ptr<aws::StreamingBody>> subscribe_to_shard_stream(
    KinesisContext& ctx, const aws::RequestContext& request, const Input& input,
    std::string_view content_type) {
  auto found = find_consumer_by_arn(ctx, request, *input.string_member("ConsumerARN"));
  if (!found) return aws::fail(std::move(found.error()));
  const Stream& stream = *found->stream;
  const Consumer& consumer = *found->consumer;
  if (consumer.status(request.now_ms) != ConsumerStatus::kActive) {
    return aws::fail(consumer_errors::not_active_for_subscribe(consumer));
  }
  if (!stream.accepts_records(request.now_ms)) {
    return aws::fail(errors::stream_not_found(stream.key.name, stream.key.account));
  }
  const std::string& shard_id = *input.string_member("ShardId");
  const auto shard_index = parse_shard_id_leniently(shard_id);
  const Shard* shard = shard_index ? stream.find_live_shard(*shard_index, request.now_ms) : nullptr;
  if (!shard) {
    return aws::fail(errors::shard_not_found(shard_id, stream.key.name, stream.key.account));
  }

  const aws::Value& starting = *input.find("StartingPosition");
  StartingPosition start;
  start.type = *starting.string_member("Type");
  start.sequence_number = starting.string_member("SequenceNumber");
  start.timestamp_ms = starting.timestamp_member("Timestamp");
  auto resolved =
      resolve_starting_position(ctx, request, stream, *shard, start, "SubscribeToShard");
  if (!resolved) return aws::fail(std::move(resolved.error()));
  const uint64_t position = *resolved;

  SubscriptionHub::Target target;
  target.stream = found->stream;
  target.consumer = found->consumer;
  target.shard_index = shard->index;
  target.position = position;
  target.content_type = std::string(content_type);
  return ctx.subscriptions.subscribe(request, std::move(target));
}

}  // namespace trib::kinesis::ops
