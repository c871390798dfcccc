// CreateStream: PROVISIONED with ShardCount, or ON_DEMAND (4 shards, configurable). The stream
// is CREATING for --create-stream-ms, then ACTIVE.
// ON_DEMAND streams count against --on-demand-stream-limit (LimitExceededException, text ours).
// MaxRecordSizeInKiB and, for ON_DEMAND, WarmThroughputMiBps are stored as given.
// The shards' creation time, which their sequence numbers encode, is 4 s before the call: AWS's
// numbers encode a second 2-7 s before its CreateStream response (issue 9, point 8).
// Differences from AWS: PROVISIONED without ShardCount is refused with InvalidArgumentException
// (AWS's exact text for this case is not known to us; see docs/compatibility.md).
#include "kinesis/errors.h"
#include "kinesis/operations.h"

namespace trib::kinesis::ops {

namespace {
constexpr int64_t kShardCreatedBeforeCallMs = 4000;
}

Output create_stream(KinesisContext& ctx, const aws::RequestContext& request, const Input& input) {
  const std::string& name = *input.string_member("StreamName");
  std::string mode = "PROVISIONED";
  if (const aws::Value* details = input.find("StreamModeDetails")) {
    if (const std::string* m = details->string_member("StreamMode")) mode = *m;
  }
  const auto requested = input.int_member("ShardCount");
  int64_t shard_count = 0;
  if (mode == "ON_DEMAND") {
    if (requested)
      return aws::fail(
          errors::invalid_argument("ShardCount is not expected when StreamMode=ON_DEMAND"));
    shard_count = ctx.options.on_demand_shard_count;
  } else {
    if (!requested)
      return aws::fail(
          errors::invalid_argument("ShardCount is required when StreamMode=PROVISIONED"));
    shard_count = *requested;
  }

  Stream stream;
  stream.key = StreamKey{request.account, request.region, name};
  stream.mode = mode;
  stream.created_ms = request.now_ms;
  stream.active_at_ms = request.now_ms + ctx.options.create_stream_ms;
  if (const auto size_kib = input.int_member("MaxRecordSizeInKiB")) {
    stream.max_record_size_kib = *size_kib;
  }
  if (const auto warm = input.int_member("WarmThroughputMiBps"); warm && mode == "ON_DEMAND") {
    stream.warm_throughput_mibps = *warm;
  }
  if (const aws::Value* tags = input.find("Tags")) {
    for (const auto& [key, value] : tags->as_map()) {
      stream.tags.emplace_back(key, value.is_string() ? value.as_string() : std::string());
    }
  }

  auto admit = [&](const StreamCatalog& catalog) -> aws::AwsResult<Ok> {
    if (mode == "ON_DEMAND") {
      const int64_t on_demand =
          catalog.on_demand_stream_count(request.account, request.region, request.now_ms);
      if (on_demand + 1 > ctx.options.on_demand_stream_limit) {
        return aws::fail(errors::on_demand_stream_limit_exceeded(
            request.account, request.region, on_demand, ctx.options.on_demand_stream_limit));
      }
    }
    const int64_t current =
        catalog.open_shard_count(request.account, request.region, request.now_ms);
    if (current + shard_count > ctx.options.shard_limit) {
      return aws::fail(errors::shard_limit_exceeded(request.account, request.region, current,
                                                    ctx.options.shard_limit, shard_count));
    }
    return Ok{};
  };
  // Only build the shards once the request is admitted: a huge ShardCount is refused cheaply.
  if (shard_count > ctx.options.shard_limit) {
    auto refused = admit(ctx.catalog);
    if (!refused) return aws::fail(std::move(refused.error()));
  }
  const auto ranges = streams::split_hash_space(static_cast<uint32_t>(shard_count));
  stream.shards.reserve(ranges.size());
  for (uint32_t i = 0; i < ranges.size(); ++i) {
    Shard shard;
    shard.index = i;
    shard.hash_range = ranges[i];
    shard.created_ms = request.now_ms - kShardCreatedBeforeCallMs;
    stream.shards.push_back(shard);
  }
  auto created = ctx.catalog.create(std::move(stream), request.now_ms, admit);
  if (!created) return aws::fail(std::move(created.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
