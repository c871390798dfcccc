// ListStreams: the account's streams in this region (one table's with TableName), disabled ones
// included until they are gone ([P, AWS-checked] facts §6), in (table name, label) order;
// Limit 1 to 100 (default 100), ExclusiveStartStreamArn exclusive, LastEvaluatedStreamArn the
// last ARN returned when more remain (absent on the last page). The cursor is a position, so
// paging survives the deletion of the stream it names.
#include "dynamodb_streams/operations.h"

namespace trib::dynamodb_streams::ops {

Output list_streams(StreamsContext& ctx, const aws::RequestContext& request, const Input& input) {
  if (auto bad = check_limit(ctx, input, 100)) return aws::fail(std::move(*bad));
  const size_t limit = static_cast<size_t>(input.int_member("Limit").value_or(100));
  const std::string* table = input.string_member("TableName");
  std::optional<StreamKey> start;
  if (const std::string* arn = input.string_member("ExclusiveStartStreamArn")) {
    start = parse_stream_arn(*arn);
    if (!start) {
      aws::Value value{*arn};
      return aws::fail(invalid_member(ctx, "ExclusiveStartStreamArn", &value,
                                      "Invalid ExclusiveStartStreamArn"));  // text [U]
    }
  }
  auto streams =
      ctx.streams.list(request.account, request.region, table ? *table : "", request.now_ms);
  aws::Value list = aws::Value::list();
  std::string last;
  size_t count = 0;
  bool more = false;
  for (const auto& stream : streams) {
    if (start && !(*start < stream->key)) continue;
    if (count == limit) {
      more = true;
      break;
    }
    aws::Value entry = aws::Value::map();
    last = stream->arn();
    entry.set("StreamArn", last);
    entry.set("TableName", stream->key.table);
    entry.set("StreamLabel", stream->label());
    list.push(std::move(entry));
    ++count;
  }
  aws::Value out = aws::Value::map();
  out.set("Streams", std::move(list));
  if (more) out.set("LastEvaluatedStreamArn", last);
  return out;
}

}  // namespace trib::dynamodb_streams::ops
