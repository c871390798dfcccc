// StopStreamEncryption: EncryptionType back to NONE (KeyId dropped); the stream is UPDATING for
// --encryption-ms, then ACTIVE. EncryptionType must be KMS and KeyId well-formed, as for
// StartStreamEncryption.
// Differences from AWS: the KeyId is not compared with the stream's key, and stopping on a stream
// that is not encrypted succeeds (AWS's answer there was not captured).
#include "kinesis/operations.h"
#include "kinesis/stream_settings.h"

namespace trib::kinesis::ops {

Output stop_stream_encryption(KinesisContext& ctx, const aws::RequestContext& request,
                              const Input& input) {
  return set_stream_encryption(ctx, request, input, /*encrypt=*/false);
}

}  // namespace trib::kinesis::ops
