// Event-stream framing and CRC32.
#include "aws/eventstream.h"

#include <gtest/gtest.h>

#include <string>

#include "util/crc32.h"

namespace trib::aws::eventstream {
namespace {

TEST(Crc32, KnownValues) {
  EXPECT_EQ(crc32(""), 0u);
  EXPECT_EQ(crc32("123456789"), 0xcbf43926u);
  EXPECT_EQ(crc32("6789", crc32("12345")), 0xcbf43926u);  // continues
}

// Inputs longer than one 8-byte step, split at every offset: the sliced loop and the byte loop
// agree. The expected value is Python's zlib.crc32(bytes((i * 7 + 3) % 256 for i in
// range(1000))).
TEST(Crc32, LongInputsAndEverySplit) {
  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes.push_back(static_cast<char>((i * 7 + 3) % 256));
  EXPECT_EQ(crc32(bytes), 0x17bc2a46u);
  const std::string_view view(bytes);
  for (size_t split = 0; split <= 24; ++split) {
    EXPECT_EQ(crc32(view.substr(split), crc32(view.substr(0, split))), 0x17bc2a46u) << split;
  }
}

// Every length up to 300 at three alignments, continued from a random CRC: the same as one
// bit at a time (the carry-less-multiply path takes lengths of 64 and more, the tables the
// rest and the tail).
TEST(Crc32, AgreesWithTheBitwiseDefinition) {
  auto bitwise = [](std::string_view bytes, uint32_t crc) {
    crc = ~crc;
    for (unsigned char c : bytes) {
      crc ^= c;
      for (int k = 0; k < 8; ++k) crc = (crc & 1) ? 0xedb88320u ^ (crc >> 1) : crc >> 1;
    }
    return ~crc;
  };
  uint64_t state = 88172645463325252ULL;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::string buffer(302, '\0');
  for (auto& c : buffer) c = static_cast<char>(next());
  for (size_t length = 0; length <= 300; ++length) {
    for (size_t offset = 0; offset < 3; ++offset) {
      const std::string_view bytes = std::string_view(buffer).substr(offset, length);
      const auto start = static_cast<uint32_t>(next());
      ASSERT_EQ(crc32(bytes, start), bitwise(bytes, start)) << length << " at " << offset;
    }
  }
}

TEST(EventStream, EncodesAwsPreludeAndCrcs) {
  // The minimal message from AWS's event-stream test vectors: no headers, no payload.
  const std::string empty = encode(Message{});
  EXPECT_EQ(empty.size(), 16u);
  EXPECT_EQ(empty,
            std::string("\x00\x00\x00\x10\x00\x00\x00\x00\x05\xc2\x48\xeb\x7d\x98\xc8\xff", 16));
}

TEST(EventStream, RoundTrip) {
  const std::string bytes =
      encode_event("SubscribeToShardEvent", "application/json", R"({"Records":[]})");
  size_t consumed = 0;
  auto message = decode(bytes + "trailing", &consumed);
  ASSERT_TRUE(message);
  EXPECT_EQ(consumed, bytes.size());
  EXPECT_EQ(*message->header(":event-type"), "SubscribeToShardEvent");
  EXPECT_EQ(*message->header(":message-type"), "event");
  EXPECT_EQ(*message->header(":content-type"), "application/json");
  EXPECT_EQ(message->payload, R"({"Records":[]})");
  auto exception =
      decode(encode_exception("ResourceInUseException", "application/json", "{}"), &consumed);
  ASSERT_TRUE(exception);
  EXPECT_EQ(*exception->header(":exception-type"), "ResourceInUseException");
  EXPECT_EQ(*exception->header(":message-type"), "exception");
}

TEST(EventStream, IncompleteAndCorruptInput) {
  const std::string bytes = encode_event("initial-response", "application/json", "{}");
  size_t consumed = 0;
  bool corrupt = false;
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(decode(bytes.substr(0, cut), &consumed, &corrupt)) << cut;
    EXPECT_FALSE(corrupt) << cut;
  }
  for (size_t flip = 0; flip < bytes.size(); ++flip) {
    std::string damaged = bytes;
    damaged[flip] = static_cast<char>(damaged[flip] ^ 0x01);
    auto message = decode(damaged, &consumed, &corrupt);
    EXPECT_FALSE(message && !corrupt && consumed == bytes.size() && message->payload == "{}" &&
                 *message->header(":event-type") == "initial-response")
        << "flip at " << flip << " went unnoticed";
  }
}

}  // namespace
}  // namespace trib::aws::eventstream
