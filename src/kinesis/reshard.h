// Resharding shared by SplitShard, MergeShards and UpdateShardCount: each builds a plan with the
// shared lineage plans (streams/reshard.h: split, merge, uniform scaling) after its own checks;
// apply_reshard stores it as the stream's pending reshard, which the catalog applies as one
// atomic change when the UPDATING period ends.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "aws/error.h"
#include "aws/service.h"
#include "kinesis/context.h"
#include "kinesis/stream.h"

namespace trib::kinesis {

// Builds the plan from the current stream (under the control-plane lock), or fails with the
// operation's own argument errors.
using ReshardPlanner = std::function<aws::AwsResult<ReshardPlan>(const Stream&)>;

// Applies a reshard in AWS's check order after the planner's argument checks: the account's
// shard limit, then the stream must be ACTIVE. The stream is UPDATING for --update-stream-ms
// and, as on AWS, keeps its old shards (which take the records) until then; the catalog then
// closes the parents in the record log and publishes the new shards (StreamCatalog::find), so
// no record lands in a parent after its children take writes. With --update-stream-ms 0 that
// happens before this returns. `before_apply` may edit the stream last (rate limits).
aws::AwsResult<StreamCatalog::StreamPtr> apply_reshard(
    KinesisContext& ctx, const aws::RequestContext& request, const StreamKey& key,
    const ReshardPlanner& planner,
    const std::function<aws::AwsResult<Ok>(Stream&)>& before_apply = nullptr);

// A SplitShard / MergeShards shard id that cannot name any shard (parse_shard_id_leniently
// fails) is refused before the stream is looked up, as AWS does (issue 9, recorded):
// ResourceNotFoundException "Could not find shard <id as sent> in stream S under account A.".
aws::AwsResult<Ok> check_shard_id_to_reshard(const StreamKey& key, std::string_view shard_id);

// The shard a SplitShard / MergeShards argument names (read as AWS reads shard ids), or
// ResourceNotFoundException with the resharding text.
aws::AwsResult<const Shard*> shard_to_reshard(const Stream& stream, std::string_view shard_id,
                                              int64_t now_ms);

}  // namespace trib::kinesis
