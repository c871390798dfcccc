// UpdateAccountSettings: the minimum throughput billing commitment of the caller's account and
// region. Enabling starts a commitment of at least 24 hours (StartedAt, EarliestAllowedEndAt);
// disabling before EarliestAllowedEndAt schedules the end for then
// (ENABLED_UNTIL_EARLIEST_ALLOWED_END, which enabling again cancels); disabling later ends it at
// once (EndedAt). Repeating the current status changes nothing. Nothing is billed.
// Differences from AWS: the "certain restrictions" AWS documents for early changes are only the
// scheduling above; no error is raised.
#include "kinesis/operations.h"
#include "kinesis/output.h"

namespace trib::kinesis::ops {

namespace {
constexpr int64_t kMinimumCommitmentMs = 24 * 3'600'000LL;
}  // namespace

Output update_account_settings(KinesisContext& ctx, const aws::RequestContext& request,
                               const Input& input) {
  const std::string& wanted =
      *input.find("MinimumThroughputBillingCommitment")->string_member("Status");
  auto updated = ctx.catalog.update_account_settings(
      request.account, request.region, [&](AccountSettings& settings) -> aws::AwsResult<Ok> {
        settings = settings.effective_at(request.now_ms);
        const std::string& status = settings.commitment_status;
        if (wanted == "ENABLED") {
          if (status == "DISABLED") {
            settings.started_ms = request.now_ms;
            settings.earliest_end_ms = request.now_ms + kMinimumCommitmentMs;
          }
          settings.ended_ms.reset();
          settings.commitment_status = "ENABLED";
        } else if (status == "ENABLED") {
          if (settings.earliest_end_ms && request.now_ms < *settings.earliest_end_ms) {
            settings.commitment_status = "ENABLED_UNTIL_EARLIEST_ALLOWED_END";
          } else {
            settings.commitment_status = "DISABLED";
            settings.ended_ms = request.now_ms;
          }
        }
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  aws::Value out = aws::Value::map();
  out.set("MinimumThroughputBillingCommitment", billing_commitment(*updated));
  return out;
}

}  // namespace trib::kinesis::ops
