// DisableEnhancedMonitoring: removes shard-level metrics ("ALL" removes every one); see
// kinesis/stream_settings.h.
#include "kinesis/operations.h"
#include "kinesis/stream_settings.h"

namespace trib::kinesis::ops {

Output disable_enhanced_monitoring(KinesisContext& ctx, const aws::RequestContext& request,
                                   const Input& input) {
  return change_enhanced_monitoring(ctx, request, input, /*enable=*/false);
}

}  // namespace trib::kinesis::ops
