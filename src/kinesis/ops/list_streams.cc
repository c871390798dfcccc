// ListStreams: stream names of the caller's account and region in name order, with
// StreamSummaries. Limit defaults to 100 and, as on AWS, at most 100 are returned per call.
// Pagination by ExclusiveStartStreamName or NextToken (not both).
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/pagination.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output list_streams(KinesisContext& ctx, const aws::RequestContext& request, const Input& input) {
  const int64_t limit = std::min<int64_t>(input.int_member("Limit").value_or(100), 100);
  const std::string* exclusive_start = input.string_member("ExclusiveStartStreamName");
  const std::string* next_token = input.string_member("NextToken");
  if (next_token && exclusive_start) {
    return aws::fail(errors::invalid_argument(
        "NextToken and ExclusiveStartStreamName cannot be provided together."));
  }
  std::string start_after = exclusive_start ? *exclusive_start : std::string();
  if (next_token) {
    auto fields = open_next_token(ctx.sealer, request, "ListStreams", *next_token);
    if (!fields) return aws::fail(std::move(fields.error()));
    if (fields->size() != 1) return aws::fail(errors::invalid_argument("Invalid NextToken."));
    start_after = (*fields)[0];
  }

  aws::Value names = aws::Value::list();
  aws::Value summaries = aws::Value::list();
  bool has_more = false;
  int64_t listed = 0;
  std::string last_name;
  for (const auto& stream : ctx.catalog.list(request.account, request.region, request.now_ms)) {
    if ((exclusive_start || next_token) && stream->key.name <= start_after) continue;
    if (listed == limit) {
      has_more = true;
      break;
    }
    names.push(stream->key.name);
    aws::Value summary = aws::Value::map();
    summary.set("StreamName", stream->key.name);
    summary.set("StreamARN", stream->arn());
    summary.set("StreamStatus", status_name(stream->status(request.now_ms)));
    summary.set("StreamModeDetails", stream_mode_details(*stream));
    summary.set("StreamCreationTimestamp", aws::Timestamp{stream->created_ms});
    summaries.push(std::move(summary));
    last_name = stream->key.name;
    ++listed;
  }
  aws::Value out = aws::Value::map();
  out.set("StreamNames", std::move(names));
  out.set("HasMoreStreams", has_more);
  if (has_more)
    out.set("NextToken", make_next_token(ctx.sealer, request, "ListStreams", {last_name}));
  out.set("StreamSummaries", std::move(summaries));
  return out;
}

}  // namespace trib::kinesis::ops
