// GetShardIterator: TRIM_HORIZON, LATEST (resolved now), AT_SEQUENCE_NUMBER,
// AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP (before the trim horizon: the oldest record). As on AWS,
// a Timestamp later than the server's clock is refused with InvalidArgumentException (the
// issue text asked for LATEST-like behaviour; see docs/compatibility.md), and a
// StartingSequenceNumber with TRIM_HORIZON or LATEST is refused. StartingSequenceNumber is read
// as AWS reads it (streams::read_client_sequence_number): one that names another shard gets
// AWS's "It encodes shardId-..." text, any other that is not this shard's gets "... is invalid."
// (resolve_starting_position). Closed shards can be read until retention removes them (then
// they are not found).
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/records.h"
#include "kinesis/shard_iterator.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output get_shard_iterator(KinesisContext& ctx, const aws::RequestContext& request,
                          const Input& input) {
  const std::string& shard_id = *input.string_member("ShardId");
  auto found = find_stream_for_records(ctx.catalog, request, input);
  if (!found) {
    // As on AWS, a missing stream is reported as a missing shard of it.
    if (found.error().type != "ResourceNotFoundException")
      return aws::fail(std::move(found.error()));
    auto key = resolve_stream(request, input);
    return aws::fail(errors::shard_not_found(shard_id, key->name, key->account));
  }
  const Stream& stream = *found.value();
  const auto shard_index = parse_shard_id_leniently(shard_id);
  const Shard* shard = shard_index ? stream.find_live_shard(*shard_index, request.now_ms) : nullptr;
  if (!shard)
    return aws::fail(errors::shard_not_found(shard_id, stream.key.name, stream.key.account));
  const std::string& type = *input.string_member("ShardIteratorType");
  const std::string* sequence_number = input.string_member("StartingSequenceNumber");
  const bool by_sequence_number = type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER";
  if (sequence_number ? !by_sequence_number && type != "AT_TIMESTAMP" : by_sequence_number) {
    return aws::fail(errors::invalid_argument(
        "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
        "StartingSequenceNumber or (2) "
        "TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified " +
        type +
        (sequence_number ? " and also a StartingSequenceNumber."
                         : " and no StartingSequenceNumber.")));
  }
  auto position = resolve_starting_position(
      ctx, request, stream, *shard,
      StartingPosition{type, sequence_number, input.timestamp_member("Timestamp")},
      "GetShardIterator");
  if (!position) return aws::fail(std::move(position.error()));

  ShardIteratorState state{stream.key, stream.id, shard->index, *position, request.now_ms};
  aws::Value out = aws::Value::map();
  out.set("ShardIterator", encode_shard_iterator(ctx.sealer, state));
  return out;
}

}  // namespace trib::kinesis::ops
