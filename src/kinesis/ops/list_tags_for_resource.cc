// ListTagsForResource: every tag of the stream or consumer a ResourceARN names, in key order
// (no paging: a stream or consumer has at most 50 tags).
#include "kinesis/operations.h"
#include "kinesis/resource_target.h"

namespace trib::kinesis::ops {

Output list_tags_for_resource(KinesisContext& ctx, const aws::RequestContext& request,
                              const Input& input) {
  auto target = resolve_resource(ctx, request, *input.string_member("ResourceARN"));
  if (!target) return aws::fail(std::move(target.error()));
  aws::Value out = aws::Value::map();
  if (target->consumer) {
    out.set("Tags", consumer_tags_value(*target->consumer->consumer));
    return out;
  }
  aws::Value forwarded = aws::Value::map();
  forwarded.set("StreamARN", stream_arn(target->stream));
  auto listed = list_tags_for_stream(ctx, request, forwarded);
  if (!listed) return aws::fail(std::move(listed.error()));
  out.set("Tags", *listed->find("Tags"));
  return out;
}

}  // namespace trib::kinesis::ops
