// AddTagsToStream: adds tags or overwrites the values of existing keys; a stream has at most 50.
// Keys and values follow AWS's character rules (letters, digits, spaces, _ . / = + - @; '%' is
// refused with its own text), checked after the stream is found, as AWS does. Keys starting with
// "aws:" contain ':' and are refused by the same rule.
// Differences from AWS: a CREATING or DELETING stream is refused with ResourceInUseException
// (what AWS does there was not captured).
#include <algorithm>

#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output add_tags_to_stream(KinesisContext& ctx, const aws::RequestContext& request,
                          const Input& input) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  const aws::ValueMap& tags = input.find("Tags")->as_map();
  auto updated =
      ctx.catalog.update(*key, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
        const StreamStatus status = stream.status(request.now_ms);
        if (status == StreamStatus::kCreating || status == StreamStatus::kDeleting) {
          return aws::fail(errors::stream_not_active(key->name, key->account, status_name(status)));
        }
        std::vector<std::string_view> texts;
        for (const auto& [tag_key, tag_value] : tags) {
          texts.push_back(tag_key);
          texts.push_back(tag_value.is_string() ? std::string_view(tag_value.as_string()) : "");
        }
        if (const TagTextProblem problem = worst_tag_problem(texts);
            problem != TagTextProblem::kNone) {
          return aws::fail(errors::tag_problem(problem, "add tags to", key->name, key->account));
        }
        size_t new_keys = 0;
        for (const auto& [tag_key, tag_value] : tags) {
          const bool exists = std::any_of(stream.tags.begin(), stream.tags.end(),
                                          [&](const auto& tag) { return tag.first == tag_key; });
          new_keys += exists ? 0 : 1;
        }
        if (stream.tags.size() + new_keys > kMaxTagsPerStream) {
          return aws::fail(errors::too_many_tags(key->name, key->account));
        }
        for (const auto& [tag_key, tag_value] : tags) {
          const std::string value = tag_value.is_string() ? tag_value.as_string() : "";
          auto existing = std::find_if(stream.tags.begin(), stream.tags.end(),
                                       [&](const auto& tag) { return tag.first == tag_key; });
          if (existing != stream.tags.end()) {
            existing->second = value;
          } else {
            stream.tags.emplace_back(tag_key, value);
          }
        }
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
