// A SplitShard of a stream's shard 0 stored as apply_reshard stores it: UPDATING from `now_ms`,
// applied (shard 0 closed, children 1 and 2 added) by the first catalog access at or after
// `at_ms`. Shared by the reshard and record-append tests.
#pragma once

#include <gtest/gtest.h>

#include "kinesis/reshard.h"
#include "kinesis/stream_catalog.h"

namespace trib::kinesis::testing {

inline void store_split_of_shard_0(StreamCatalog& catalog, const StreamKey& key, int64_t now_ms,
                                   int64_t at_ms) {
  auto updated = catalog.update(key, now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
    const auto& range = stream.shards[0].hash_range;
    const streams::uint128 middle = range.ending_hash_key / 2;
    ReshardPlan plan;
    plan.closing = {0};
    plan.added.push_back(new_child_shard(1, {range.starting_hash_key, middle}, now_ms, 0));
    plan.added.push_back(new_child_shard(2, {middle + 1, range.ending_hash_key}, now_ms, 0));
    stream.start_update(now_ms, at_ms - now_ms);
    stream.pending_reshard = PendingReshard{at_ms, std::move(plan)};
    return Ok{};
  });
  ASSERT_TRUE(updated);
}

}  // namespace trib::kinesis::testing
