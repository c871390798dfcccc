// DeregisterStreamConsumer: by ConsumerARN, or by StreamARN + ConsumerName (all three when they
// agree). The consumer is DELETING for --deregister-consumer-ms, then gone; its open
// SubscribeToShard subscriptions end with a ResourceNotFoundException event. A consumer that is
// still CREATING can be deregistered; one already DELETING keeps its schedule (the call
// succeeds, as a repeated DeleteStream does).
#include "kinesis/consumers/ref.h"
#include "kinesis/consumers/subscriptions.h"
#include "kinesis/operations.h"

namespace trib::kinesis::ops {

Output deregister_stream_consumer(KinesisContext& ctx, const aws::RequestContext& request,
                                  const Input& input) {
  auto found = find_named_consumer(ctx, request, input);
  if (!found) return aws::fail(std::move(found.error()));
  const Consumer& consumer = *found->consumer;
  auto updated = ctx.consumers.update(
      consumer.stream_id, consumer.name, request.now_ms, [&](Consumer& c) -> aws::AwsResult<Ok> {
        if (!c.deleting_since_ms) {
          c.deleting_since_ms = request.now_ms;
          c.gone_at_ms = request.now_ms + ctx.options.deregister_consumer_ms;
        }
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  // Its open subscriptions end now (with their exception event), not at the next keep-alive.
  ctx.subscriptions.recheck_stream(consumer.stream_id);
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
