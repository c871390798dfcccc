// MergeShards: closes two open shards whose hash-key ranges are adjacent, ShardToMerge's range
// just below AdjacentShardToMerge's (AWS refuses the reverse order as "not an adjacent pair",
// recorded in issue 9), and opens one child covering both, with ParentShardId = ShardToMerge
// and AdjacentParentShardId = AdjacentShardToMerge. Checks: both shard ids can name a shard
// (before the stream is looked up, as AWS does), both shards exist, they are adjacent (AWS's
// text), neither is closed, then the stream must be ACTIVE. It is UPDATING for
// --update-stream-ms afterwards, with the old shards in place until then (kinesis/reshard.h).
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/reshard.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output merge_shards(KinesisContext& ctx, const aws::RequestContext& request, const Input& input) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  const std::string& shard_id = *input.string_member("ShardToMerge");
  const std::string& adjacent_id = *input.string_member("AdjacentShardToMerge");
  for (const std::string* id : {&shard_id, &adjacent_id}) {
    if (auto checked = check_shard_id_to_reshard(*key, *id); !checked) {
      return aws::fail(std::move(checked.error()));
    }
  }

  auto planner = [&](const Stream& stream) -> aws::AwsResult<ReshardPlan> {
    auto found = shard_to_reshard(stream, shard_id, request.now_ms);
    if (!found) return aws::fail(std::move(found.error()));
    auto adjacent_found = shard_to_reshard(stream, adjacent_id, request.now_ms);
    if (!adjacent_found) return aws::fail(std::move(adjacent_found.error()));
    const Shard& shard = *found.value();
    const Shard& adjacent = *adjacent_found.value();
    const auto& a = shard.hash_range;
    const auto& b = adjacent.hash_range;
    const bool adjacent_above =
        a.ending_hash_key != streams::kMaxHashKey && a.ending_hash_key + 1 == b.starting_hash_key;
    if (!adjacent_above) {
      return aws::fail(errors::shards_not_adjacent(shard.shard_id(), adjacent.shard_id(),
                                                   stream.key.name, stream.key.account));
    }
    for (const Shard* parent : {&shard, &adjacent}) {
      if (!parent->is_open()) {
        return aws::fail(errors::shard_already_closed(parent->shard_id(), stream.key.name,
                                                      stream.key.account, "merging"));
      }
    }
    return streams::plan_merge(shard, adjacent, stream.next_shard_index(), request.now_ms);
  };
  auto updated = apply_reshard(ctx, request, *key, planner);
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
