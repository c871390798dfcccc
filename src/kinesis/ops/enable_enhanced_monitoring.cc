// EnableEnhancedMonitoring: adds shard-level metrics ("ALL" means every one); see
// kinesis/stream_settings.h. No metrics are published anywhere.
#include "kinesis/operations.h"
#include "kinesis/stream_settings.h"

namespace trib::kinesis::ops {

Output enable_enhanced_monitoring(KinesisContext& ctx, const aws::RequestContext& request,
                                  const Input& input) {
  return change_enhanced_monitoring(ctx, request, input, /*enable=*/true);
}

}  // namespace trib::kinesis::ops
