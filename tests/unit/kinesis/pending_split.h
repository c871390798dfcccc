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
    const streams::uint128 middle = stream.shards[0].hash_range.ending_hash_key / 2;
    stream.start_update(now_ms, at_ms - now_ms);
    stream.pending_reshard =
        PendingReshard{at_ms, streams::plan_split(stream.shards[0], middle + 1, 1, now_ms)};
    return Ok{};
  });
  ASSERT_TRUE(updated);
}

}  // namespace trib::kinesis::testing
