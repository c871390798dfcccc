// UntagResource: for a stream ARN, RemoveTagsFromStream with the same rules and texts; for a
// consumer ARN, the consumer's own tags with the same rules (texts naming the consumer are ours).
#include "kinesis/operations.h"
#include "kinesis/resource_target.h"

namespace trib::kinesis::ops {

Output untag_resource(KinesisContext& ctx, const aws::RequestContext& request, const Input& input) {
  auto target = resolve_resource(ctx, request, *input.string_member("ResourceARN"));
  if (!target) return aws::fail(std::move(target.error()));
  if (target->consumer) {
    auto untagged = remove_consumer_tags(ctx, request, *target->consumer->consumer,
                                         input.find("TagKeys")->as_list());
    if (!untagged) return aws::fail(std::move(untagged.error()));
    return aws::Value::map();
  }
  aws::Value forwarded = aws::Value::map();
  forwarded.set("StreamARN", stream_arn(target->stream));
  forwarded.set("TagKeys", *input.find("TagKeys"));
  return remove_tags_from_stream(ctx, request, forwarded);
}

}  // namespace trib::kinesis::ops
