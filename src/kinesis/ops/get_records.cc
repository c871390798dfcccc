// GetRecords: reads from the iterator's position by seek, at most Limit records (default
// 10000) and 10 MiB, skipping records past retention; always a fresh NextShardIterator on an
// open shard; MillisBehindLatest is 0 when the reader is at the tip. At the end of a closed
// shard: no NextShardIterator, and ChildShards.
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/records.h"
#include "kinesis/shard_iterator.h"

namespace trib::kinesis::ops {

namespace {
constexpr size_t kMaxResponseBytes = 10 * 1024 * 1024;
}

Output get_records(KinesisContext& ctx, const aws::RequestContext& request, const Input& input) {
  auto state = decode_shard_iterator(ctx.sealer, *input.string_member("ShardIterator"));
  if (!state) return aws::fail(errors::invalid_shard_iterator());
  if (streams::iterator_expired(kShardIteratorFormat, state->created_ms, request.now_ms)) {
    return aws::fail(errors::expired_iterator(state->created_ms, request.now_ms));
  }
  // An iterator outlives neither its stream nor its stream's incarnation: a re-created stream
  // of the same name is another stream. AWS words this as a missing shard.
  auto stream = ctx.catalog.find(state->stream, request.now_ms);
  if (!stream || stream->id != state->stream_id || !stream->accepts_records(request.now_ms)) {
    return aws::fail(errors::shard_not_found(shard_id_for(state->shard_index), state->stream.name,
                                             state->stream.account));
  }
  const Shard* shard = stream->find_live_shard(state->shard_index, request.now_ms);
  if (!shard) {
    return aws::fail(errors::shard_not_found(shard_id_for(state->shard_index), stream->key.name,
                                             stream->key.account));
  }

  const size_t limit = static_cast<size_t>(input.int_member("Limit").value_or(10000));
  const int64_t not_before = stream->retention_cutoff_ms(request.now_ms);
  streams::ReadResult read;
  auto status = ctx.records.read({stream->id, shard->index}, state->position, not_before, limit,
                                 kMaxResponseBytes, &read);
  if (!status.is_ok()) return aws::fail(aws::errors::internal_failure());
  ctx.records.note_read_age({stream->id, shard->index},
                            streams::iterator_age_ms(read, request.now_ms));

  aws::Value records = aws::Value::list();
  int64_t behind = 0;
  if (!read.reached_end && !read.records.empty()) {
    behind = std::max<int64_t>(0, read.latest_arrival_ms - read.records.back().arrival_ms);
  }
  records.as_list().reserve(read.records.size());
  for (auto& record : read.records) records.push(record_value(*stream, *shard, std::move(record)));
  aws::Value out = aws::Value::map();
  // The end of a closed shard: no NextShardIterator, and the children to read next. (A read
  // that returns the shard's last records still gets an iterator; the next read ends it.)
  const bool shard_ended = shard->closed_ms && read.reached_end && read.records.empty();
  out.set("Records", std::move(records));
  if (shard_ended) {
    out.set("MillisBehindLatest", behind);
    out.set("ChildShards", child_shards_value(*stream, *shard));
    return out;
  }
  ShardIteratorState next = *state;
  next.position = read.next_position;
  next.created_ms = request.now_ms;
  out.set("NextShardIterator", encode_shard_iterator(ctx.sealer, next));
  out.set("MillisBehindLatest", behind);
  return out;
}

}  // namespace trib::kinesis::ops
