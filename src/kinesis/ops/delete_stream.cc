// DeleteStream: the stream is DELETING for --delete-stream-ms, then gone (its records are
// purged in the background). Deleting a CREATING stream is allowed, as on AWS; deleting a
// stream that is already DELETING succeeds without changing its schedule.
// A stream with registered consumers (any that are not gone, DELETING ones included) is refused
// with AWS's ResourceInUseException unless EnforceConsumerDeletion is true; then its consumers
// are deregistered with it (DELETING for --deregister-consumer-ms, and gone at the latest with
// the stream), and their subscriptions end.
#include "kinesis/consumers/errors.h"
#include "kinesis/consumers/registry.h"
#include "kinesis/consumers/subscriptions.h"
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output delete_stream(KinesisContext& ctx, const aws::RequestContext& request, const Input& input) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  const bool enforce = input.bool_member("EnforceConsumerDeletion").value_or(false);
  // No consumer can be registered between the check and the state change.
  std::optional<uint64_t> stream_id;
  auto deleted = ctx.consumers.while_frozen([&]() -> aws::AwsResult<Ok> {
    int64_t gone_at_ms = 0;
    auto updated =
        ctx.catalog.update(*key, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
          if (!stream.deleting_since_ms) {
            if (!enforce && ctx.consumers.count(stream.id, request.now_ms) > 0) {
              return aws::fail(consumer_errors::stream_has_consumers(stream.key));
            }
            stream.deleting_since_ms = request.now_ms;
            stream.gone_at_ms = request.now_ms + ctx.options.delete_stream_ms;
          }
          stream_id = stream.id;
          gone_at_ms = stream.gone_at_ms;
          return Ok{};
        });
    if (!updated) return aws::fail(std::move(updated.error()));
    if (enforce && stream_id) {
      const int64_t consumers_gone_at =
          std::min(gone_at_ms, request.now_ms + ctx.options.deregister_consumer_ms);
      if (!ctx.consumers.deregister_all_locked(*stream_id, request.now_ms, consumers_gone_at)
               .is_ok()) {
        return aws::fail(aws::errors::internal_failure());
      }
    }
    return Ok{};
  });
  if (!deleted) return aws::fail(std::move(deleted.error()));
  // Open subscriptions to the stream end now rather than at their next keep-alive.
  if (stream_id) ctx.subscriptions.recheck_stream(*stream_id);
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
