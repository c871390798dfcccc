// Shard iterators and record sequence numbers.
#include <gtest/gtest.h>

#include "kinesis/shard_iterator.h"
#include "kinesis/stream.h"
#include "util/base64.h"

namespace trib::kinesis {
namespace {

TEST(ShardIterator, RoundTripAndAwsShape) {
  TokenSealer sealer(TokenSealer::generate_key());
  ShardIteratorState state{{"123456789012", "eu-west-1", "s"}, 42, 3, 17, 1795332410934};
  const std::string token = encode_shard_iterator(sealer, state);
  const std::string raw = base64::decode(token).value();
  EXPECT_GE(raw.size(), 152u);
  EXPECT_EQ(raw.substr(0, 8), std::string("\0\0\0\0\0\0\0\1", 8));
  EXPECT_EQ((raw.size() - 8) % 16, 0u);
  for (const std::string& form : {token, "\"" + token + "\""}) {
    auto back = decode_shard_iterator(sealer, form);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->stream, state.stream);
    EXPECT_EQ(back->stream_id, 42u);
    EXPECT_EQ(back->shard_index, 3u);
    EXPECT_EQ(back->position, 17u);
    EXPECT_EQ(back->created_ms, 1795332410934);
  }
}

TEST(ShardIterator, LongStreamNamesStillDecode) {
  TokenSealer sealer(TokenSealer::generate_key());
  ShardIteratorState state{{"000000000000", "us-east-1", std::string(128, 'n')}, 1, 0, 0, 1};
  auto back = decode_shard_iterator(sealer, encode_shard_iterator(sealer, state));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->stream.name, std::string(128, 'n'));
}

TEST(ShardIterator, RejectsForgeries) {
  TokenSealer sealer(TokenSealer::generate_key());
  TokenSealer other(TokenSealer::generate_key());
  ShardIteratorState state{{"000000000000", "us-east-1", "s"}, 1, 0, 0, 1};
  const std::string token = encode_shard_iterator(sealer, state);
  EXPECT_FALSE(decode_shard_iterator(other, token));
  std::string raw = base64::decode(token).value();
  raw[raw.size() / 2] = static_cast<char>(raw[raw.size() / 2] ^ 0x40);
  EXPECT_FALSE(decode_shard_iterator(sealer, base64::encode(raw)));
  EXPECT_FALSE(decode_shard_iterator(sealer, "\""));
  EXPECT_FALSE(decode_shard_iterator(sealer, "not an iterator"));
}

TEST(ShardIterator, JavaDateFormat) {
  EXPECT_EQ(java_date(1449712779000), "Thu Dec 10 01:59:39 UTC 2015");
  EXPECT_EQ(java_date(1704067200123), "Mon Jan 01 00:00:00 UTC 2024");
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
  auto target = decode_sequence_number(shard.ending_sequence_number(), 1700000005000);
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
  EXPECT_LE(shard.starting_sequence_number(1), record_sequence_number(1, shard, 0, shard.created_ms));
}

}  // namespace
}  // namespace trib::kinesis
