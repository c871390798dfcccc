// IncreaseStreamRetentionPeriod: up to 8760 hours; never below the current period.
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output increase_stream_retention_period(KinesisContext& ctx, const aws::RequestContext& request,
                                        const Input& input) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  const int64_t hours = *input.int_member("RetentionPeriodHours");
  auto updated = ctx.catalog.update(*key, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
    const StreamStatus status = stream.status(request.now_ms);
    if (status != StreamStatus::kActive) {
      return aws::fail(errors::stream_not_active(key->name, key->account, status_name(status)));
    }
    if (hours < 24) {
      return aws::fail(errors::invalid_argument("Minimum allowed retention period is 24 hours. Requested retention period (" +
                                                std::to_string(hours) + " hours) is too short."));
    }
    if (hours > 8760) {
      return aws::fail(errors::invalid_argument("Maximum allowed retention period is 8760 hours. Requested retention period (" +
                                                std::to_string(hours) + " hours) is too long."));
    }
    if (hours < stream.retention_hours) {
      return aws::fail(errors::invalid_argument(
          "Requested retention period (" + std::to_string(hours) + " hours) for stream " + key->name +
          " can not be shorter than existing retention period (" + std::to_string(stream.retention_hours) +
          " hours). Use DecreaseRetentionPeriod API."));
    }
    // What has expired under the old period stays expired.
    stream.expired_before_ms = stream.retention_cutoff_ms(request.now_ms);
    stream.retention_hours = static_cast<int32_t>(hours);
    return Ok{};
  });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
