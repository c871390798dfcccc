// DeleteResourcePolicy: removes the policy of the stream or consumer a ResourceARN names. A
// consumer must be ACTIVE (as for PutResourcePolicy).
// Differences from AWS: deleting when there is no policy succeeds (AWS's answer there was not
// captured).
#include "kinesis/consumers/errors.h"
#include "kinesis/operations.h"
#include "kinesis/resource_target.h"

namespace trib::kinesis::ops {

Output delete_resource_policy(KinesisContext& ctx, const aws::RequestContext& request,
                              const Input& input) {
  auto target = resolve_resource(ctx, request, *input.string_member("ResourceARN"));
  if (!target) return aws::fail(std::move(target.error()));
  if (target->consumer) {
    const Consumer& consumer = *target->consumer->consumer;
    auto updated = ctx.consumers.update(consumer.stream_id, consumer.name, request.now_ms,
                                        [&](Consumer& c) -> aws::AwsResult<Ok> {
                                          if (c.status(request.now_ms) != ConsumerStatus::kActive) {
                                            return aws::fail(consumer_errors::not_active(c));
                                          }
                                          c.resource_policy.reset();
                                          return Ok{};
                                        });
    if (!updated) return aws::fail(std::move(updated.error()));
    return aws::Value::map();
  }
  auto updated =
      ctx.catalog.update(target->stream, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
        stream.resource_policy.reset();
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
