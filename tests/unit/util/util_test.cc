// base64, sealed tokens, SigV4 shape checks, MD5.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <random>
#include <string>

#include "aws/auth.h"
#include "util/base64.h"
#include "util/big_endian.h"
#include "util/crc32c.h"
#include "util/md5.h"
#include "util/sealed_token.h"

namespace trib {
namespace {

TEST(Base64, RoundTrips) {
  for (std::string s : {std::string(), std::string("f"), std::string("fo"), std::string("foo"),
                        std::string("foob"), std::string("\0\xff\x10", 3)}) {
    EXPECT_EQ(base64::decode(base64::encode(s)).value(), s);
  }
  EXPECT_EQ(base64::encode("hello"), "aGVsbG8=");
}

TEST(Base64, StrictDecoding) {
  base64::DecodeError why{};
  EXPECT_FALSE(base64::decode("abc", &why));
  EXPECT_EQ(why.kind, base64::DecodeError::Kind::kLength);
  EXPECT_FALSE(base64::decode("ab$=", &why));
  EXPECT_EQ(why.kind, base64::DecodeError::Kind::kCharacter);
  EXPECT_EQ(why.bad_character, "$");
  EXPECT_FALSE(base64::decode("a\xc9\x98=", &why));  // "aɘ=": 3 characters, a non-ASCII one
  EXPECT_EQ(why.kind, base64::DecodeError::Kind::kLength);
  EXPECT_EQ(why.length, 3u);
  EXPECT_FALSE(base64::decode("abc\xc9\x98", &why));  // 4 characters
  EXPECT_EQ(why.kind, base64::DecodeError::Kind::kCharacter);
  EXPECT_EQ(why.bad_character, "\xc9\x98");
  EXPECT_FALSE(base64::decode("aGVsbG9=", &why));  // non-zero unused bits
  EXPECT_EQ(why.kind, base64::DecodeError::Kind::kLastCharacter);
}

// Whatever decodes is canonical: encoding the result gives the text back. Random texts over a
// small alphabet with padding and invalid characters exercise both the one-pass decoder and
// the careful one it falls back to.
TEST(Base64, DecodedTextIsCanonical) {
  const std::string characters = "AQgw+/=$9z";
  uint64_t seed = 12345;
  int decoded = 0;
  for (int round = 0; round < 200000; ++round) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    const size_t length = (seed >> 33) % 13;
    std::string text;
    for (size_t i = 0; i < length; ++i) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      text.push_back(characters[(seed >> 33) % characters.size()]);
    }
    if (auto bytes = base64::decode(text)) {
      ++decoded;
      EXPECT_EQ(base64::encode(*bytes), text);
    }
  }
  EXPECT_GT(decoded, 1000);
}

TEST(SealedToken, RoundTripAndShape) {
  TokenSealer sealer(TokenSealer::generate_key());
  const std::string token = sealer.seal("stream|shard|position");
  auto raw = base64::decode(token).value();
  EXPECT_EQ(raw.substr(0, 8), std::string("\0\0\0\0\0\0\0\1", 8));
  EXPECT_EQ((raw.size() - 8) % 16, 0u);
  EXPECT_EQ(sealer.open(token).value(), "stream|shard|position");
}

TEST(SealedToken, RejectsTamperingAndForeignKeys) {
  TokenSealer sealer(TokenSealer::generate_key());
  TokenSealer other(TokenSealer::generate_key());
  std::string token = sealer.seal("payload");
  EXPECT_FALSE(other.open(token));
  auto raw = base64::decode(token).value();
  raw[20] = static_cast<char>(raw[20] ^ 1);
  EXPECT_FALSE(sealer.open(base64::encode(raw)));
  EXPECT_FALSE(sealer.open("AAAA"));
  EXPECT_FALSE(sealer.open("not base64!"));
  EXPECT_FALSE(sealer.open(""));
}

aws::HttpRequest request_with(std::string target,
                              std::vector<std::pair<std::string, std::string>> headers) {
  aws::HttpRequest r;
  r.method = "POST";
  r.target = std::move(target);
  r.headers = std::move(headers);
  return r;
}

TEST(Auth, AccountAndRegionFromCredential) {
  auto caller = aws::authenticate(
      request_with(
          "/",
          {{"authorization",
            "AWS4-HMAC-SHA256 Credential=123456789012/20260101/eu-west-1/kinesis/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=abc"},
           {"x-amz-date", "20260101T000000Z"}}),
      "000000000000", "us-east-1");
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->account, "123456789012");
  EXPECT_EQ(caller->region, "eu-west-1");

  auto fallback = aws::authenticate(
      request_with(
          "/",
          {{"authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/ap-south-1/kinesis/aws4_request, "
            "SignedHeaders=host, Signature=abc"},
           {"date", "x"}}),
      "000000000000", "us-east-1");
  ASSERT_TRUE(fallback.ok());
  EXPECT_EQ(fallback->account, "000000000000");
  EXPECT_EQ(fallback->region, "ap-south-1");
}

TEST(Auth, AwsMessages) {
  auto missing = aws::authenticate(request_with("/", {}), "000000000000", "us-east-1");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().type, "MissingAuthenticationTokenException");
  EXPECT_EQ(missing.error().message, "Missing Authentication Token");

  auto incomplete =
      aws::authenticate(request_with("/", {{"authorization", "X"}}), "000000000000", "us-east-1");
  ASSERT_FALSE(incomplete.ok());
  EXPECT_EQ(incomplete.error().type, "IncompleteSignatureException");
  EXPECT_EQ(incomplete.error().message,
            "Authorization header requires 'Credential' parameter. Authorization header requires "
            "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            "Authorization=X");

  auto partial = aws::authenticate(
      request_with("/", {{"authorization", "AWS4- Signature=b, Credential=a"}, {"date", "a"}}),
      "000000000000", "us-east-1");
  ASSERT_FALSE(partial.ok());
  EXPECT_EQ(
      partial.error().message,
      "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4- Signature=b, "
      "Credential=a");

  auto both = aws::authenticate(request_with("/?X-Amz-Algorithm", {{"authorization", "X"}}),
                                "000000000000", "us-east-1");
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().type, "InvalidSignatureException");
  EXPECT_EQ(
      both.error().message,
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");

  auto query = aws::authenticate(
      request_with("/?X-Amz-Algorithm=a&X-Amz-Credential=b&X-Amz-Signature=c&X-Amz-Date=d", {}),
      "000000000000", "us-east-1");
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.error().message,
            "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the "
            "query-string parameters.");
}

}  // namespace
}  // namespace trib

namespace {

std::string hex(const trib::util::Md5Digest& digest) {
  return fmt::format("{:02x}", fmt::join(digest, ""));
}

}  // namespace

TEST(Md5, Rfc1321TestSuite) {
  // RFC 1321, appendix A.5.
  EXPECT_EQ(hex(trib::util::md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex(trib::util::md5("a")), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(hex(trib::util::md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hex(trib::util::md5("message digest")), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(hex(trib::util::md5("abcdefghijklmnopqrstuvwxyz")), "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(hex(trib::util::md5("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")),
            "d174ab98d277d9f5a5611c2c9f419d9f");
  EXPECT_EQ(hex(trib::util::md5("1234567890123456789012345678901234567890123456789012345678901234"
                                "5678901234567890")),
            "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Md5, AgreesWithOpenSslAtEveryLengthAroundTheBlockBoundaries) {
  // Every length from 0 to 300 (the padding takes one or two blocks: lengths 55, 56, 63, 64,
  // 119, 120 are the edges) and random bytes, including the high bit.
  std::mt19937 random(20261203);
  for (size_t length = 0; length <= 300; ++length) {
    for (int round = 0; round < 3; ++round) {
      std::string bytes(length, '\0');
      for (char& c : bytes) c = static_cast<char>(random());
      trib::util::Md5Digest expected{};
      unsigned int size = 0;
      ASSERT_EQ(EVP_Digest(bytes.data(), bytes.size(), expected.data(), &size, EVP_md5(), nullptr),
                1);
      ASSERT_EQ(trib::util::md5(bytes), expected) << "length " << length;
    }
  }
}

// Every width 1-8: store then load gives the value's low bytes back, most significant byte
// first, bytes with the high bit set included (no sign extension).
TEST(BigEndian, StoreAppendAndLoadAgree) {
  std::mt19937_64 rng(3);
  const auto check = [](auto width_constant, uint64_t v) {
    constexpr size_t kWidth = decltype(width_constant)::value;
    const uint64_t low = kWidth == 8 ? v : v & ((uint64_t{1} << (8 * kWidth)) - 1);
    std::string out = "x";
    trib::util::append_big_endian<kWidth>(out, v);
    ASSERT_EQ(out.size(), 1 + kWidth);
    EXPECT_EQ(static_cast<uint8_t>(out[1]), static_cast<uint8_t>(low >> (8 * (kWidth - 1))));
    EXPECT_EQ(trib::util::load_big_endian(out.data() + 1, kWidth), low) << kWidth;
  };
  for (int i = 0; i < 1000; ++i) {
    const uint64_t v = i == 0 ? ~uint64_t{0} : i == 1 ? 0 : rng();
    check(std::integral_constant<size_t, 1>{}, v);
    check(std::integral_constant<size_t, 2>{}, v);
    check(std::integral_constant<size_t, 3>{}, v);
    check(std::integral_constant<size_t, 4>{}, v);
    check(std::integral_constant<size_t, 5>{}, v);
    check(std::integral_constant<size_t, 6>{}, v);
    check(std::integral_constant<size_t, 7>{}, v);
    check(std::integral_constant<size_t, 8>{}, v);
  }
  EXPECT_EQ(trib::util::load_big_endian("\x80\x01\xff", 3), 0x8001ffu);
  EXPECT_EQ(trib::util::load_big_endian("", 0), 0u);
}

namespace trib {
namespace {

// CRC-32C one bit at a time, straight from the definition.
uint32_t crc32c_by_bits(std::string_view bytes) {
  uint32_t state = ~0u;
  for (unsigned char byte : bytes) {
    state ^= byte;
    for (int k = 0; k < 8; ++k) state = (state & 1) ? 0x82f63b78u ^ (state >> 1) : state >> 1;
  }
  return ~state;
}

TEST(Crc32c, KnownValues) {
  EXPECT_EQ(crc32c(""), 0u);
  EXPECT_EQ(crc32c("123456789"), 0xe3069283u);  // the check value of the catalogue of CRCs
  // RFC 3720 (iSCSI), B.4: 32 bytes of zeros, of ones, ascending and descending.
  EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8a9136aau);
  EXPECT_EQ(crc32c(std::string(32, '\xff')), 0x62a8ab43u);
  std::string ascending(32, '\0');
  for (int i = 0; i < 32; ++i) ascending[i] = static_cast<char>(i);
  EXPECT_EQ(crc32c(ascending), 0x46dd794eu);
  std::string descending(ascending.rbegin(), ascending.rend());
  EXPECT_EQ(crc32c(descending), 0x113fdb5cu);
  EXPECT_EQ(crc32c_portable("123456789"), 0xe3069283u);
}

TEST(Crc32c, EveryLengthAndAlignmentAndContinuation) {
  std::mt19937 random(42);
  std::string bytes(600, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  for (size_t offset = 0; offset < 9; ++offset) {
    for (size_t length = 0; offset + length <= 300; ++length) {
      const std::string_view part = std::string_view(bytes).substr(offset, length);
      ASSERT_EQ(crc32c(part), crc32c_by_bits(part)) << offset << " " << length;
      ASSERT_EQ(crc32c_portable(part), crc32c_by_bits(part)) << offset << " " << length;
      const size_t cut = length / 3;
      ASSERT_EQ(crc32c(part.substr(cut), crc32c(part.substr(0, cut))), crc32c(part));
    }
  }
}

}  // namespace
}  // namespace trib
