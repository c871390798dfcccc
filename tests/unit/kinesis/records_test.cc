// Kinesis shard iterators (record sequence numbers: tests/unit/streams/sequence_number_test.cc).
#include <gtest/gtest.h>

#include "kinesis/shard_iterator.h"
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

}  // namespace
}  // namespace trib::kinesis
