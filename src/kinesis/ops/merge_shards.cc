// MergeShards: closes two open shards whose hash-key ranges are adjacent (in either order) and
// opens one child covering both, with ParentShardId = ShardToMerge and AdjacentParentShardId =
// AdjacentShardToMerge. Checks: both shards exist, they are adjacent (AWS's text), neither is
// closed, then the stream must be ACTIVE; it is UPDATING for --update-stream-ms afterwards.
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

  auto planner = [&](const Stream& stream) -> aws::AwsResult<ReshardPlan> {
    auto found = shard_to_reshard(stream, shard_id, request.now_ms);
    if (!found) return aws::fail(std::move(found.error()));
    auto adjacent_found = shard_to_reshard(stream, adjacent_id, request.now_ms);
    if (!adjacent_found) return aws::fail(std::move(adjacent_found.error()));
    const Shard& shard = *found.value();
    const Shard& adjacent = *adjacent_found.value();
    const auto& a = shard.hash_range;
    const auto& b = adjacent.hash_range;
    const bool adjacent_above = a.ending_hash_key != streams::kMaxHashKey &&
                                a.ending_hash_key + 1 == b.starting_hash_key;
    const bool adjacent_below = b.ending_hash_key != streams::kMaxHashKey &&
                                b.ending_hash_key + 1 == a.starting_hash_key;
    if (shard.index == adjacent.index || (!adjacent_above && !adjacent_below)) {
      return aws::fail(errors::shards_not_adjacent(shard.shard_id(), adjacent.shard_id(),
                                                   stream.key.name, stream.key.account));
    }
    for (const Shard* parent : {&shard, &adjacent}) {
      if (!parent->is_open()) {
        return aws::fail(errors::shard_already_closed(parent->shard_id(), stream.key.name,
                                                      stream.key.account, "merging"));
      }
    }
    const streams::HashKeyRange range{std::min(a.starting_hash_key, b.starting_hash_key),
                                      std::max(a.ending_hash_key, b.ending_hash_key)};
    ReshardPlan plan;
    plan.closing = {shard.index, adjacent.index};
    plan.added.push_back(new_child_shard(stream.next_shard_index(), range, request.now_ms,
                                         shard.index, adjacent.index));
    return plan;
  };
  auto updated = apply_reshard(ctx, request, *key, planner);
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
