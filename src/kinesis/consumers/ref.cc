#include "kinesis/consumers/ref.h"

#include <algorithm>

#include "kinesis/consumers/errors.h"
#include "kinesis/errors.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis {

aws::AwsResult<ConsumerLookup> find_consumer_by_arn(const KinesisContext& ctx,
                                                    const aws::RequestContext& request,
                                                    std::string_view consumer_arn) {
  auto parsed = parse_consumer_arn(consumer_arn);
  if (!parsed) {
    return aws::fail(
        errors::invalid_argument("ConsumerARN " + std::string(consumer_arn) + " is invalid."));
  }
  ConsumerLookup found;
  found.stream = ctx.catalog.find(parsed->stream, request.now_ms);
  if (found.stream) {
    found.consumer = ctx.consumers.find(found.stream->id, parsed->consumer_name, request.now_ms);
  }
  if (!found.consumer || found.consumer->created_seconds() != parsed->created_seconds) {
    return aws::fail(consumer_errors::not_found_by_arn(consumer_arn));
  }
  return found;
}

aws::AwsResult<ConsumerLookup> find_named_consumer(const KinesisContext& ctx,
                                                   const aws::RequestContext& request,
                                                   const aws::Value& input) {
  const std::string* consumer_arn = input.string_member("ConsumerARN");
  const std::string* stream_arn_member = input.string_member("StreamARN");
  const std::string* consumer_name = input.string_member("ConsumerName");
  if (consumer_arn) {
    auto found = find_consumer_by_arn(ctx, request, *consumer_arn);
    if (!found) return found;
    const Consumer& consumer = *found->consumer;
    const bool stream_differs =
        stream_arn_member && *stream_arn_member != stream_arn(consumer.stream);
    const bool name_differs = consumer_name && *consumer_name != consumer.name;
    if (stream_differs || name_differs) {
      return aws::fail(consumer_errors::consumer_names_disagree(
          *consumer_arn, stream_arn_member ? *stream_arn_member : std::string_view(),
          consumer_name ? *consumer_name : std::string_view()));
    }
    return found;
  }
  if (!stream_arn_member || !consumer_name) {
    return aws::fail(consumer_errors::consumer_not_named());
  }
  auto key = parse_stream_arn(*stream_arn_member);
  if (!key) {
    return aws::fail(errors::invalid_argument("StreamARN " + *stream_arn_member + " is invalid."));
  }
  ConsumerLookup found;
  found.stream = ctx.catalog.find(*key, request.now_ms);
  if (!found.stream) return aws::fail(errors::stream_not_found(key->name, key->account));
  found.consumer = ctx.consumers.find(found.stream->id, *consumer_name, request.now_ms);
  if (!found.consumer) return aws::fail(consumer_errors::not_found_by_name(*consumer_name, *key));
  return found;
}

aws::Value consumer_value(const Consumer& consumer, int64_t now_ms, bool with_stream_arn) {
  aws::Value out = aws::Value::map();
  out.set("ConsumerName", consumer.name);
  out.set("ConsumerARN", consumer.arn());
  out.set("ConsumerStatus", consumer_status_name(consumer.status(now_ms)));
  out.set("ConsumerCreationTimestamp", aws::Timestamp{consumer.created_ms});
  if (with_stream_arn) out.set("StreamARN", stream_arn(consumer.stream));
  return out;
}

namespace {

aws::AwsResult<Ok> refuse_tag_problem(TagTextProblem problem, std::string_view verb_phrase,
                                      const Consumer& consumer) {
  if (problem == TagTextProblem::kInvalidCharacter) {
    // AWS's generic text; it names no resource.
    return aws::fail(
        errors::tag_problem(problem, verb_phrase, consumer.stream.name, consumer.stream.account));
  }
  return aws::fail(consumer_errors::tag_percent(verb_phrase, consumer));
}

}  // namespace

aws::AwsResult<Ok> add_consumer_tags(KinesisContext& ctx, const aws::RequestContext& request,
                                     const Consumer& consumer, const aws::ValueMap& tags) {
  auto updated = ctx.consumers.update(
      consumer.stream_id, consumer.name, request.now_ms, [&](Consumer& c) -> aws::AwsResult<Ok> {
        if (c.status(request.now_ms) == ConsumerStatus::kDeleting) {
          return aws::fail(consumer_errors::not_active(c));
        }
        std::vector<std::string_view> texts;
        for (const auto& [tag_key, tag_value] : tags) {
          texts.push_back(tag_key);
          texts.push_back(tag_value.is_string() ? std::string_view(tag_value.as_string()) : "");
        }
        if (const auto problem = worst_tag_problem(texts); problem != TagTextProblem::kNone) {
          return refuse_tag_problem(problem, "add tags to", c);
        }
        size_t new_keys = 0;
        for (const auto& [tag_key, tag_value] : tags) {
          const bool exists = std::any_of(c.tags.begin(), c.tags.end(),
                                          [&](const auto& tag) { return tag.first == tag_key; });
          new_keys += exists ? 0 : 1;
        }
        if (c.tags.size() + new_keys > kMaxTagsPerStream) {
          return aws::fail(consumer_errors::too_many_tags(c, kMaxTagsPerStream));
        }
        for (const auto& [tag_key, tag_value] : tags) {
          const std::string value = tag_value.is_string() ? tag_value.as_string() : "";
          auto existing = std::find_if(c.tags.begin(), c.tags.end(),
                                       [&](const auto& tag) { return tag.first == tag_key; });
          if (existing != c.tags.end()) {
            existing->second = value;
          } else {
            c.tags.emplace_back(tag_key, value);
          }
        }
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return Ok{};
}

aws::AwsResult<Ok> remove_consumer_tags(KinesisContext& ctx, const aws::RequestContext& request,
                                        const Consumer& consumer, const aws::ValueList& keys) {
  auto updated = ctx.consumers.update(
      consumer.stream_id, consumer.name, request.now_ms, [&](Consumer& c) -> aws::AwsResult<Ok> {
        if (c.status(request.now_ms) == ConsumerStatus::kDeleting) {
          return aws::fail(consumer_errors::not_active(c));
        }
        std::vector<std::string_view> texts;
        for (const auto& key : keys) {
          texts.push_back(key.is_string() ? std::string_view(key.as_string()) : "");
        }
        if (const auto problem = worst_tag_problem(texts); problem != TagTextProblem::kNone) {
          return refuse_tag_problem(problem, "remove tags from", c);
        }
        for (const auto& key : keys) {
          if (!key.is_string()) continue;
          std::erase_if(c.tags, [&](const auto& tag) { return tag.first == key.as_string(); });
        }
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return Ok{};
}

aws::Value consumer_tags_value(const Consumer& consumer) {
  auto tags = consumer.tags;
  std::sort(tags.begin(), tags.end());
  aws::Value list = aws::Value::list();
  for (const auto& [key, value] : tags) {
    aws::Value tag = aws::Value::map();
    tag.set("Key", key);
    tag.set("Value", value);
    list.push(std::move(tag));
  }
  return list;
}

}  // namespace trib::kinesis
