// Resharding plans over the shared shard model (streams/reshard.h): a split and a merge of
// single shards, applied at their switch time. (Uniform scaling, over many counts:
// tests/unit/kinesis/reshard_test.cc.)
#include "streams/reshard.h"

#include <gtest/gtest.h>

namespace trib::streams {
namespace {

std::vector<Shard> two_shards() {
  std::vector<Shard> shards;
  uint32_t index = 0;
  for (const auto& range : split_hash_space(2)) {
    Shard shard;
    shard.index = index++;
    shard.hash_range = range;
    shards.push_back(shard);
  }
  return shards;
}

TEST(Reshard, SplitClosesTheParentAndOpensTwoChildrenAtTheSwitch) {
  std::vector<Shard> shards = two_shards();
  const uint128 upper_start = shards[0].hash_range.ending_hash_key / 2 + 1;
  auto plan = plan_split(shards[0], upper_start, next_shard_index(shards), 1000);
  EXPECT_EQ(plan.closing, std::vector<uint32_t>{0});
  const auto parents = apply_reshard_plan(shards, std::move(plan), 5000);
  EXPECT_EQ(parents, std::vector<uint32_t>{0});
  ASSERT_EQ(shards.size(), 4u);
  EXPECT_EQ(shards[0].closed_ms, 5000);
  EXPECT_TRUE(shards[1].is_open());
  const auto children = children_of(shards, 0);
  ASSERT_EQ(children.size(), 2u);
  EXPECT_EQ(children[0]->index, 2u);
  EXPECT_EQ(children[1]->index, 3u);
  EXPECT_EQ(children[0]->created_ms, 5000);  // the switch time, not the plan's
  EXPECT_EQ(children[0]->hash_range.starting_hash_key, 0u);
  EXPECT_EQ(children[0]->hash_range.ending_hash_key, upper_start - 1);
  EXPECT_EQ(children[1]->hash_range.starting_hash_key, upper_start);
  EXPECT_EQ(children[1]->hash_range.ending_hash_key, shards[0].hash_range.ending_hash_key);
  EXPECT_EQ(open_shard_for_hash_key(shards, upper_start)->index, 3u);
}

TEST(Reshard, MergeJoinsTwoAdjacentShardsWithBothAsParents) {
  std::vector<Shard> shards = two_shards();
  auto plan = plan_merge(shards[0], shards[1], next_shard_index(shards), 1000);
  apply_reshard_plan(shards, std::move(plan), 2000);
  ASSERT_EQ(shards.size(), 3u);
  const Shard& child = shards[2];
  EXPECT_EQ(child.parent_index, 0u);
  EXPECT_EQ(child.adjacent_parent_index, 1u);
  EXPECT_EQ(child.hash_range.starting_hash_key, 0u);
  EXPECT_EQ(child.hash_range.ending_hash_key, kMaxHashKey);
  EXPECT_FALSE(shards[0].is_open());
  EXPECT_FALSE(shards[1].is_open());
  EXPECT_EQ(children_of(shards, 1).size(), 1u);
}

TEST(Reshard, ShortLivedShardsCloseAtTheSwitchToo) {
  std::vector<Shard> shards = two_shards();
  // 2 shards to 3: the intermediate pieces are added closed, and close at the switch time.
  auto plan = plan_uniform_scaling(shards, next_shard_index(shards), 3, 1000);
  apply_reshard_plan(shards, std::move(plan), 7000);
  size_t open = 0;
  for (const auto& shard : shards) {
    if (shard.index >= 2) {
      EXPECT_EQ(shard.created_ms, 7000);
    }
    if (shard.closed_ms) {
      EXPECT_EQ(*shard.closed_ms, 7000);
    }
    open += shard.is_open();
  }
  EXPECT_EQ(open, 3u);
}

}  // namespace
}  // namespace trib::streams
