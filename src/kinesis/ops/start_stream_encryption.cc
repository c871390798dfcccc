// StartStreamEncryption: records EncryptionType KMS and the KeyId; the stream is UPDATING for
// --update-stream-ms, then ACTIVE. Records stay readable and writable throughout, and
// PutRecord(s)/GetRecords report EncryptionType KMS from then on.
// Differences from AWS: no KMS is consulted, so the KMS* errors never occur; a KeyId is checked
// for form only (key id UUID, alias/NAME, key ARN, alias ARN). The texts for a malformed KeyId
// and for EncryptionType NONE are not captured from AWS.
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output start_stream_encryption(KinesisContext& ctx, const aws::RequestContext& request,
                               const Input& input) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  const std::string& encryption_type = *input.string_member("EncryptionType");
  const std::string& key_id = *input.string_member("KeyId");
  auto updated =
      ctx.catalog.update(*key, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
        if (encryption_type != "KMS") return aws::fail(errors::encryption_type_not_kms());
        switch (key_id_problem(key_id)) {
          case KeyIdProblem::kMalformedArn:
            return aws::fail(errors::malformed_key_arn());
          case KeyIdProblem::kMalformedId:
            return aws::fail(errors::malformed_key_id());
          case KeyIdProblem::kNone:
            break;
        }
        const StreamStatus status = stream.status(request.now_ms);
        if (status != StreamStatus::kActive) {
          return aws::fail(errors::stream_not_active(key->name, key->account, status_name(status)));
        }
        stream.encryption_type = "KMS";
        stream.key_id = key_id;
        stream.start_update(request.now_ms, ctx.options.update_stream_ms);
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
