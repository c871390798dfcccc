// ListShards: pages of shards (MaxResults, default 1000 as AWS answers in practice) selected
// by ExclusiveStartShardId and ShardFilter, continued with NextToken (which carries the
// stream, the filter and the position, and expires after 300 s).
// On a stream that is not ACTIVE (or UPDATING) we answer ResourceInUseException with the text
// AWS uses for that condition elsewhere (captured for the resharding operations).
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/pagination.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

namespace {

struct ShardSelection {
  std::string filter_type;  // empty: no filter
  std::optional<uint32_t> after_index;
  std::optional<int64_t> timestamp_ms;
};

bool selected(const Stream& stream, const Shard& shard, const ShardSelection& selection,
              int64_t now_ms) {
  if (stream.shard_expired(shard, now_ms)) return false;
  if (selection.after_index && shard.index <= *selection.after_index) return false;
  const std::string& type = selection.filter_type;
  if (type.empty() || type == "AFTER_SHARD_ID" || type == "FROM_TRIM_HORIZON") return true;
  if (type == "AT_LATEST") return shard.is_open();
  if (type == "AT_TRIM_HORIZON") {
    // The oldest generation still within retention: shards whose parents are gone.
    auto has_live_parent = [&](std::optional<uint32_t> parent) {
      return parent && stream.find_live_shard(*parent, now_ms) != nullptr;
    };
    return !has_live_parent(shard.parent_index) && !has_live_parent(shard.adjacent_parent_index);
  }
  if (type == "AT_TIMESTAMP" || type == "FROM_TIMESTAMP") {
    int64_t at = selection.timestamp_ms.value_or(0);
    // A time before the stream existed means its first shards.
    at = std::max(at, stream.created_ms);
    const bool closed_before = shard.closed_ms && *shard.closed_ms <= at;
    if (closed_before) return false;
    if (type == "FROM_TIMESTAMP") return true;
    return shard.created_ms <= at;
  }
  return true;
}

}  // namespace

Output list_shards(KinesisContext& ctx, const aws::RequestContext& request, const Input& input) {
  const std::string* next_token = input.string_member("NextToken");
  const int64_t max_results = input.int_member("MaxResults").value_or(1000);
  StreamKey key;
  ShardSelection selection;
  std::optional<uint64_t> expected_stream_id;

  if (next_token) {
    for (const char* conflicting : {"StreamName", "StreamARN", "ExclusiveStartShardId",
                                    "ShardFilter", "StreamCreationTimestamp"}) {
      if (input.find(conflicting)) {
        return aws::fail(errors::invalid_argument(std::string("NextToken and ") + conflicting +
                                                  " cannot be provided together."));
      }
    }
    auto fields = open_next_token(ctx.sealer, request, "ListShards", *next_token);
    if (!fields) return aws::fail(std::move(fields.error()));
    // account, region, name, stream id, filter type, last index, timestamp
    if (fields->size() != 7) return aws::fail(errors::invalid_argument("Invalid NextToken."));
    const auto& f = *fields;
    key = StreamKey{f[0], f[1], f[2]};
    try {
      expected_stream_id = std::stoull(f[3]);
      selection.filter_type = f[4];
      selection.after_index = static_cast<uint32_t>(std::stoul(f[5]));
      if (!f[6].empty()) selection.timestamp_ms = std::stoll(f[6]);
    } catch (const std::exception&) {
      return aws::fail(errors::invalid_argument("Invalid NextToken."));
    }
  } else {
    if (!input.find("StreamName") && !input.find("StreamARN")) {
      return aws::fail(
          errors::invalid_argument("Either NextToken or StreamName should be provided."));
    }
    auto resolved = resolve_stream(request, input);
    if (!resolved) return aws::fail(std::move(resolved.error()));
    key = std::move(*resolved);
    if (const std::string* start = input.string_member("ExclusiveStartShardId")) {
      // Ids that are not of the shardId-NNNNNNNNNNNN form sort before every real id.
      auto index = parse_shard_id(*start);
      if (index)
        selection.after_index = *index;
      else if (*start >= "shardId-")
        selection.after_index = 0xffffffffu;
    }
    if (const aws::Value* filter = input.find("ShardFilter")) {
      selection.filter_type = *filter->string_member("Type");
      const std::string* shard_id = filter->string_member("ShardId");
      const auto timestamp = filter->timestamp_member("Timestamp");
      if (selection.filter_type == "AFTER_SHARD_ID") {
        if (!shard_id) {
          return aws::fail(errors::invalid_argument(
              "ShardId must be supplied in a ShardFilter with a Type of AFTER_SHARD_ID"));
        }
        auto index = parse_shard_id(*shard_id);
        const uint32_t after = index ? *index : 0xffffffffu;
        selection.after_index =
            selection.after_index ? std::max(*selection.after_index, after) : after;
      } else if (selection.filter_type == "AT_TIMESTAMP" ||
                 selection.filter_type == "FROM_TIMESTAMP") {
        if (!timestamp) {
          return aws::fail(
              errors::invalid_argument("Timestamp must be supplied in a ShardFilter with a Type of "
                                       "FROM_TIMESTAMP or AT_TIMESTAMP"));
        }
        selection.timestamp_ms = *timestamp;
      }
    }
  }

  auto stream = ctx.catalog.find(key, request.now_ms);
  if (!stream || (expected_stream_id && stream->id != *expected_stream_id)) {
    return aws::fail(errors::stream_not_found(key.name, key.account));
  }
  if (const auto created = input.timestamp_member("StreamCreationTimestamp")) {
    if (*created / 1000 != stream->created_ms / 1000) {
      return aws::fail(errors::stream_not_found(key.name, key.account));
    }
  }
  const StreamStatus status = stream->status(request.now_ms);
  if (status != StreamStatus::kActive && status != StreamStatus::kUpdating) {
    return aws::fail(errors::stream_not_active(key.name, key.account, status_name(status)));
  }

  aws::Value shards = aws::Value::list();
  bool has_more = false;
  int64_t listed = 0;
  uint32_t last_index = 0;
  for (const auto& shard : stream->shards) {
    if (!selected(*stream, shard, selection, request.now_ms)) continue;
    if (listed == max_results) {
      has_more = true;
      break;
    }
    shards.push(describe_shard(*stream, shard));
    last_index = shard.index;
    ++listed;
  }
  aws::Value out = aws::Value::map();
  out.set("Shards", std::move(shards));
  if (has_more) {
    out.set(
        "NextToken",
        make_next_token(ctx.sealer, request, "ListShards",
                        {key.account, key.region, key.name, std::to_string(stream->id),
                         selection.filter_type, std::to_string(last_index),
                         selection.timestamp_ms ? std::to_string(*selection.timestamp_ms) : ""}));
  }
  return out;
}

}  // namespace trib::kinesis::ops
