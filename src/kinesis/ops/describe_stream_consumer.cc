// DescribeStreamConsumer: by ConsumerARN, or by StreamARN + ConsumerName (all three when they
// agree): ConsumerName, ConsumerARN, ConsumerStatus, ConsumerCreationTimestamp, StreamARN.
// A DELETING consumer is described until its deregistration finishes.
#include "kinesis/consumers/ref.h"
#include "kinesis/operations.h"

namespace trib::kinesis::ops {

Output describe_stream_consumer(KinesisContext& ctx, const aws::RequestContext& request,
                                const Input& input) {
  auto found = find_named_consumer(ctx, request, input);
  if (!found) return aws::fail(std::move(found.error()));
  aws::Value out = aws::Value::map();
  out.set("ConsumerDescription", consumer_value(*found->consumer, request.now_ms, true));
  return out;
}

}  // namespace trib::kinesis::ops
