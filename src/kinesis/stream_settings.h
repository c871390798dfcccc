// Mirror-image operations share one implementation here, so their checks cannot drift apart:
// Increase/DecreaseStreamRetentionPeriod and Start/StopStreamEncryption.
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

}  // namespace trib::kinesis
