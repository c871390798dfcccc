// KPL de-aggregation against records made by a real encoder: the hex below is what
// awslabs' aws-kinesis-agg 4.2.8 (npm, RecordAggregator.build()) produced for the records named
// in each test (node, tests/js/node_modules).
#include "console/kpl.h"

#include <gtest/gtest.h>

namespace trib::console {
namespace {

std::string from_hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// {pk "user-1", data '{"n":1}'}, {pk "user-2", explicit hash key 2^127, data "second"},
// {pk "user-1", data 00 ff 01}
const std::string kThreeRecords = from_hex(
    "f3899ac20a06757365722d310a06757365722d3212273137303134313138333436303436393233313733313638"
    "373330333731353838343130353732381a0b08001a077b226e223a317d1a0c080110001a067365636f6e641a07"
    "08001a0300ff01aa91ae31f1d5befdb2610c81666cdb11");
// {pk "only", data ""}
const std::string kEmptyData =
    from_hex("f3899ac20a046f6e6c791a0408001a00531d7e3897b6f0096f750a4264050571");

TEST(Kpl, DeaggregatesRecordsOfTheReferenceEncoder) {
  auto records = deaggregate(kThreeRecords);
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[0].partition_key, "user-1");
  EXPECT_EQ((*records)[0].data, "{\"n\":1}");
  EXPECT_FALSE((*records)[0].explicit_hash_key);
  EXPECT_EQ((*records)[1].partition_key, "user-2");
  EXPECT_EQ((*records)[1].explicit_hash_key, "170141183460469231731687303715884105728");
  EXPECT_EQ((*records)[1].data, "second");
  EXPECT_EQ((*records)[2].partition_key, "user-1");
  EXPECT_EQ((*records)[2].data, std::string("\x00\xff\x01", 3));
}

TEST(Kpl, EmptyUserRecordData) {
  auto records = deaggregate(kEmptyData);
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].partition_key, "only");
  EXPECT_EQ((*records)[0].data, "");
}

TEST(Kpl, PlainRecordsAreNotAggregated) {
  EXPECT_FALSE(deaggregate(""));
  EXPECT_FALSE(deaggregate("hello world, not aggregated"));
  EXPECT_FALSE(deaggregate(kKplMagic));
}

TEST(Kpl, AWrongDigestMeansNotAggregated) {
  std::string corrupted = kThreeRecords;
  corrupted.back() ^= 1;
  EXPECT_FALSE(deaggregate(corrupted));
  std::string body_changed = kThreeRecords;
  body_changed[10] ^= 1;
  EXPECT_FALSE(deaggregate(body_changed));
}

TEST(Kpl, TruncationAndBadIndexesAreRefusedWithoutCrashing) {
  // Every prefix of a valid record: never a crash; only the full one decodes.
  for (size_t n = 0; n < kThreeRecords.size(); ++n) {
    EXPECT_FALSE(deaggregate(std::string_view(kThreeRecords).substr(0, n))) << n;
  }
}

}  // namespace
}  // namespace trib::console
