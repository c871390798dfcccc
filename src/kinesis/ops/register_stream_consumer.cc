// RegisterStreamConsumer: registers an enhanced fan-out consumer with a stream (by StreamARN).
// The consumer is CREATING for --register-consumer-ms, then ACTIVE; its ARN is
// arn:aws:kinesis:<region>:<account>:stream/<stream>/consumer/<name>:<creation epoch seconds>.
// A stream has at most --consumer-limit consumers (LimitExceededException; default 20, AWS's),
// and, as AWS documents, at most 5 of them CREATING at once (LimitExceededException). A name
// already registered, DELETING ones included, is ResourceInUseException. The stream must be
// ACTIVE or UPDATING (ResourceInUseException otherwise, with the stream's "not ACTIVE" text).
// Tags are stored with the consumer (same rules as stream tags, 50 at most).
// Differences from AWS: the texts of the duplicate-name and limit errors are ours.
#include "kinesis/consumers/errors.h"
#include "kinesis/consumers/ref.h"
#include "kinesis/consumers/registry.h"
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

namespace {
constexpr int64_t kMaxCreatingConsumers = 5;
}

Output register_stream_consumer(KinesisContext& ctx, const aws::RequestContext& request,
                                const Input& input) {
  const std::string& arn = *input.string_member("StreamARN");
  const std::string& name = *input.string_member("ConsumerName");
  auto key = parse_stream_arn(arn);
  if (!key) return aws::fail(errors::invalid_argument("StreamARN " + arn + " is invalid."));
  auto stream = ctx.catalog.find(*key, request.now_ms);
  if (!stream) return aws::fail(errors::stream_not_found(key->name, key->account));
  const StreamStatus status = stream->status(request.now_ms);
  if (status == StreamStatus::kCreating || status == StreamStatus::kDeleting) {
    return aws::fail(errors::stream_not_active(key->name, key->account, status_name(status)));
  }

  Consumer consumer;
  consumer.stream_id = stream->id;
  consumer.stream = stream->key;
  consumer.name = name;
  consumer.created_ms = request.now_ms;
  consumer.active_at_ms = request.now_ms + ctx.options.register_consumer_ms;
  if (const aws::Value* tags = input.find("Tags")) {
    std::vector<std::string_view> texts;
    for (const auto& [tag_key, tag_value] : tags->as_map()) {
      const std::string value = tag_value.is_string() ? tag_value.as_string() : std::string();
      consumer.tags.emplace_back(tag_key, value);
    }
    for (const auto& [tag_key, tag_value] : consumer.tags) {
      texts.push_back(tag_key);
      texts.push_back(tag_value);
    }
    const TagTextProblem problem = worst_tag_problem(texts);
    if (problem == TagTextProblem::kInvalidCharacter) {
      return aws::fail(errors::tag_problem(problem, "add tags to", key->name, key->account));
    }
    if (problem == TagTextProblem::kPercent) {
      return aws::fail(consumer_errors::tag_percent("add tags to", consumer));
    }
    if (consumer.tags.size() > kMaxTagsPerStream) {
      return aws::fail(consumer_errors::too_many_tags(consumer, kMaxTagsPerStream));
    }
  }

  auto admit =
      [&](const std::vector<ConsumerRegistry::ConsumerPtr>& existing) -> aws::AwsResult<Ok> {
    // Checked again under the registry's lock: DeleteStream checks for consumers and marks
    // the stream DELETING under the same lock, so no consumer joins a stream being deleted.
    auto current = ctx.catalog.find(*key, request.now_ms);
    if (!current || current->id != stream->id) {
      return aws::fail(errors::stream_not_found(key->name, key->account));
    }
    if (current->status(request.now_ms) == StreamStatus::kDeleting) {
      return aws::fail(errors::stream_not_active(key->name, key->account, "DELETING"));
    }
    int64_t creating = 0;
    for (const auto& other : existing) {
      if (other->name == name) return aws::fail(consumer_errors::already_exists(name, *key));
      if (other->status(request.now_ms) == ConsumerStatus::kCreating) ++creating;
    }
    if (static_cast<int64_t>(existing.size()) >= ctx.options.consumer_limit) {
      return aws::fail(consumer_errors::too_many_consumers(*key, ctx.options.consumer_limit));
    }
    if (creating >= kMaxCreatingConsumers) {
      return aws::fail(consumer_errors::too_many_creating(*key, kMaxCreatingConsumers));
    }
    return Ok{};
  };
  auto registered = ctx.consumers.register_consumer(std::move(consumer), request.now_ms, admit);
  if (!registered) return aws::fail(std::move(registered.error()));
  aws::Value out = aws::Value::map();
  out.set("Consumer", consumer_value(**registered, request.now_ms, false));
  return out;
}

}  // namespace trib::kinesis::ops
