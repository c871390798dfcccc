// Shared starting-position resolution (streams/starting_position.h).
#include "streams/starting_position.h"

#include <gtest/gtest.h>

namespace trib::streams {
namespace {

using Kind = SequenceTarget::Kind;
using Type = StartingPositionType;

// A shard whose records 5..9 are retained (0..4 trimmed); asks are counted.
struct FakeShard {
  int asked = 0;
  ShardBounds bounds() {
    return {[this] {
              ++asked;
              return uint64_t{5};
            },
            [this] {
              ++asked;
              return uint64_t{10};
            },
            [this](int64_t t) {
              ++asked;
              return static_cast<uint64_t>(t / 100);
            }};
  }
};

TEST(StartingPosition, ParsesTheTypeNames) {
  EXPECT_EQ(parse_starting_position_type("TRIM_HORIZON"), Type::kTrimHorizon);
  EXPECT_EQ(parse_starting_position_type("LATEST"), Type::kLatest);
  EXPECT_EQ(parse_starting_position_type("AT_SEQUENCE_NUMBER"), Type::kAtSequenceNumber);
  EXPECT_EQ(parse_starting_position_type("AFTER_SEQUENCE_NUMBER"), Type::kAfterSequenceNumber);
  EXPECT_EQ(parse_starting_position_type("AT_TIMESTAMP"), Type::kAtTimestamp);
  EXPECT_FALSE(parse_starting_position_type("latest"));
  EXPECT_TRUE(takes_sequence_number(Type::kAfterSequenceNumber));
  EXPECT_FALSE(takes_sequence_number(Type::kAtTimestamp));
}

TEST(StartingPosition, HorizonLatestAndTimestampAskOnlyWhatTheyNeed) {
  FakeShard shard;
  const ShardBounds bounds = shard.bounds();
  EXPECT_EQ(resolve_starting_position(Type::kTrimHorizon, bounds, nullptr, 0).position, 5u);
  EXPECT_EQ(resolve_starting_position(Type::kLatest, bounds, nullptr, 0).position, 10u);
  EXPECT_EQ(resolve_starting_position(Type::kAtTimestamp, bounds, nullptr, 700).position, 7u);
  EXPECT_EQ(shard.asked, 3);
}

TEST(StartingPosition, SequenceNumbersAtAfterStartEndAndTrimmed) {
  FakeShard shard;
  const ShardBounds bounds = shard.bounds();
  const SequenceTarget record{Kind::kRecord, 7};
  EXPECT_EQ(resolve_starting_position(Type::kAtSequenceNumber, bounds, &record, 0).position, 7u);
  EXPECT_EQ(resolve_starting_position(Type::kAfterSequenceNumber, bounds, &record, 0).position, 8u);
  // A trimmed record: the trim horizon, flagged.
  const SequenceTarget old{Kind::kRecord, 3};
  auto trimmed = resolve_starting_position(Type::kAtSequenceNumber, bounds, &old, 0);
  EXPECT_TRUE(trimmed.trimmed);
  EXPECT_EQ(trimmed.position, 5u);
  // AFTER the last trimmed record is the horizon itself: nothing was lost.
  const SequenceTarget last_trimmed{Kind::kRecord, 4};
  auto after = resolve_starting_position(Type::kAfterSequenceNumber, bounds, &last_trimmed, 0);
  EXPECT_FALSE(after.trimmed);
  EXPECT_EQ(after.position, 5u);
  // Before the first record: the oldest retained one, AT or AFTER, never "trimmed".
  const SequenceTarget start{Kind::kBeforeFirstRecord, 0};
  for (Type type : {Type::kAtSequenceNumber, Type::kAfterSequenceNumber}) {
    auto resolved = resolve_starting_position(type, bounds, &start, 0);
    EXPECT_FALSE(resolved.trimmed);
    EXPECT_EQ(resolved.position, 5u);
  }
  // A closed shard's end: after its newest record.
  const SequenceTarget end{Kind::kShardEnd, 0};
  EXPECT_EQ(resolve_starting_position(Type::kAtSequenceNumber, bounds, &end, 0).position, 10u);
}

}  // namespace
}  // namespace trib::streams
