#include "kinesis/output.h"

namespace trib::kinesis {

aws::Value warm_throughput(const Stream& stream, int64_t now_ms) {
  const int64_t target = stream.warm_throughput_mibps.value_or(0);
  const bool updating = stream.status(now_ms) == StreamStatus::kUpdating;
  aws::Value out = aws::Value::map();
  out.set("TargetMiBps", target);
  out.set("CurrentMiBps",
          updating ? stream.previous_warm_throughput_mibps.value_or(target) : target);
  return out;
}

aws::Value billing_commitment(const AccountSettings& settings) {
  aws::Value out = aws::Value::map();
  out.set("Status", settings.commitment_status);
  if (settings.started_ms) out.set("StartedAt", aws::Timestamp{*settings.started_ms});
  if (settings.ended_ms) out.set("EndedAt", aws::Timestamp{*settings.ended_ms});
  if (settings.earliest_end_ms) {
    out.set("EarliestAllowedEndAt", aws::Timestamp{*settings.earliest_end_ms});
  }
  return out;
}

}  // namespace trib::kinesis
