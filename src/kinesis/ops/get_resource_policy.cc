// GetResourcePolicy: the policy stored on the stream a ResourceARN names, or "{}" when there is
// none. Consumer ARNs are answered ResourceNotFoundException until consumers are served.
#include "kinesis/errors.h"
#include "kinesis/operations.h"

namespace trib::kinesis::ops {

Output get_resource_policy(KinesisContext& ctx, const aws::RequestContext& request,
                           const Input& input) {
  auto key = resolve_resource_stream(ctx.catalog, request, *input.string_member("ResourceARN"));
  if (!key) return aws::fail(std::move(key.error()));
  auto stream = ctx.catalog.find(*key, request.now_ms);
  if (!stream) return aws::fail(errors::stream_not_found(key->name, key->account));
  aws::Value out = aws::Value::map();
  out.set("Policy", stream->resource_policy.value_or("{}"));
  return out;
}

}  // namespace trib::kinesis::ops
