// DescribeStream: the stream's status, view type, creation time, table and key schema, and its
// shards still within retention in creation order (= shard id order), each with its
// SequenceNumberRange (EndingSequenceNumber once closed: its last record's, or its start when
// it had none, as AWS's examples show, facts §4) and ParentShardId. Limit 1 to 100 (default
// 100), ExclusiveStartShardId exclusive (one that is not a shard of the stream gives no shards,
// [P, AWS-checked] §5), LastEvaluatedShardId when more remain. ShardFilter CHILD_SHARDS lists
// the children of one shard (§5). Status: ENABLED or DISABLED (a stream is usable at once; AWS's
// brief ENABLING is not shown).
#include <algorithm>

#include "dynamodb/errors.h"
#include "dynamodb_streams/operations.h"

namespace trib::dynamodb_streams::ops {

namespace {

aws::Value key_schema_wire(const dynamodb::KeySchema& schema) {
  aws::Value list = aws::Value::list();
  auto add = [&](const dynamodb::KeyAttribute& a, const char* type) {
    aws::Value element = aws::Value::map();
    element.set("AttributeName", a.name);
    element.set("KeyType", type);
    list.push(std::move(element));
  };
  add(schema.hash, "HASH");
  if (schema.range) add(*schema.range, "RANGE");
  return list;
}

}  // namespace

Output describe_stream(StreamsContext& ctx, const aws::RequestContext& request,
                       const Input& input) {
  if (auto bad = check_limit(ctx, input, 100)) return aws::fail(std::move(*bad));
  auto found = find_stream(ctx, request, *input.string_member("StreamArn"), "StreamArn");
  if (!found) return aws::fail(std::move(found.error()));
  const StreamInfo& stream = **found;
  const int64_t now = request.now_ms;
  const size_t limit = static_cast<size_t>(input.int_member("Limit").value_or(100));

  // ShardFilter CHILD_SHARDS: the children of one shard (none when it is not this stream's).
  bool child_filter = false;
  std::optional<uint32_t> parent;
  if (const aws::Value* filter = input.find("ShardFilter")) {
    const std::string* type = filter->string_member("Type");
    const std::string* shard_id = filter->string_member("ShardId");
    // [P, AWS-checked] §5: a missing Type or ShardId is a ValidationException; texts [U].
    if (!type)
      return aws::fail(invalid_member(ctx, "ShardFilter.Type", nullptr, "Member must not be null"));
    if (!shard_id) {
      return aws::fail(
          invalid_member(ctx, "ShardFilter.ShardId", nullptr, "Member must not be null"));
    }
    child_filter = true;
    if (auto pos = stream.parse_shard_id(*shard_id)) {
      parent = stream.shard_index(*pos);
    } else if (shard_id->rfind("shardId-", 0) != 0) {
      aws::Value value{*shard_id};
      return aws::fail(
          invalid_member(ctx, "ShardFilter.ShardId", &value, "Member must be a valid shard id"));
    }
  }

  // Every listed shard in creation order (streams/shard_map.h), or the filter's children.
  const std::vector<streams::Shard> all = stream.shards(now);
  std::vector<const streams::Shard*> shards;
  if (!child_filter) {
    for (const auto& shard : all) shards.push_back(&shard);
  } else if (parent) {
    shards = streams::children_of(all, *parent);
  }
  size_t begin = 0;
  if (const std::string* start = input.string_member("ExclusiveStartShardId")) {
    auto at = stream.parse_shard_id(*start);
    begin = shards.size();
    if (at) {
      for (size_t i = 0; i < shards.size(); ++i) {
        if (shards[i]->index == stream.shard_index(*at)) begin = i + 1;
      }
    }
  }

  aws::Value list = aws::Value::list();
  std::string last_id;
  size_t i = begin;
  for (; i < shards.size() && i - begin < limit; ++i) {
    const ShardPos shard = stream.shard_pos(shards[i]->index);
    aws::Value entry = aws::Value::map();
    last_id = stream.shard_id(shard);
    entry.set("ShardId", last_id);
    aws::Value range = aws::Value::map();
    const std::string starting = format_sequence_number(shard, 0);
    range.set("StartingSequenceNumber", starting);
    if (shards[i]->closed_ms) {
      std::optional<uint64_t> last;
      if (!ctx.streams.ensure_sealed(stream, shard, now).is_ok() ||
          !ctx.streams.last_position(stream, shard, &last).is_ok()) {
        return aws::fail(internal_error());
      }
      range.set("EndingSequenceNumber", last ? format_sequence_number(shard, *last) : starting);
    }
    entry.set("SequenceNumberRange", std::move(range));
    if (const auto parent_index = shards[i]->parent_index) {
      entry.set("ParentShardId", stream.shard_id(stream.shard_pos(*parent_index)));
    }
    list.push(std::move(entry));
  }

  aws::Value description = aws::Value::map();
  description.set("StreamArn", stream.arn());
  description.set("StreamLabel", stream.label());
  description.set("StreamStatus", stream.enabled_at(now) ? "ENABLED" : "DISABLED");
  description.set("StreamViewType", stream.view_type);
  description.set("CreationRequestDateTime", aws::Timestamp{stream.created_ms()});
  description.set("TableName", stream.key.table);
  description.set("KeySchema", key_schema_wire(stream.key_schema));
  description.set("Shards", std::move(list));
  if (i < shards.size()) description.set("LastEvaluatedShardId", last_id);
  aws::Value out = aws::Value::map();
  out.set("StreamDescription", std::move(description));
  return out;
}

}  // namespace trib::dynamodb_streams::ops
