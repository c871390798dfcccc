// Mirror-image operations share one implementation here, so their checks cannot drift apart:
// Increase/DecreaseStreamRetentionPeriod, Start/StopStreamEncryption and
// Enable/DisableEnhancedMonitoring.
#pragma once

#include "kinesis/context.h"

namespace trib::kinesis {

enum class RetentionChange : uint8_t { kIncrease, kDecrease };
// Checks (in AWS's order): stream exists, ACTIVE, 24..8760 hours, direction. An increase keeps
// whatever had already expired expired.
Output change_retention_period(KinesisContext& ctx, const aws::RequestContext& request,
                               const Input& input, RetentionChange change);

// Checks (in this order): stream exists, EncryptionType KMS, KeyId well-formed, ACTIVE; then the
// stream is UPDATING for --encryption-ms.
Output set_stream_encryption(KinesisContext& ctx, const aws::RequestContext& request,
                             const Input& input, bool encrypt);

// Adds (enable) or removes the requested shard-level metrics ("ALL" means every one). Answers
// the metrics before (CurrentShardLevelMetrics) and after (DesiredShardLevelMetrics) the change,
// in the model's order. Takes effect at once; the stream must be ACTIVE.
Output change_enhanced_monitoring(KinesisContext& ctx, const aws::RequestContext& request,
                                  const Input& input, bool enable);

}  // namespace trib::kinesis
