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

  std::optional<ShardPos> parent_filter;
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
    parent_filter = stream.parse_shard_id(*shard_id);
    if (!parent_filter) {
      if (shard_id->rfind("shardId-", 0) != 0) {
        aws::Value value{*shard_id};
        return aws::fail(
            invalid_member(ctx, "ShardFilter.ShardId", &value, "Member must be a valid shard id"));
      }
      parent_filter = ShardPos{UINT32_MAX, UINT32_MAX};  // well formed, not ours: no children
    }
  }

  // Every visible shard, in creation order.
  std::vector<ShardPos> shards;
  for (uint32_t p = 0; p < stream.partitions; ++p) {
    const uint32_t last = stream.last_epoch(p, now);
    for (uint32_t e = stream.epoch_at(p, now - kRetentionMs); e <= last; ++e) {
      if (stream.shard_visible({p, e}, now)) shards.push_back({p, e});
    }
  }
  std::sort(shards.begin(), shards.end(), [&](ShardPos a, ShardPos b) {
    return stream.shard_created_ms(a) < stream.shard_created_ms(b);
  });
  if (parent_filter) {
    std::erase_if(shards, [&](ShardPos s) {
      return s.epoch == 0 || s.partition != parent_filter->partition ||
             s.epoch - 1 != parent_filter->epoch;
    });
  }
  size_t begin = 0;
  if (const std::string* start = input.string_member("ExclusiveStartShardId")) {
    auto at = stream.parse_shard_id(*start);
    begin = shards.size();
    if (at) {
      for (size_t i = 0; i < shards.size(); ++i) {
        if (shards[i] == *at) begin = i + 1;
      }
    }
  }

  aws::Value list = aws::Value::list();
  std::string last_id;
  size_t i = begin;
  for (; i < shards.size() && i - begin < limit; ++i) {
    const ShardPos shard = shards[i];
    aws::Value entry = aws::Value::map();
    last_id = stream.shard_id(shard);
    entry.set("ShardId", last_id);
    aws::Value range = aws::Value::map();
    const std::string starting = format_sequence_number(shard, 0);
    range.set("StartingSequenceNumber", starting);
    if (stream.shard_closed(shard, now)) {
      if (auto status = ctx.streams.ensure_sealed(stream, shard, now); !status.is_ok()) {
        return aws::fail(
            dynamodb::error(dynamodb::Error::kInternalServerError, "Internal server error"));
      }
      auto last = ctx.streams.last_position(stream, shard);
      range.set("EndingSequenceNumber", last ? format_sequence_number(shard, *last) : starting);
    }
    entry.set("SequenceNumberRange", std::move(range));
    if (shard.epoch > 0)
      entry.set("ParentShardId", stream.shard_id({shard.partition, shard.epoch - 1}));
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
