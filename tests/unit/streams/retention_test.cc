// Shared retention rules (streams/retention.h) and how each service's boundaries use them.
#include "streams/retention.h"

#include <gtest/gtest.h>

#include "dynamodb_streams/stream.h"
#include "kinesis/stream.h"

namespace trib::streams {
namespace {

TEST(Retention, CutoffIsThePeriodBackOrAnEarlierExpiry) {
  EXPECT_EQ(retention_cutoff_ms(100 * kHourMs, 24 * kHourMs), 76 * kHourMs);
  // A retention increase never brings back what had expired.
  EXPECT_EQ(retention_cutoff_ms(100 * kHourMs, 48 * kHourMs, 60 * kHourMs), 60 * kHourMs);
  EXPECT_EQ(retention_cutoff_ms(100 * kHourMs, 24 * kHourMs, 60 * kHourMs), 76 * kHourMs);
}

TEST(Retention, ShardExpiresWhenItsNewestPossibleRecordIsPastTheCutoff) {
  EXPECT_FALSE(shard_past_retention(1000, 1000));
  EXPECT_TRUE(shard_past_retention(999, 1000));
}

TEST(Retention, TheClosingMillisecondCountsWhereARecordCanArriveInIt) {
  constexpr RetentionRule kinesis_like{.period_ms = kHourMs, .closing_ms_holds_records = true};
  constexpr RetentionRule table_stream_like{.period_ms = kHourMs,
                                            .closing_ms_holds_records = false};
  EXPECT_FALSE(kinesis_like.closed_shard_expired(1000, 1000));
  EXPECT_TRUE(kinesis_like.closed_shard_expired(1000, 1001));
  EXPECT_FALSE(table_stream_like.closed_shard_expired(1000, 999));
  EXPECT_TRUE(table_stream_like.closed_shard_expired(1000, 1000));
  static_assert(kinesis_like.cutoff_ms(3 * kHourMs) == 2 * kHourMs);
  Shard open;
  EXPECT_FALSE(kinesis_like.shard_expired(open, 1'000'000));
}

TEST(Retention, PassDropsClosedShardsPastRetentionAndTrimsTheOthers) {
  std::vector<Shard> shards(4);
  for (uint32_t i = 0; i < shards.size(); ++i) shards[i].index = i;
  shards[0].closed_ms = 500;   // past retention at cut-off 1000
  shards[1].closed_ms = 1000;  // its closing millisecond is still within retention
  shards[3].closed_ms = 200;   // past retention
  std::vector<uint32_t> dropped, trimmed;
  const auto expired = retention_pass(
      shards, RetentionRule{}, 1000, [&](const Shard& shard) { dropped.push_back(shard.index); },
      [&](const Shard& shard) { trimmed.push_back(shard.index); });
  EXPECT_EQ(expired, (std::vector<uint32_t>{0, 3}));
  EXPECT_EQ(dropped, (std::vector<uint32_t>{0, 3}));
  EXPECT_EQ(trimmed, (std::vector<uint32_t>{1, 2}));
}

TEST(Retention, KinesisShardClosedAtTExpiresAfterTPlusThePeriod) {
  kinesis::Stream stream;
  stream.retention_hours = 24;
  kinesis::Shard shard;
  shard.closed_ms = 5000;
  EXPECT_FALSE(stream.shard_expired(shard, 5000 + 24 * kHourMs));
  EXPECT_TRUE(stream.shard_expired(shard, 5001 + 24 * kHourMs));
  shard.closed_ms.reset();
  EXPECT_FALSE(stream.shard_expired(shard, 5001 + 240 * kHourMs));
}

TEST(Retention, TableStreamShardClosedAtTIsHiddenFromTPlusThePeriod) {
  dynamodb_streams::StreamInfo stream;
  stream.key.label_ms = 1'000'000;
  stream.rollover_ms = 4 * kHourMs;
  stream.disabled_ms = 1'000'010;  // closes shard (0, 0) at once
  EXPECT_TRUE(stream.shard_visible({0, 0}, 1'000'010 + 24 * kHourMs - 1));
  EXPECT_FALSE(stream.shard_visible({0, 0}, 1'000'010 + 24 * kHourMs));
}

TEST(Retention, HousekeepingRunsAtMostOnceASecond) {
  HousekeepingCadence cadence;
  EXPECT_TRUE(cadence.start_if_due(10'000));
  EXPECT_FALSE(cadence.start_if_due(10'999));
  EXPECT_TRUE(cadence.start_if_due(11'000));
}

}  // namespace
}  // namespace trib::streams
