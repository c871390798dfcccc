// ListTagsForStream: the stream's tags in key order, after ExclusiveStartTagKey, at most Limit
// (default 50, which is every tag a stream can have) with HasMoreTags.
// The rest of the tagging operations arrive with the control-plane issue.
#include <algorithm>

#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output list_tags_for_stream(KinesisContext& ctx, const aws::RequestContext& request,
                            const Input& input) {
  auto found = find_stream(ctx.catalog, request, input);
  if (!found) return aws::fail(std::move(found.error()));
  const auto& stream = found.value();

  auto tags = stream->tags;
  std::sort(tags.begin(), tags.end());
  const int64_t limit = input.int_member("Limit").value_or(50);
  const std::string* start_after = input.string_member("ExclusiveStartTagKey");
  aws::Value list = aws::Value::list();
  bool has_more = false;
  int64_t listed = 0;
  for (const auto& [tag_key, tag_value] : tags) {
    if (start_after && tag_key <= *start_after) continue;
    if (listed == limit) {
      has_more = true;
      break;
    }
    aws::Value tag = aws::Value::map();
    tag.set("Key", tag_key);
    tag.set("Value", tag_value);
    list.push(std::move(tag));
    ++listed;
  }
  aws::Value out = aws::Value::map();
  out.set("Tags", std::move(list));
  out.set("HasMoreTags", has_more);
  return out;
}

}  // namespace trib::kinesis::ops
