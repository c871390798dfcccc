// Starting positions, resolved the same way for every stream kind: GetShardIterator's
// ShardIteratorType (Kinesis and DynamoDB Streams) and SubscribeToShard's StartingPosition
// become the shard position a reader reads next. The service reads and checks a client's
// sequence number in its own format and wording (SequenceTarget says what it named); its
// storage answers where the shard's readable records are (ShardBounds).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace trib::streams {

enum class StartingPositionType : uint8_t {
  kTrimHorizon,
  kLatest,
  kAtSequenceNumber,
  kAfterSequenceNumber,
  kAtTimestamp,  // Kinesis only
};
// "TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "AT_TIMESTAMP".
std::optional<StartingPositionType> parse_starting_position_type(std::string_view name);
inline bool takes_sequence_number(StartingPositionType type) {
  return type == StartingPositionType::kAtSequenceNumber ||
         type == StartingPositionType::kAfterSequenceNumber;
}

// What a client's sequence number names in the shard, once its service has decoded it.
struct SequenceTarget {
  enum class Kind : uint8_t {
    kRecord,             // the record at `position`
    kBeforeFirstRecord,  // the shard's start (AT and AFTER both read its first record)
    kShardEnd,           // a closed shard's end (after every record)
  };
  Kind kind = Kind::kRecord;
  uint64_t position = 0;
};

// One shard's bounds as its service's storage answers them; each is asked only when needed.
struct ShardBounds {
  std::function<uint64_t()> trim_horizon;     // the oldest position not trimmed
  std::function<uint64_t()> latest;           // the position after the newest record
  std::function<uint64_t(int64_t)> first_at;  // the first record at or after a time
};

struct ResolvedPosition {
  uint64_t position = 0;
  // AT/AFTER_SEQUENCE_NUMBER named a record retention has already removed; `position` is then
  // the trim horizon. (DynamoDB Streams answers TrimmedDataAccessException; a Kinesis record
  // log's trim horizon is 0 and reads skip trimmed records, so it never sees this.)
  bool trimmed = false;
};

// `number` is required for AT/AFTER_SEQUENCE_NUMBER, `timestamp_ms` for AT_TIMESTAMP (the
// service has checked both).
ResolvedPosition resolve_starting_position(StartingPositionType type, const ShardBounds& shard,
                                           const SequenceTarget* number, int64_t timestamp_ms);

}  // namespace trib::streams
