#include "kinesis/reshard.h"

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

}  // namespace trib::kinesis
