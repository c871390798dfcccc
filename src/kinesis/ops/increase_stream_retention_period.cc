// IncreaseStreamRetentionPeriod: up to 8760 hours; never below the current period.
#include "kinesis/operations.h"
#include "kinesis/stream_settings.h"

namespace trib::kinesis::ops {

Output increase_stream_retention_period(KinesisContext& ctx, const aws::RequestContext& request,
                                        const Input& input) {
  return change_retention_period(ctx, request, input, RetentionChange::kIncrease);
}

}  // namespace trib::kinesis::ops
