// GetRecords: up to Limit (1 to 1000, default 1000) records and about 1 MB from the iterator's
// position, in AWS's record format (change_record.h). NextShardIterator on an open shard always;
// absent at the end of a closed one ([P, AWS-checked] facts §9). An iterator older than 15
// minutes is ExpiredIteratorException, one whose position was trimmed is
// TrimmedDataAccessException, a malformed or forged one a ValidationException ([P]).
#include "dynamodb/errors.h"
#include "dynamodb_streams/operations.h"

namespace trib::dynamodb_streams::ops {

namespace {
constexpr size_t kMaxResponseBytes = 1 << 20;  // [V] §9
}  // namespace

Output get_records(StreamsContext& ctx, const aws::RequestContext& request, const Input& input) {
  if (auto bad = check_limit(ctx, input, 1000)) return aws::fail(std::move(*bad));
  const size_t limit = static_cast<size_t>(input.int_member("Limit").value_or(1000));
  const std::string& token = *input.string_member("ShardIterator");
  auto iterator = decode_shard_iterator(ctx.sealer, token);
  if (!iterator || iterator->stream.account != request.account ||
      iterator->stream.region != request.region) {
    aws::Value value{token};
    return aws::fail(invalid_member(ctx, "ShardIterator", &value,  // text [U]
                                    "Member must be a valid shard iterator"));
  }
  const int64_t now = request.now_ms;
  if (streams::iterator_expired(kShardIteratorFormat, iterator->created_ms, now)) {
    // [V] the model's text (wire text [U], facts §14).
    return aws::fail(dynamodb::error(dynamodb::Error::kExpiredIterator,
                                     "The provided iterator exceeds the maximum age allowed."));
  }
  auto stream = ctx.streams.find(iterator->stream, now);
  if (!stream || stream->table_id != iterator->table_id) {
    return aws::fail(stream_not_found(token.substr(0, token.find('|'))));
  }
  uint64_t trimmed = 0;
  if (!ctx.streams.trim_position(*stream, iterator->shard, &trimmed).is_ok()) {
    return aws::fail(internal_error());
  }
  if (!stream->shard_visible(iterator->shard, now) || iterator->n < trimmed) {
    return aws::fail(trimmed_data());
  }
  TableStreams::Page page;
  if (auto status = ctx.streams.read(*stream, iterator->shard, iterator->n, limit,
                                     kMaxResponseBytes, now, &page);
      !status.is_ok()) {
    return aws::fail(internal_error());
  }
  auto records = records_to_wire(*stream, iterator->shard, std::move(page.records), request.region);
  if (!records) return aws::fail(internal_error());
  aws::Value out = aws::Value::map();
  out.set("Records", std::move(*records));
  if (!page.shard_ended) {
    ShardIterator next = *iterator;
    next.n = page.next_n;
    next.created_ms = now;
    out.set("NextShardIterator", encode_shard_iterator(ctx.sealer, *stream, next));
  }
  return out;
}

}  // namespace trib::dynamodb_streams::ops
