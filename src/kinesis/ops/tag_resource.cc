// TagResource: AddTagsToStream for the stream a ResourceARN names, with the same rules and
// texts. Consumer ARNs are answered ResourceNotFoundException until consumers are served.
#include "kinesis/operations.h"

namespace trib::kinesis::ops {

Output tag_resource(KinesisContext& ctx, const aws::RequestContext& request, const Input& input) {
  auto key = resolve_resource_stream(ctx.catalog, request, *input.string_member("ResourceARN"));
  if (!key) return aws::fail(std::move(key.error()));
  aws::Value forwarded = aws::Value::map();
  forwarded.set("StreamARN", stream_arn(*key));
  forwarded.set("Tags", *input.find("Tags"));
  return add_tags_to_stream(ctx, request, forwarded);
}

}  // namespace trib::kinesis::ops
