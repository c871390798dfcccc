// RemoveTagsFromStream: removes the named keys; keys the stream does not have are ignored. The
// keys must pass AWS's tag character rules (captured), checked after the stream is found.
// Differences from AWS: a CREATING or DELETING stream is refused with ResourceInUseException
// (not captured).
#include <algorithm>

#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output remove_tags_from_stream(KinesisContext& ctx, const aws::RequestContext& request,
                               const Input& input) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  const aws::ValueList& tag_keys = input.find("TagKeys")->as_list();
  auto updated =
      ctx.catalog.update(*key, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
        const StreamStatus status = stream.status(request.now_ms);
        if (status == StreamStatus::kCreating || status == StreamStatus::kDeleting) {
          return aws::fail(errors::stream_not_active(key->name, key->account, status_name(status)));
        }
        std::vector<std::string_view> texts;
        for (const auto& tag_key : tag_keys) {
          texts.push_back(tag_key.is_string() ? std::string_view(tag_key.as_string()) : "");
        }
        if (const TagTextProblem problem = worst_tag_problem(texts);
            problem != TagTextProblem::kNone) {
          return aws::fail(
              errors::tag_problem(problem, "remove tags from", key->name, key->account));
        }
        for (const auto& tag_key : tag_keys) {
          if (!tag_key.is_string()) continue;
          std::erase_if(stream.tags,
                        [&](const auto& tag) { return tag.first == tag_key.as_string(); });
        }
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
