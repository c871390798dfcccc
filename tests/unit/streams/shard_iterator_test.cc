// The shared sealed shard iterators (streams/shard_iterator.h) in both services' formats. The
// layout tests pin the plaintexts each service used before the shared core, so iterators
// handed out by an older build still decode.
#include "streams/shard_iterator.h"

#include <gtest/gtest.h>

#include "storage/keys.h"
#include "util/base64.h"

namespace trib::streams {
namespace {

constexpr ShardIteratorFormat kText{.layout = ShardIteratorFormat::Layout::kText,
                                    .stream_fields = 3,
                                    .min_plaintext = 96,
                                    .stream_prefixed = false,
                                    .accepts_quotes = true,
                                    .lifetime_ms = 300'000};
constexpr ShardIteratorFormat kPrefixedBinary{.layout = ShardIteratorFormat::Layout::kBinary,
                                              .stream_fields = 1,
                                              .min_plaintext = 0,
                                              .stream_prefixed = true,
                                              .accepts_quotes = false,
                                              .lifetime_ms = 900'000};

const std::string kArn =
    "arn:aws:dynamodb:us-west-1:123456789012:table/Music/stream/2019-10-22T18:02:01.576";

TEST(SharedShardIterator, TextLayoutIsKinesisPlaintext) {
  TokenSealer sealer(TokenSealer::generate_key());
  const ShardIterator it{{"123456789012", "eu-west-1", "s"}, 42, 3, 17, 1795332410934};
  const std::string token = encode_shard_iterator(sealer, kText, it);
  const std::string plain = sealer.open(token).value();
  std::string expected =
      "i1\x1f"
      "123456789012\x1f"
      "eu-west-1\x1fs\x1f"
      "42\x1f"
      "3\x1f"
      "17\x1f"
      "1795332410934\x1f";
  expected.append(96 - expected.size(), '0');
  EXPECT_EQ(plain, expected);
  const std::string raw = base64::decode(token).value();
  EXPECT_GE(raw.size(), 152u);  // AWS's shortest Kinesis iterator
  for (const std::string& form : {token, "\"" + token + "\""}) {
    auto back = decode_shard_iterator(sealer, kText, form);
    ASSERT_TRUE(back) << form;
    EXPECT_EQ(back->stream, it.stream);
    EXPECT_EQ(back->incarnation, 42u);
    EXPECT_EQ(back->shard, 3u);
    EXPECT_EQ(back->position, 17u);
    EXPECT_EQ(back->created_ms, 1795332410934);
  }
  // A format with fewer stream fields does not read it as something else.
  ShardIteratorFormat one_field = kText;
  one_field.stream_fields = 1;
  auto misread = decode_shard_iterator(sealer, one_field, token);
  EXPECT_FALSE(misread);
}

TEST(SharedShardIterator, PrefixedBinaryLayoutIsDynamoDbStreamsPlaintext) {
  TokenSealer sealer(TokenSealer::generate_key());
  const ShardIterator it{{kArn}, 7, (uint64_t{2} << 32) | 5, 99, 1571767321576};
  const std::string token = encode_shard_iterator(sealer, kPrefixedBinary, it);
  ASSERT_EQ(token.substr(0, kArn.size() + 3), kArn + "|1|");
  const std::string plain = sealer.open(token.substr(kArn.size() + 3)).value();
  // version 1, table id, chain (u32), epoch (u32), n, creation time, then the ARN.
  const std::string expected =
      storage::KeyBuilder().u8(1).u64(7).u32(2).u32(5).u64(99).u64(1571767321576).raw(kArn).take();
  EXPECT_EQ(plain, expected);
  auto back = decode_shard_iterator(sealer, kPrefixedBinary, token);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->stream, it.stream);
  EXPECT_EQ(back->incarnation, 7u);
  EXPECT_EQ(back->shard, it.shard);
  EXPECT_EQ(back->position, 99u);
  EXPECT_EQ(back->created_ms, 1571767321576);
  // Quotes are Kinesis's tolerance only.
  EXPECT_FALSE(decode_shard_iterator(sealer, kPrefixedBinary, "\"" + token + "\""));
}

TEST(SharedShardIterator, RejectsForgeriesAndMismatchedPrefixes) {
  TokenSealer sealer(TokenSealer::generate_key());
  TokenSealer other(TokenSealer::generate_key());
  const ShardIterator it{{kArn}, 7, 1, 0, 1};
  const std::string token = encode_shard_iterator(sealer, kPrefixedBinary, it);
  EXPECT_FALSE(decode_shard_iterator(other, kPrefixedBinary, token));
  // The sealed part of one stream's iterator behind another stream's ARN.
  std::string swapped = token;
  swapped.replace(0, kArn.size(), kArn.substr(0, kArn.size() - 1) + "7");
  EXPECT_FALSE(decode_shard_iterator(sealer, kPrefixedBinary, swapped));
  EXPECT_FALSE(decode_shard_iterator(sealer, kPrefixedBinary, token.substr(kArn.size() + 3)));
  std::string tampered = token;
  tampered[tampered.size() - 10] = tampered[tampered.size() - 10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(decode_shard_iterator(sealer, kPrefixedBinary, tampered));
  // A Kinesis iterator is not a DynamoDB Streams one and the other way round.
  const std::string text = encode_shard_iterator(sealer, kText, {{"a", "b", "c"}, 1, 0, 0, 1});
  EXPECT_FALSE(decode_shard_iterator(sealer, kPrefixedBinary, kArn + "|1|" + text));
  EXPECT_FALSE(decode_shard_iterator(sealer, kText, token.substr(kArn.size() + 3)));
  EXPECT_FALSE(decode_shard_iterator(sealer, kText, "\""));
  EXPECT_FALSE(decode_shard_iterator(sealer, kText, "not an iterator"));
}

TEST(SharedShardIterator, ExpiresAfterItsFormatsLifetime) {
  EXPECT_FALSE(iterator_expired(kText, 1000, 1000 + 300'000));
  EXPECT_TRUE(iterator_expired(kText, 1000, 1000 + 300'001));
  EXPECT_FALSE(iterator_expired(kPrefixedBinary, 1000, 1000 + 900'000));
  EXPECT_TRUE(iterator_expired(kPrefixedBinary, 1000, 1000 + 900'001));
}

}  // namespace
}  // namespace trib::streams
