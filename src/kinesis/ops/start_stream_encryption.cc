// StartStreamEncryption: records EncryptionType KMS and the KeyId; the stream is UPDATING for
// --encryption-ms, then ACTIVE. Records stay readable and writable throughout, and
// PutRecord(s)/GetRecords report EncryptionType KMS from then on.
// Differences from AWS: no KMS is consulted, so the KMS* errors never occur; a KeyId is checked
// for form only (key id UUID, alias/NAME, key ARN, alias ARN). The texts for a malformed KeyId
// and for EncryptionType NONE are not captured from AWS.
#include "kinesis/operations.h"
#include "kinesis/stream_settings.h"

namespace trib::kinesis::ops {

Output start_stream_encryption(KinesisContext& ctx, const aws::RequestContext& request,
                               const Input& input) {
  return set_stream_encryption(ctx, request, input, /*encrypt=*/true);
}

}  // namespace trib::kinesis::ops
