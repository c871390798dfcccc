// The shared shard model and lineage (streams/shard_map.h), and DynamoDB Streams' rollover
// chains expressed in it.
#include "streams/shard_map.h"

#include <gtest/gtest.h>

#include "dynamodb_streams/stream.h"

namespace trib::streams {
namespace {

Shard make(uint32_t index, HashKeyRange range, std::optional<uint32_t> parent = std::nullopt,
           std::optional<uint32_t> adjacent = std::nullopt, std::optional<int64_t> closed = {}) {
  Shard s;
  s.index = index;
  s.hash_range = range;
  s.parent_index = parent;
  s.adjacent_parent_index = adjacent;
  s.closed_ms = closed;
  return s;
}

TEST(ShardMap, SplitAndMergeLineage) {
  const auto halves = split_hash_space(2);
  // 0 splits into 1 and 2; 1 and 2 merge into 3.
  const std::vector<Shard> shards = {
      make(0, {0, kMaxHashKey}, std::nullopt, std::nullopt, 10),
      make(1, halves[0], 0, std::nullopt, 20),
      make(2, halves[1], 0, std::nullopt, 20),
      make(3, {0, kMaxHashKey}, 1, 2),
  };
  auto children = children_of(shards, 0);
  ASSERT_EQ(children.size(), 2u);
  EXPECT_EQ(children[0]->index, 1u);
  EXPECT_EQ(children[1]->index, 2u);
  for (uint32_t parent : {1u, 2u}) {
    auto merged = children_of(shards, parent);
    ASSERT_EQ(merged.size(), 1u);
    EXPECT_EQ(merged[0]->index, 3u);
  }
  EXPECT_TRUE(children_of(shards, 3).empty());
  EXPECT_EQ(find_shard(shards, 2), &shards[2]);
  EXPECT_EQ(find_shard(shards, 9), nullptr);
  EXPECT_EQ(open_shard_for_hash_key(shards, 5), &shards[3]);  // closed shards take nothing
  EXPECT_EQ(next_shard_index(shards), 4u);
  EXPECT_EQ(next_shard_index(std::vector<Shard>{}), 0u);
}

TEST(ShardMap, TableStreamRolloverChainsAreParentsAndChildren) {
  dynamodb_streams::StreamInfo stream;
  stream.key = {"123456789012", "us-west-1", "Music", 1'000'000};
  stream.partitions = 2;
  stream.rollover_ms = 10'000;
  // Two rollovers of both chains: epochs 0, 1 and 2 exist, 0 and 1 closed.
  const int64_t now = 1'000'000 + 2 * 10'000 + 5;
  const std::vector<Shard> shards = stream.shards(now);
  ASSERT_EQ(shards.size(), 6u);
  for (size_t i = 1; i < shards.size(); ++i) {
    EXPECT_LT(shards[i - 1].created_ms, shards[i].created_ms);  // creation order
  }
  for (const Shard& shard : shards) {
    const dynamodb_streams::ShardPos pos = stream.shard_pos(shard.index);
    EXPECT_EQ(stream.shard_index(pos), shard.index);
    EXPECT_EQ(shard.created_ms, stream.shard_created_ms(pos));
    EXPECT_EQ(shard.closed_ms.has_value(), pos.epoch < 2);
    if (pos.epoch == 0) {
      EXPECT_FALSE(shard.parent_index);
    } else {
      ASSERT_TRUE(shard.parent_index);
      EXPECT_EQ(stream.shard_pos(*shard.parent_index),
                (dynamodb_streams::ShardPos{pos.partition, pos.epoch - 1}));
    }
    auto children = children_of(shards, shard.index);
    ASSERT_EQ(children.size(), pos.epoch < 2 ? 1u : 0u);
    if (!children.empty()) {
      EXPECT_EQ(stream.shard_pos(children[0]->index),
                (dynamodb_streams::ShardPos{pos.partition, pos.epoch + 1}));
    }
  }
  // A disable closes the open shards without children.
  stream.disabled_ms = now;
  const std::vector<Shard> disabled = stream.shards(now + 1);
  ASSERT_EQ(disabled.size(), 6u);
  for (const Shard& shard : disabled) EXPECT_TRUE(shard.closed_ms);
}

}  // namespace
}  // namespace trib::streams
