// Resharding over the shared shard model (streams/shard_map.h): a plan says which open shards
// close and which shards are added (children, and for uniform scaling the short-lived shards
// between them, added closed); applying it at its switch time closes the parents and creates
// the added shards then, so parents always come before their children in the list.
//
// The plans are lineage only: a split at a hash key, a merge of two adjacent shards, and
// uniform scaling to a shard count by single-shard splits and merges. Who may reshard, when,
// and with which checks and error texts is the service's (Kinesis: SplitShard, MergeShards and
// UpdateShardCount in kinesis/reshard.* and kinesis/ops/, the plan stored as the stream's
// pending reshard until its UPDATING period ends). DynamoDB Streams' rollover (one child per
// shard, same range, at a time fixed by the clock) is computed, never planned
// (dynamodb_streams/stream.h).
//
// Templates over the service's shard type: a type derived from streams::Shard that adds no
// data (kinesis::Shard), so the plan holds and stores exactly the service's shards.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "streams/hash_range.h"
#include "streams/shard_map.h"

namespace trib::streams {

template <typename ShardType>
struct ReshardPlan {
  std::vector<uint32_t> closing;  // open shards that become parents
  std::vector<ShardType> added;   // new shards; those with closed_ms set are short-lived

  // Adds a new open shard covering `range`, created at `now_ms` (the switch time replaces it),
  // with its parents; returns its slot in `added`.
  size_t add_child(uint32_t index, HashKeyRange range, int64_t now_ms,
                   std::optional<uint32_t> parent,
                   std::optional<uint32_t> adjacent_parent = std::nullopt) {
    ShardType shard;
    shard.index = index;
    shard.hash_range = range;
    shard.created_ms = now_ms;
    shard.parent_index = parent;
    shard.adjacent_parent_index = adjacent_parent;
    added.push_back(std::move(shard));
    return added.size() - 1;
  }
};

// A plan waiting for its switch time.
template <typename ShardType>
struct PendingReshard {
  int64_t at_ms = 0;
  ReshardPlan<ShardType> plan;
};

// Applies `plan` to a stream's shard list at `switch_ms`: its parents close and its shards are
// created then (short-lived ones also close then). Returns the parents.
template <typename ShardType>
std::vector<uint32_t> apply_reshard_plan(std::vector<ShardType>& shards,
                                         ReshardPlan<ShardType> plan, int64_t switch_ms) {
  for (uint32_t index : plan.closing) {
    for (auto& shard : shards) {
      if (shard.index == index) shard.closed_ms = switch_ms;
    }
  }
  for (auto& shard : plan.added) {
    shard.created_ms = switch_ms;
    if (shard.closed_ms) shard.closed_ms = switch_ms;  // short-lived
    shards.push_back(std::move(shard));
  }
  return std::move(plan.closing);
}

// Splits `parent` into two children with indexes `first_index` and `first_index + 1`, the
// second starting at `upper_start` (which the caller has checked lies inside the range).
template <typename ShardType>
ReshardPlan<ShardType> plan_split(const ShardType& parent, uint128 upper_start,
                                  uint32_t first_index, int64_t now_ms) {
  const HashKeyRange& range = parent.hash_range;
  ReshardPlan<ShardType> plan;
  plan.closing.push_back(parent.index);
  plan.add_child(first_index, {range.starting_hash_key, upper_start - 1}, now_ms, parent.index);
  plan.add_child(first_index + 1, {upper_start, range.ending_hash_key}, now_ms, parent.index);
  return plan;
}

// Merges `lower` and the shard just above it, `upper`, into one child with index `index`
// (parent `lower`, adjacent parent `upper`).
template <typename ShardType>
ReshardPlan<ShardType> plan_merge(const ShardType& lower, const ShardType& upper, uint32_t index,
                                  int64_t now_ms) {
  ReshardPlan<ShardType> plan;
  plan.closing = {lower.index, upper.index};
  plan.add_child(index, {lower.hash_range.starting_hash_key, upper.hash_range.ending_hash_key},
                 now_ms, lower.index, upper.index);
  return plan;
}

// Uniform scaling of the open shards of `shards` to `target_shard_count` even ranges, as
// Kinesis's UpdateShardCount UNIFORM_SCALING performs it: splits and merges of single shards.
// Open shards are split at every boundary of the target's even ranges that falls inside them,
// then the pieces of each target range are merged left to right. Every shard has at most two
// parents, lineage covers every hash key, and the intermediate shards are created closed. New
// shards take indexes from `next_index` on.
template <typename ShardType>
ReshardPlan<ShardType> plan_uniform_scaling(const std::vector<ShardType>& shards,
                                            uint32_t next_index, uint32_t target_shard_count,
                                            int64_t now_ms) {
  ReshardPlan<ShardType> plan;
  const auto targets = split_hash_space(target_shard_count);
  std::vector<const ShardType*> open;
  for (const auto& shard : shards) {
    if (shard.is_open()) open.push_back(&shard);
  }
  std::sort(open.begin(), open.end(), [](const ShardType* a, const ShardType* b) {
    return a->hash_range.starting_hash_key < b->hash_range.starting_hash_key;
  });

  // A piece is a shard lying inside one target range: an untouched open shard or a split child.
  struct Piece {
    uint32_t index;
    HashKeyRange range;
    bool added;  // a new shard (its position in plan.added is `added_slot`)
    size_t added_slot;
  };
  std::vector<Piece> pieces;
  size_t target_slot = 0;
  for (const ShardType* shard : open) {
    Piece current{shard->index, shard->hash_range, false, 0};
    // Target boundaries strictly inside the current piece split it.
    while (target_slot < targets.size() &&
           targets[target_slot].ending_hash_key < current.range.starting_hash_key) {
      ++target_slot;
    }
    size_t slot = target_slot;
    while (slot < targets.size() && targets[slot].ending_hash_key < current.range.ending_hash_key) {
      const uint128 boundary = targets[slot].ending_hash_key + 1;
      if (!current.added)
        plan.closing.push_back(current.index);
      else
        plan.added[current.added_slot].closed_ms = now_ms;  // split again: short-lived
      const uint32_t left = next_index++, right = next_index++;
      const size_t left_slot = plan.add_child(left, {current.range.starting_hash_key, boundary - 1},
                                              now_ms, current.index);
      const size_t right_slot =
          plan.add_child(right, {boundary, current.range.ending_hash_key}, now_ms, current.index);
      pieces.push_back({left, plan.added[left_slot].hash_range, true, left_slot});
      current = {right, plan.added[right_slot].hash_range, true, right_slot};
      ++slot;
    }
    pieces.push_back(current);
  }

  // Merge the pieces of each target range, left to right.
  size_t p = 0;
  for (const auto& target : targets) {
    const size_t first = p;
    while (p < pieces.size() && pieces[p].range.ending_hash_key <= target.ending_hash_key) ++p;
    if (p - first < 2) continue;  // one piece already is the target range
    Piece merged = pieces[first];
    for (size_t i = first + 1; i < p; ++i) {
      for (const Piece* parent : {&merged, &pieces[i]}) {
        if (parent->added)
          plan.added[parent->added_slot].closed_ms = now_ms;
        else
          plan.closing.push_back(parent->index);
      }
      const uint32_t index = next_index++;
      const size_t slot =
          plan.add_child(index, {merged.range.starting_hash_key, pieces[i].range.ending_hash_key},
                         now_ms, merged.index, pieces[i].index);
      merged = {index, plan.added[slot].hash_range, true, slot};
    }
  }
  return plan;
}

}  // namespace trib::streams
