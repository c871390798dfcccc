// DecreaseStreamRetentionPeriod: down to 24 hours; never above the current period. Records
// older than the new period stop being returned at once and are deleted in the background.
#include "kinesis/operations.h"
#include "kinesis/stream_settings.h"

namespace trib::kinesis::ops {

Output decrease_stream_retention_period(KinesisContext& ctx, const aws::RequestContext& request,
                                        const Input& input) {
  return change_retention_period(ctx, request, input, RetentionChange::kDecrease);
}

}  // namespace trib::kinesis::ops
