// PutResourcePolicy: stores a resource-based policy on the stream or consumer a ResourceARN
// names, replacing any earlier one. The document must be a JSON object; it is kept as given and
// never enforced (Tributary does not authorize requests). A consumer must be ACTIVE (AWS's
// ResourceInUseException text, captured from a CREATING consumer).
// Differences from AWS: AWS also checks the policy's grammar (principals, actions, resources);
// Tributary checks only that it is a JSON object, with a text of its own.
#include "aws/stored_document.h"
#include "kinesis/consumers/errors.h"
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/resource_target.h"

namespace trib::kinesis::ops {

namespace {
bool is_json_object(const std::string& policy) {
  return aws::parse_json_object(policy).has_value();
}
}  // namespace

Output put_resource_policy(KinesisContext& ctx, const aws::RequestContext& request,
                           const Input& input) {
  auto target = resolve_resource(ctx, request, *input.string_member("ResourceARN"));
  if (!target) return aws::fail(std::move(target.error()));
  const std::string& policy = *input.string_member("Policy");
  if (target->consumer) {
    const Consumer& consumer = *target->consumer->consumer;
    auto updated = ctx.consumers.update(consumer.stream_id, consumer.name, request.now_ms,
                                        [&](Consumer& c) -> aws::AwsResult<Ok> {
                                          if (c.status(request.now_ms) != ConsumerStatus::kActive) {
                                            return aws::fail(consumer_errors::not_active(c));
                                          }
                                          if (!is_json_object(policy))
                                            return aws::fail(errors::malformed_policy());
                                          c.resource_policy = policy;
                                          return Ok{};
                                        });
    if (!updated) return aws::fail(std::move(updated.error()));
    return aws::Value::map();
  }
  auto updated =
      ctx.catalog.update(target->stream, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
        if (!is_json_object(policy)) return aws::fail(errors::malformed_policy());
        stream.resource_policy = policy;
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
