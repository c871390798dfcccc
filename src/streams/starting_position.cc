#include "streams/starting_position.h"

#include <algorithm>

namespace trib::streams {

std::optional<StartingPositionType> parse_starting_position_type(std::string_view name) {
  if (name == "TRIM_HORIZON") return StartingPositionType::kTrimHorizon;
  if (name == "LATEST") return StartingPositionType::kLatest;
  if (name == "AT_SEQUENCE_NUMBER") return StartingPositionType::kAtSequenceNumber;
  if (name == "AFTER_SEQUENCE_NUMBER") return StartingPositionType::kAfterSequenceNumber;
  if (name == "AT_TIMESTAMP") return StartingPositionType::kAtTimestamp;
  return std::nullopt;
}

ResolvedPosition resolve_starting_position(StartingPositionType type, const ShardBounds& shard,
                                           const SequenceTarget* number, int64_t timestamp_ms) {
  switch (type) {
    case StartingPositionType::kTrimHorizon:
      return {shard.trim_horizon(), false};
    case StartingPositionType::kLatest:
      return {shard.latest(), false};
    case StartingPositionType::kAtTimestamp:
      return {shard.first_at(timestamp_ms), false};
    case StartingPositionType::kAtSequenceNumber:
    case StartingPositionType::kAfterSequenceNumber:
      break;
  }
  if (!number || number->kind == SequenceTarget::Kind::kBeforeFirstRecord) {
    return {shard.trim_horizon(), false};
  }
  if (number->kind == SequenceTarget::Kind::kShardEnd) return {shard.latest(), false};
  const uint64_t wanted =
      number->position + (type == StartingPositionType::kAfterSequenceNumber ? 1 : 0);
  const uint64_t horizon = shard.trim_horizon();
  return {std::max(wanted, horizon), wanted < horizon};
}

}  // namespace trib::streams
