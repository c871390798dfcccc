// UpdateStreamWarmThroughput: sets an ON_DEMAND stream's warm throughput target (MiB/s). The
// stream is UPDATING for --update-stream-ms, then ACTIVE; meanwhile CurrentMiBps is the previous
// target. DescribeStreamSummary shows the same WarmThroughput structure. Nothing is throttled.
// Differences from AWS: a PROVISIONED stream is refused with InvalidArgumentException (text
// ours; AWS documents warm throughput for on-demand streams only).
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/output.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output update_stream_warm_throughput(KinesisContext& ctx, const aws::RequestContext& request,
                                     const Input& input) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  const int64_t target = *input.int_member("WarmThroughputMiBps");
  int64_t previous = 0;
  auto updated =
      ctx.catalog.update(*key, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
        const StreamStatus status = stream.status(request.now_ms);
        if (status != StreamStatus::kActive) {
          return aws::fail(errors::stream_not_active(key->name, key->account, status_name(status)));
        }
        if (stream.mode != "ON_DEMAND") {
          return aws::fail(errors::warm_throughput_needs_on_demand(key->name));
        }
        previous = stream.warm_throughput_mibps.value_or(0);
        stream.previous_warm_throughput_mibps = previous;
        stream.warm_throughput_mibps = target;
        stream.start_update(request.now_ms, ctx.options.update_stream_ms);
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  aws::Value out = aws::Value::map();
  out.set("StreamARN", stream_arn(*key));
  out.set("StreamName", key->name);
  out.set("WarmThroughput", warm_throughput(**updated, request.now_ms));
  return out;
}

}  // namespace trib::kinesis::ops
