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
        bool invalid = false;
        bool percent = false;
        for (const auto& tag_key : tag_keys) {
          const TagTextProblem problem =
              tag_text_problem(tag_key.is_string() ? tag_key.as_string() : "");
          invalid = invalid || problem == TagTextProblem::kInvalidCharacter;
          percent = percent || problem == TagTextProblem::kPercent;
        }
        if (invalid || percent) {
          return aws::fail(errors::tag_problem(
              invalid ? TagTextProblem::kInvalidCharacter : TagTextProblem::kPercent,
              "remove tags from", key->name, key->account));
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
