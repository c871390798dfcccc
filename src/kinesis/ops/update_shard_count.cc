// UpdateShardCount (UNIFORM_SCALING): reshapes the open shards into TargetShardCount even
// ranges by splits and merges of single shards, as AWS does, so every new shard has at most
// two parents and the short-lived shards in between appear (closed) in DescribeStream and
// ListShards. AWS's default limits apply, with the per-stream cap and the daily count
// configurable: at most double and at least half the current open shards, at most
// --max-shards-per-stream, the account's --shard-limit, --shard-count-updates-per-day calls per
// stream in any 24 hours. PROVISIONED streams only. A target equal to the current count
// succeeds without change. Texts are ours where AWS's were not captured (docs/compatibility.md).
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/reshard.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

namespace {
constexpr int64_t kDayMs = 24 * 3'600'000;
}

Output update_shard_count(KinesisContext& ctx, const aws::RequestContext& request,
                          const Input& input) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  const int64_t target = *input.int_member("TargetShardCount");
  int64_t current = 0;
  bool unchanged = false;

  auto planner = [&](const Stream& stream) -> aws::AwsResult<ReshardPlan> {
    if (stream.mode == "ON_DEMAND") {
      return aws::fail(errors::reshard_on_demand("UpdateShardCount", stream.key.name));
    }
    current = stream.open_shard_count();
    if (target > 2 * current) return aws::fail(errors::shard_count_over_double(current, target));
    if (2 * target < current) return aws::fail(errors::shard_count_below_half(current, target));
    if (target > ctx.options.max_shards_per_stream) {
      return aws::fail(errors::shard_count_over_stream_limit(stream.key.name, target,
                                                             ctx.options.max_shards_per_stream));
    }
    int64_t recent = 0;
    for (int64_t at : stream.shard_count_updates_ms) recent += at > request.now_ms - kDayMs;
    if (recent >= ctx.options.shard_count_updates_per_day) {
      return aws::fail(errors::too_many_shard_count_updates(
          stream.key.name, stream.key.account, ctx.options.shard_count_updates_per_day));
    }
    unchanged = target == current;
    if (unchanged) return ReshardPlan{};
    return streams::plan_uniform_scaling(stream.shards, stream.next_shard_index(),
                                         static_cast<uint32_t>(target), request.now_ms);
  };
  auto record_update = [&](Stream& stream) -> aws::AwsResult<Ok> {
    if (unchanged) return Ok{};
    auto& times = stream.shard_count_updates_ms;
    std::erase_if(times, [&](int64_t at) { return at <= request.now_ms - kDayMs; });
    times.push_back(request.now_ms);
    return Ok{};
  };
  auto updated = apply_reshard(ctx, request, *key, planner, record_update);
  if (!updated) return aws::fail(std::move(updated.error()));

  aws::Value out = aws::Value::map();
  out.set("StreamName", key->name);
  out.set("CurrentShardCount", current);
  out.set("TargetShardCount", target);
  out.set("StreamARN", updated.value()->arn());
  return out;
}

}  // namespace trib::kinesis::ops
