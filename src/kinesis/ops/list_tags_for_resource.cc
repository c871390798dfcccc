// ListTagsForResource: every tag of the stream a ResourceARN names, in key order (no paging: a
// stream has at most 50 tags). Consumer ARNs are answered ResourceNotFoundException until
// consumers are served.
#include "kinesis/operations.h"

namespace trib::kinesis::ops {

Output list_tags_for_resource(KinesisContext& ctx, const aws::RequestContext& request,
                              const Input& input) {
  auto key = resolve_resource_stream(ctx.catalog, request, *input.string_member("ResourceARN"));
  if (!key) return aws::fail(std::move(key.error()));
  aws::Value forwarded = aws::Value::map();
  forwarded.set("StreamARN", stream_arn(*key));
  auto listed = list_tags_for_stream(ctx, request, forwarded);
  if (!listed) return aws::fail(std::move(listed.error()));
  aws::Value out = aws::Value::map();
  out.set("Tags", *listed->find("Tags"));
  return out;
}

}  // namespace trib::kinesis::ops
