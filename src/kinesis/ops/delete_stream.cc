// DeleteStream: the stream is DELETING for --delete-stream-ms, then gone (its records are
// purged in the background). Deleting a CREATING stream is allowed, as on AWS; deleting a
// stream that is already DELETING succeeds without changing its schedule.
// EnforceConsumerDeletion is accepted; consumers arrive with the control-plane issue.
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output delete_stream(KinesisContext& ctx, const aws::RequestContext& request, const Input& input) {
  auto key = resolve_stream(request, input);
  if (!key) return aws::fail(std::move(key.error()));
  auto updated =
      ctx.catalog.update(*key, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
        if (!stream.deleting_since_ms) {
          stream.deleting_since_ms = request.now_ms;
          stream.gone_at_ms = request.now_ms + ctx.options.delete_stream_ms;
        }
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
