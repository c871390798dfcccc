// GetShardIterator: TRIM_HORIZON, LATEST (resolved now), AT_SEQUENCE_NUMBER,
// AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP (before the trim horizon: the oldest record). As on AWS,
// a Timestamp later than the server's clock is refused with InvalidArgumentException (the
// issue text asked for LATEST-like behaviour; see docs/compatibility.md), and a
// StartingSequenceNumber with TRIM_HORIZON or LATEST is refused. A sequence number of another
// shard or another stream incarnation is an InvalidArgumentException.
#include "kinesis/errors.h"
#include "kinesis/operations.h"
#include "kinesis/records.h"
#include "kinesis/shard_iterator.h"
#include "kinesis/stream_ref.h"

namespace trib::kinesis::ops {

Output get_shard_iterator(KinesisContext& ctx, const aws::RequestContext& request, const Input& input) {
  const std::string& shard_id = *input.string_member("ShardId");
  auto found = find_stream_for_records(ctx.catalog, request, input);
  if (!found) {
    // As on AWS, a missing stream is reported as a missing shard of it.
    if (found.error().type != "ResourceNotFoundException") return aws::fail(std::move(found.error()));
    auto key = resolve_stream(request, input);
    return aws::fail(errors::shard_not_found(shard_id, key->name, key->account));
  }
  const Stream& stream = *found.value();
  const auto shard_index = parse_shard_id_leniently(shard_id);
  const Shard* shard = shard_index ? stream.find_shard(*shard_index) : nullptr;
  if (!shard) return aws::fail(errors::shard_not_found(shard_id, stream.key.name, stream.key.account));
  const std::string& type = *input.string_member("ShardIteratorType");
  const std::string* sequence_number = input.string_member("StartingSequenceNumber");
  const auto timestamp = input.timestamp_member("Timestamp");
  if (sequence_number && (type == "TRIM_HORIZON" || type == "LATEST")) {
    return aws::fail(errors::invalid_argument(
        "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) "
        "TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified " + type +
        " and also a StartingSequenceNumber."));
  }
  const streams::ShardRef ref{stream.id, shard->index};

  uint64_t position = 0;
  if (type == "TRIM_HORIZON") {
    position = 0;  // reads skip whatever retention already removed
  } else if (type == "LATEST") {
    position = ctx.records.next_position(ref);
  } else if (type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER") {
    if (!sequence_number) {
      return aws::fail(errors::invalid_argument(
          "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) "
          "TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified " + type +
          " and no StartingSequenceNumber."));
    }
    auto target = decode_sequence_number(*sequence_number);
    if (!target) {
      return aws::fail(errors::invalid_argument("StartingSequenceNumber " + *sequence_number +
                                                " used in GetShardIterator on shard " + shard->shard_id() +
                                                " in stream " + stream.key.name + " under account " +
                                                stream.key.account + " is invalid."));
    }
    if (target->shard_index != shard->index || !same_incarnation(*target, stream.id)) {
      return aws::fail(errors::invalid_argument(
          "Invalid StartingSequenceNumber. It encodes " + shard_id_for(target->shard_index) +
          ", while it was used in a call to a shard with " + shard->shard_id()));
    }
    position = type == "AT_SEQUENCE_NUMBER" ? target->position : target->position + 1;
  } else {  // AT_TIMESTAMP
    if (!timestamp) {
      return aws::fail(errors::invalid_argument("Must specify timestampInMillis parameter for iterator of type "
                                                "AT_TIMESTAMP. Current request has no timestamp parameter."));
    }
    if (*timestamp > request.now_ms) {
      return aws::fail(errors::invalid_argument(
          "The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: " +
          std::to_string(*timestamp) + ", currentTimestampInMillis: " + std::to_string(request.now_ms)));
    }
    position = ctx.records.position_at_time(ref, *timestamp);
  }

  ShardIteratorState state{stream.key, stream.id, shard->index, position, request.now_ms};
  aws::Value out = aws::Value::map();
  out.set("ShardIterator", encode_shard_iterator(ctx.sealer, state));
  return out;
}

}  // namespace trib::kinesis::ops
