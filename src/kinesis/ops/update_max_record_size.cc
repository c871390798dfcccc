// UpdateMaxRecordSize: the largest record Data PutRecord(s) accept, 1024..10240 KiB (the range
// is the model's, checked before this runs). The new limit applies at once; the stream is
// UPDATING for --update-stream-ms, then ACTIVE, and must be ACTIVE to start.
// Differences from AWS: whether AWS shows UPDATING for this change was not captured.
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output update_max_record_size(KinesisContext& ctx, const aws::RequestContext& request,
                              const Input& input) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  const int64_t size_kib = *input.int_member("MaxRecordSizeInKiB");
  auto updated =
      ctx.catalog.update(*key, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
        const StreamStatus status = stream.status(request.now_ms);
        if (status != StreamStatus::kActive) {
          return aws::fail(errors::stream_not_active(key->name, key->account, status_name(status)));
        }
        stream.max_record_size_kib = size_kib;
        stream.start_update(request.now_ms, ctx.options.update_stream_ms);
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
