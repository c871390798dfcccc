// GetShardIterator: TRIM_HORIZON (the oldest record not trimmed), LATEST (just after the newest:
// the exact end, facts §8), AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER. A SequenceNumber is
// required with AT/AFTER and refused with TRIM_HORIZON/LATEST, must be numeric and of this
// shard ([P, AWS-checked] ValidationException, texts [U]); one before the trim horizon is
// TrimmedDataAccessException ([V] §8). An unknown ShardId is ResourceNotFoundException ([P]),
// a shard past retention TrimmedDataAccessException (a guess).
#include "dynamodb/errors.h"
#include "dynamodb_streams/operations.h"
#include "streams/starting_position.h"

namespace trib::dynamodb_streams::ops {

Output get_shard_iterator(StreamsContext& ctx, const aws::RequestContext& request,
                          const Input& input) {
  auto found = find_stream(ctx, request, *input.string_member("StreamArn"), "StreamArn");
  if (!found) return aws::fail(std::move(found.error()));
  const StreamInfo& stream = **found;
  const int64_t now = request.now_ms;
  const std::string& shard_id = *input.string_member("ShardId");
  const std::string& type = *input.string_member("ShardIteratorType");
  const std::string* sequence = input.string_member("SequenceNumber");

  // The model's enum admits only the four types DynamoDB Streams has (no AT_TIMESTAMP).
  const auto kind = streams::parse_starting_position_type(type);
  if (!kind || *kind == streams::StartingPositionType::kAtTimestamp) {
    return aws::fail(
        dynamodb::error(dynamodb::Error::kInternalServerError, "Internal server error"));
  }
  const bool needs_sequence = streams::takes_sequence_number(*kind);
  if (needs_sequence && !sequence) {
    return aws::fail(dynamodb::validation(  // text [U]
        "Must specify a sequence number for iterator type " + type));
  }
  if (!needs_sequence && sequence) {
    return aws::fail(dynamodb::validation(  // text [U]
        "Sequence number must not be specified for iterator type " + type));
  }
  auto shard = stream.parse_shard_id(shard_id);
  if (!shard || shard->epoch > stream.last_epoch(shard->partition, now)) {
    return aws::fail(dynamodb::error(  // text [U], worded as the stream's ([V] §5)
        dynamodb::Error::kResourceNotFound, "Requested resource not found: Shard: " + shard_id +
                                                " in Stream: " + stream.arn() + " not found"));
  }
  if (!stream.shard_visible(*shard, now)) return aws::fail(trimmed_data());

  std::optional<streams::SequenceTarget> number;
  if (needs_sequence) {
    auto parsed = parse_sequence_number(*sequence);
    if (!is_sequence_number_shape(*sequence) || !parsed || parsed->shard != *shard) {
      aws::Value value{*sequence};
      return aws::fail(invalid_member(ctx, "SequenceNumber", &value,  // text [U]
                                      "Member must be a sequence number of shard " + shard_id));
    }
    // n = 0 is the shard's StartingSequenceNumber, before its first record: AT it reads every
    // retained record, never TrimmedDataAccessException ([P, AWS-checked] §8).
    number = parsed->n == 0
                 ? streams::SequenceTarget{streams::SequenceTarget::Kind::kBeforeFirstRecord, 0}
                 : streams::SequenceTarget{streams::SequenceTarget::Kind::kRecord, parsed->n};
  }
  // A bound that cannot be read (a damaged block) fails the call rather than passing for an
  // empty shard.
  storage::Status read = storage::Status::ok();
  const streams::ShardBounds bounds{
      [&] {
        uint64_t n = 0;
        if (auto status = ctx.streams.trim_position(stream, *shard, &n); !status.is_ok()) {
          read = std::move(status);
        }
        return n;
      },
      [&] {
        uint64_t n = 0;
        if (auto status = ctx.streams.end_position(stream, *shard, &n); !status.is_ok()) {
          read = std::move(status);
        }
        return n;
      },
      nullptr,  // no AT_TIMESTAMP
  };
  const auto resolved =
      streams::resolve_starting_position(*kind, bounds, number ? &*number : nullptr, 0);
  if (!read.is_ok()) return aws::fail(internal_error());
  if (resolved.trimmed) return aws::fail(trimmed_data());
  const uint64_t position = resolved.position;
  ShardIterator iterator{stream.key, stream.table_id, *shard, position, now};
  aws::Value out = aws::Value::map();
  out.set("ShardIterator", encode_shard_iterator(ctx.sealer, stream, iterator));
  return out;
}

}  // namespace trib::dynamodb_streams::ops
