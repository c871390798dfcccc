// SplitShard: closes an open shard and opens two children that divide its hash-key range at
// NewStartingHashKey, which must be greater than one plus the shard's StartingHashKey and less
// than its EndingHashKey (AWS's rule and text). Checks in kinesalite's captured order, after a
// ShardToSplit that cannot name any shard is refused before the stream is looked up (as AWS
// does, recorded in issue 9): the shard exists, the account's shard limit, the hash key, then
// the stream must be ACTIVE. It is UPDATING for --update-stream-ms afterwards, with the old
// shards in place until then (kinesis/reshard.h). A closed shard cannot be split again.
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/reshard.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output split_shard(KinesisContext& ctx, const aws::RequestContext& request, const Input& input) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  const std::string& shard_id = *input.string_member("ShardToSplit");
  const std::string& new_starting_hash_key = *input.string_member("NewStartingHashKey");
  if (auto checked = check_shard_id_to_reshard(*key, shard_id); !checked) {
    return aws::fail(std::move(checked.error()));
  }

  auto planner = [&](const Stream& stream) -> aws::AwsResult<ReshardPlan> {
    auto parent = shard_to_reshard(stream, shard_id, request.now_ms);
    if (!parent) return aws::fail(std::move(parent.error()));
    const Shard& shard = *parent.value();
    const auto split_at = streams::parse_decimal(new_starting_hash_key);
    const auto& range = shard.hash_range;
    if (!split_at || *split_at <= range.starting_hash_key + 1 ||
        *split_at >= range.ending_hash_key) {
      return aws::fail(errors::split_hash_key_outside_shard(new_starting_hash_key, shard,
                                                            stream.key.name, stream.key.account));
    }
    if (!shard.is_open()) {
      return aws::fail(errors::shard_already_closed(shard.shard_id(), stream.key.name,
                                                    stream.key.account, "splitting"));
    }
    return streams::plan_split(shard, *split_at, stream.next_shard_index(), request.now_ms);
  };
  auto updated = apply_reshard(ctx, request, *key, planner);
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
