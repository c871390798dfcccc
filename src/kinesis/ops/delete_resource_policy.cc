// DeleteResourcePolicy: removes the policy of the stream a ResourceARN names.
// Differences from AWS: deleting when there is no policy succeeds (AWS's answer there was not
// captured). Consumer ARNs are answered ResourceNotFoundException until consumers are served.
#include "kinesis/operations.h"

namespace trib::kinesis::ops {

Output delete_resource_policy(KinesisContext& ctx, const aws::RequestContext& request,
                              const Input& input) {
  auto key = resolve_resource_stream(ctx.catalog, request, *input.string_member("ResourceARN"));
  if (!key) return aws::fail(std::move(key.error()));
  auto updated =
      ctx.catalog.update(*key, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
        stream.resource_policy.reset();
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
