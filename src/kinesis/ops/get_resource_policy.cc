// GetResourcePolicy: the policy stored on the stream or consumer a ResourceARN names, or "{}"
// when there is none (a consumer's in any state).
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/resource_target.h"

namespace trib::kinesis::ops {

Output get_resource_policy(KinesisContext& ctx, const aws::RequestContext& request,
                           const Input& input) {
  auto target = resolve_resource(ctx, request, *input.string_member("ResourceARN"));
  if (!target) return aws::fail(std::move(target.error()));
  aws::Value out = aws::Value::map();
  if (target->consumer) {
    out.set("Policy", target->consumer->consumer->resource_policy.value_or("{}"));
    return out;
  }
  auto stream = ctx.catalog.find(target->stream, request.now_ms);
  if (!stream) {
    return aws::fail(errors::stream_not_found(target->stream.name, target->stream.account));
  }
  out.set("Policy", stream->resource_policy.value_or("{}"));
  return out;
}

}  // namespace trib::kinesis::ops
