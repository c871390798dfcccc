// UpdateShardCount's plan (kinesis/reshard.h): for many start and target counts, the open
// shards afterwards are the target's even ranges, every shard has at most two parents whose
// ranges it lies in (or exactly joins), every closed shard's range is covered by its children,
// and shard indexes are new and unique.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "kinesis/reshard.h"

namespace trib::kinesis {
namespace {

Stream stream_with_shards(uint32_t count) {
  Stream stream;
  stream.id = 1;
  uint32_t index = 0;
  for (const auto& range : streams::split_hash_space(count)) {
    Shard shard;
    shard.index = index++;
    shard.hash_range = range;
    stream.shards.push_back(shard);
  }
  return stream;
}

// Applies a plan as apply_reshard does.
void apply(Stream& stream, const ReshardPlan& plan, int64_t now) {
  for (uint32_t index : plan.closing) {
    for (auto& shard : stream.shards) {
      if (shard.index == index) {
        ASSERT_TRUE(shard.is_open()) << "closing an already closed shard " << index;
        shard.closed_ms = now;
      }
    }
  }
  for (const auto& shard : plan.added) stream.shards.push_back(shard);
}

void expect_consistent_lineage(const Stream& stream) {
  std::set<uint32_t> indexes;
  std::map<uint32_t, std::vector<const Shard*>> children;
  for (const auto& shard : stream.shards) {
    EXPECT_TRUE(indexes.insert(shard.index).second) << "index reused: " << shard.index;
    for (auto parent : {shard.parent_index, shard.adjacent_parent_index}) {
      if (parent) children[*parent].push_back(&shard);
    }
  }
  for (const auto& shard : stream.shards) {
    const auto& range = shard.hash_range;
    if (shard.parent_index && shard.adjacent_parent_index) {
      const auto& a = stream.find_shard(*shard.parent_index)->hash_range;
      const auto& b = stream.find_shard(*shard.adjacent_parent_index)->hash_range;
      EXPECT_EQ(a.ending_hash_key + 1, b.starting_hash_key);
      EXPECT_EQ(range.starting_hash_key, a.starting_hash_key);
      EXPECT_EQ(range.ending_hash_key, b.ending_hash_key);
    } else if (shard.parent_index) {
      const auto& parent = stream.find_shard(*shard.parent_index)->hash_range;
      EXPECT_GE(range.starting_hash_key, parent.starting_hash_key);
      EXPECT_LE(range.ending_hash_key, parent.ending_hash_key);
    }
    if (shard.is_open()) {
      EXPECT_TRUE(children[shard.index].empty());
      continue;
    }
    auto& kids = children[shard.index];
    ASSERT_FALSE(kids.empty()) << "closed shard without children: " << shard.index;
    std::sort(kids.begin(), kids.end(), [](const Shard* x, const Shard* y) {
      return x->hash_range.starting_hash_key < y->hash_range.starting_hash_key;
    });
    EXPECT_LE(kids.front()->hash_range.starting_hash_key, range.starting_hash_key);
    EXPECT_GE(kids.back()->hash_range.ending_hash_key, range.ending_hash_key);
    for (size_t i = 1; i < kids.size(); ++i) {
      EXPECT_EQ(kids[i - 1]->hash_range.ending_hash_key + 1, kids[i]->hash_range.starting_hash_key);
    }
  }
}

TEST(UniformScalingPlan, EndsWithEvenRangesAndSoundLineage) {
  for (uint32_t start = 1; start <= 12; ++start) {
    for (uint32_t target = (start + 1) / 2; target <= 2 * start; ++target) {
      SCOPED_TRACE(std::to_string(start) + " -> " + std::to_string(target));
      Stream stream = stream_with_shards(start);
      apply(stream, plan_uniform_scaling(stream, target, 1000), 1000);
      std::vector<streams::HashKeyRange> open;
      for (const auto& shard : stream.shards) {
        if (shard.is_open()) open.push_back(shard.hash_range);
      }
      std::sort(open.begin(), open.end(), [](const auto& x, const auto& y) {
        return x.starting_hash_key < y.starting_hash_key;
      });
      const auto expected = streams::split_hash_space(target);
      ASSERT_EQ(open.size(), expected.size());
      for (size_t i = 0; i < open.size(); ++i) {
        EXPECT_EQ(open[i].starting_hash_key, expected[i].starting_hash_key);
        EXPECT_EQ(open[i].ending_hash_key, expected[i].ending_hash_key);
      }
      expect_consistent_lineage(stream);
    }
  }
}

TEST(UniformScalingPlan, RepeatedScalingKeepsLineageSound) {
  Stream stream = stream_with_shards(3);
  int64_t now = 1000;
  for (uint32_t target : {5u, 7u, 4u, 8u, 5u, 3u, 6u}) {
    apply(stream, plan_uniform_scaling(stream, target, now), now);
    now += 1000;
    EXPECT_EQ(stream.open_shard_count(), target);
  }
  expect_consistent_lineage(stream);
}

TEST(UniformScalingPlan, SameCountChangesNothing) {
  Stream stream = stream_with_shards(4);
  const auto plan = plan_uniform_scaling(stream, 4, 1000);
  EXPECT_TRUE(plan.closing.empty());
  EXPECT_TRUE(plan.added.empty());
}

}  // namespace
}  // namespace trib::kinesis
