#include "kinesis/reshard.h"

#include <algorithm>

#include "kinesis/errors.h"

namespace trib::kinesis {

aws::AwsResult<StreamCatalog::StreamPtr> apply_reshard(
    KinesisContext& ctx, const aws::RequestContext& request, const StreamKey& key,
    const ReshardPlanner& planner, const std::function<aws::AwsResult<Ok>(Stream&)>& before_apply) {
  const int64_t now = request.now_ms;
  auto updated = ctx.catalog.update(key, now, [&](Stream& stream) -> aws::AwsResult<Ok> {
    auto plan = planner(stream);
    if (!plan) return aws::fail(std::move(plan.error()));
    int64_t opened = 0;
    for (const auto& shard : plan->added) opened += shard.is_open() ? 1 : 0;
    const int64_t growth = opened - static_cast<int64_t>(plan->closing.size());
    if (growth > 0) {
      const int64_t current = ctx.catalog.open_shard_count(key.account, key.region, now);
      if (current + growth > ctx.options.shard_limit) {
        return aws::fail(errors::shard_limit_exceeded(key.account, key.region, current,
                                                      ctx.options.shard_limit, growth));
      }
    }
    const StreamStatus status = stream.status(now);
    if (status != StreamStatus::kActive) {
      return aws::fail(errors::stream_not_active(key.name, key.account, status_name(status)));
    }
    if (before_apply) {
      auto edited = before_apply(stream);
      if (!edited) return edited;
    }
    if (plan->closing.empty() && plan->added.empty()) return Ok{};  // nothing to change
    stream.start_update(now, ctx.options.update_stream_ms);
    stream.pending_reshard = PendingReshard{now + ctx.options.update_stream_ms, std::move(*plan)};
    return Ok{};
  });
  if (!updated || !updated.value()->reshard_due(now)) return updated;
  // No UPDATING period: the new shards are published before the call returns.
  auto settled = ctx.catalog.find(key, now);
  if (!settled) return updated;  // deleted meanwhile
  return settled;
}

aws::AwsResult<Ok> check_shard_id_to_reshard(const StreamKey& key, std::string_view shard_id) {
  if (parse_shard_id_leniently(shard_id)) return Ok{};
  return aws::fail(errors::reshard_shard_not_found(shard_id, key.name, key.account));
}

aws::AwsResult<const Shard*> shard_to_reshard(const Stream& stream, std::string_view shard_id,
                                              int64_t now_ms) {
  const auto index = parse_shard_id_leniently(shard_id);
  const Shard* shard = index ? stream.find_live_shard(*index, now_ms) : nullptr;
  if (!shard) {
    return aws::fail(errors::reshard_shard_not_found(index ? shard_id_for(*index) : shard_id,
                                                     stream.key.name, stream.key.account));
  }
  return shard;
}

Shard new_child_shard(uint32_t index, streams::HashKeyRange range, int64_t now_ms,
                      std::optional<uint32_t> parent, std::optional<uint32_t> adjacent_parent) {
  Shard shard;
  shard.index = index;
  shard.hash_range = range;
  shard.created_ms = now_ms;
  shard.parent_index = parent;
  shard.adjacent_parent_index = adjacent_parent;
  return shard;
}

ReshardPlan plan_uniform_scaling(const Stream& stream, uint32_t target_shard_count,
                                 int64_t now_ms) {
  ReshardPlan plan;
  const auto targets = streams::split_hash_space(target_shard_count);
  std::vector<const Shard*> open;
  for (const auto& shard : stream.shards) {
    if (shard.is_open()) open.push_back(&shard);
  }
  std::sort(open.begin(), open.end(), [](const Shard* a, const Shard* b) {
    return a->hash_range.starting_hash_key < b->hash_range.starting_hash_key;
  });
  uint32_t next_index = stream.next_shard_index();

  // A piece is a shard lying inside one target range: an untouched open shard or a split child.
  struct Piece {
    uint32_t index;
    streams::HashKeyRange range;
    bool added;  // a new shard (its position in plan.added is `added_slot`)
    size_t added_slot;
  };
  std::vector<Piece> pieces;
  auto add_shard = [&](Shard shard) {
    plan.added.push_back(std::move(shard));
    return plan.added.size() - 1;
  };
  size_t target_slot = 0;
  for (const Shard* shard : open) {
    Piece current{shard->index, shard->hash_range, false, 0};
    // Target boundaries strictly inside the current piece split it.
    while (target_slot < targets.size() &&
           targets[target_slot].ending_hash_key < current.range.starting_hash_key) {
      ++target_slot;
    }
    size_t slot = target_slot;
    while (slot < targets.size() &&
           targets[slot].ending_hash_key < current.range.ending_hash_key) {
      const streams::uint128 boundary = targets[slot].ending_hash_key + 1;
      if (!current.added) plan.closing.push_back(current.index);
      else plan.added[current.added_slot].closed_ms = now_ms;  // split again: short-lived
      const uint32_t left = next_index++, right = next_index++;
      const size_t left_slot = add_shard(new_child_shard(
          left, {current.range.starting_hash_key, boundary - 1}, now_ms, current.index));
      const size_t right_slot = add_shard(new_child_shard(
          right, {boundary, current.range.ending_hash_key}, now_ms, current.index));
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
        if (parent->added) plan.added[parent->added_slot].closed_ms = now_ms;
        else plan.closing.push_back(parent->index);
      }
      const uint32_t index = next_index++;
      const size_t slot = add_shard(new_child_shard(
          index, {merged.range.starting_hash_key, pieces[i].range.ending_hash_key}, now_ms,
          merged.index, pieces[i].index));
      merged = {index, plan.added[slot].hash_range, true, slot};
    }
  }
  return plan;
}

}  // namespace trib::kinesis
