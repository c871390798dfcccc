// UpdateStreamMode: PROVISIONED <-> ON_DEMAND. The stream keeps its shards, is UPDATING for
// --update-stream-ms, then ACTIVE, and must be ACTIVE to start. Switching to ON_DEMAND counts
// against --on-demand-stream-limit (LimitExceededException). WarmThroughputMiBps is kept for an
// ON_DEMAND target; switching to PROVISIONED drops warm throughput.
// Differences from AWS: asking for the mode the stream already has succeeds without change (not
// captured); the LimitExceededException text is ours.
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output update_stream_mode(KinesisContext& ctx, const aws::RequestContext& request,
                          const Input& input) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  const std::string& mode = *input.find("StreamModeDetails")->string_member("StreamMode");
  const auto warm_throughput_target = input.int_member("WarmThroughputMiBps");
  auto updated =
      ctx.catalog.update(*key, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
        const StreamStatus status = stream.status(request.now_ms);
        if (status != StreamStatus::kActive) {
          return aws::fail(errors::stream_not_active(key->name, key->account, status_name(status)));
        }
        if (stream.mode == mode) return Ok{};
        if (mode == "ON_DEMAND") {
          const int64_t on_demand =
              ctx.catalog.on_demand_stream_count(key->account, key->region, request.now_ms);
          if (on_demand + 1 > ctx.options.on_demand_stream_limit) {
            return aws::fail(errors::on_demand_stream_limit_exceeded(
                key->account, key->region, on_demand, ctx.options.on_demand_stream_limit));
          }
          if (warm_throughput_target) {
            stream.previous_warm_throughput_mibps = 0;
            stream.warm_throughput_mibps = *warm_throughput_target;
          }
        } else {
          stream.warm_throughput_mibps.reset();
          stream.previous_warm_throughput_mibps.reset();
        }
        stream.mode = mode;
        stream.start_update(request.now_ms, ctx.options.update_stream_ms);
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
