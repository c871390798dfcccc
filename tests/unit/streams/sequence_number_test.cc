// The record log's sequence numbers (Kinesis's): record, starting, ending and continuation
// numbers of a shard, and a client's number read back to a shard position.
#include "streams/sequence_number.h"

#include <gtest/gtest.h>

namespace trib::streams {
namespace {

// The exact numbers Tributary hands out (and clients keep across restarts): pinned when the
// mapping moved from kinesis/ to streams/, computed by the code before the move.
TEST(RecordSequenceNumber, ExactDigitsAreStable) {
  Shard shard;
  shard.index = 5;
  shard.created_ms = 1700000000000;
  EXPECT_EQ(record_sequence_number(0x123456789ULL, shard, 987654, 1700000123456),
            "49646437577226026121826850451747857827087450335774507090");
  EXPECT_EQ(starting_sequence_number(0x123456789ULL, shard),
            "49646437577226026121826849257747436381420478968025317458");
  EXPECT_EQ(continuation_sequence_number(77, shard, 0),
            "49646437577219980245260085196972130230541815056672227410");
  EXPECT_EQ(continuation_sequence_number(77, shard, 42),
            "49646437577219980245260085197021696189146014921554657362");
  Shard closed = shard;
  closed.index = 2;
  closed.closed_ms = 1700000005000;
  EXPECT_EQ(ending_sequence_number(closed),
            "49646437577164228279913202963678559795447436294462898210");
}

TEST(RecordSequenceNumber, DecodesToShardIncarnationAndPosition) {
  Shard shard;
  shard.index = 5;
  shard.created_ms = 1700000000000;
  const std::string s = record_sequence_number(0x123456789ULL, shard, 987654, 1700000123456);
  EXPECT_EQ(s.size(), 56u);
  auto target = decode_sequence_number(s, 1700000123456);
  ASSERT_TRUE(target);
  EXPECT_EQ(target->number.shard, 5);
  EXPECT_EQ(target->position, 987654u);
  EXPECT_TRUE(belongs_to(*target, 0x123456789ULL, shard));
  EXPECT_FALSE(belongs_to(*target, 0x123456788ULL, shard));
  Shard other = shard;
  other.created_ms += 1000;  // same index, another creation (another stream)
  EXPECT_FALSE(belongs_to(*target, 0x123456789ULL, other));
  // AWS reads the record time: a number from the future is invalid.
  EXPECT_FALSE(decode_sequence_number(s, 1700000122999));
}

TEST(RecordSequenceNumber, IndexNeverHasItsTopBitSet) {
  Shard shard;
  shard.created_ms = 1700000000000;
  const auto s =
      record_sequence_number(0xffffffffffULL, shard, (uint64_t{1} << 40) - 2, shard.created_ms);
  auto target = decode_sequence_number(s, shard.created_ms);
  ASSERT_TRUE(target);
  EXPECT_FALSE(target->shard_end);
  EXPECT_TRUE(belongs_to(*target, 0xffffffffffULL, shard));
}

TEST(RecordSequenceNumber, EndingSequenceNumberIsTheShardsEnd) {
  Shard shard;
  shard.index = 2;
  shard.created_ms = 1700000000000;
  shard.closed_ms = 1700000005000;
  auto target = decode_sequence_number(ending_sequence_number(shard), 1700000005000);
  ASSERT_TRUE(target);
  EXPECT_TRUE(target->shard_end);
  EXPECT_TRUE(belongs_to(*target, 9, shard));
}

TEST(RecordSequenceNumber, IncreasesWithPositionWhateverTheTime) {
  Shard shard;
  shard.created_ms = 1700000000000;
  const auto earlier = record_sequence_number(1, shard, 1, 1800000000000);
  const auto later = record_sequence_number(1, shard, 2, 1700000000000);
  ASSERT_EQ(earlier.size(), later.size());
  EXPECT_LT(earlier, later);
  EXPECT_LE(starting_sequence_number(1, shard),
            record_sequence_number(1, shard, 0, shard.created_ms));
}

TEST(ContinuationSequenceNumber, ResumesWhereTheSubscriberStands) {
  Shard shard;
  shard.index = 3;
  shard.created_ms = 1700000000500;
  const uint64_t stream_id = 77;
  // After position 41 was delivered: AFTER_SEQUENCE_NUMBER resumes at 42.
  auto target =
      decode_sequence_number(continuation_sequence_number(stream_id, shard, 42), shard.created_ms);
  ASSERT_TRUE(target);
  EXPECT_EQ(target->number.shard, 3);
  EXPECT_TRUE(belongs_to(*target, stream_id, shard));
  EXPECT_EQ(target->position, 41u);
  // Before the first record: a number no record has, recognised as "start at 0".
  const std::string before = continuation_sequence_number(stream_id, shard, 0);
  EXPECT_TRUE(is_before_first_record(before, stream_id, shard));
  EXPECT_LT(before, starting_sequence_number(stream_id, shard));
  EXPECT_EQ(before.size(), starting_sequence_number(stream_id, shard).size());
  // The real first record, even in the shard's first second, is not.
  EXPECT_FALSE(is_before_first_record(record_sequence_number(stream_id, shard, 0, shard.created_ms),
                                      stream_id, shard));
  EXPECT_FALSE(
      is_before_first_record(starting_sequence_number(stream_id, shard), stream_id, shard));
  EXPECT_FALSE(is_before_first_record(before, stream_id + 1, shard));
  Shard other = shard;
  other.index = 4;
  EXPECT_FALSE(is_before_first_record(before, stream_id, other));
  EXPECT_FALSE(is_before_first_record("garbage", stream_id, shard));
}

}  // namespace
}  // namespace trib::streams
