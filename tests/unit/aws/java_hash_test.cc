// Java hash codes. Every expected value was printed by OpenJDK 17 (String.hashCode,
// ByteBuffer.wrap(bytes).hashCode, Long/Double/Float/Boolean.hashCode, Date.hashCode,
// List/Map.hashCode, Arrays.hashCode, Integer.toHexString), except the PutRecordsRequestEntry
// value c965e310, which is AWS's own (mhart/kinesalite test/putRecords.js, recorded against AWS).
#include "aws/java_hash.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "aws/codec.h"
#include "model/model.h"

namespace trib::aws::java_hash {
namespace {

constexpr std::string_view kEntryClass = "com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry";

TEST(JavaHash, StringOverUtf16Units) {
  EXPECT_EQ(string_hash(""), 0);
  EXPECT_EQ(string_hash("a"), 97);
  EXPECT_EQ(string_hash("shardId-000000000000"), -1763766348);
  EXPECT_EQ(string_hash("h\xc3\xa9llo \xe4\xb8\x96"), 289812548);  // "héllo 世"
  EXPECT_EQ(string_hash("\xf0\x9f\x98\x80x"), 54959989);           // U+1F600 is two units
}

TEST(JavaHash, ByteBufferFromLastByteWithSignedBytes) {
  EXPECT_EQ(byte_buffer_hash(""), 1);
  EXPECT_EQ(byte_buffer_hash(std::string("\x01\x02\x03", 3)), 32737);
  EXPECT_EQ(byte_buffer_hash(std::string("\xff\x80\x7f", 3)), 147869);
  EXPECT_EQ(byte_buffer_hash("hello"), 134464433);
}

TEST(JavaHash, BoxedScalars) {
  EXPECT_EQ(long_hash(1700000000123), -807048720);
  EXPECT_EQ(long_hash(-1), 0);
  EXPECT_EQ(double_hash(1.5), 1073217536);
  EXPECT_EQ(double_hash(std::nan("")), 2146959360);
  EXPECT_EQ(float_hash(1.5f), 1069547520);
  EXPECT_EQ(boolean_hash(true), 1231);
  EXPECT_EQ(boolean_hash(false), 1237);
}

TEST(JavaHash, ListOfElementHashes) {
  const std::vector<int32_t> hashes = {string_hash("a"), 0, string_hash("b")};
  EXPECT_EQ(list_hash(hashes), 123106);
}

TEST(JavaHash, HexStringHasNoLeadingZeros) {
  EXPECT_EQ(to_hex_string(2), "2");
  EXPECT_EQ(to_hex_string(-1), "ffffffff");
  EXPECT_EQ(to_hex_string(static_cast<int32_t>(0xc965e310u)), "c965e310");
}

TEST(JavaHash, GeneratedStructureMatchesAwsRecording) {
  // PartitionKey "" and Data "" (ExplicitHashKey absent), members in model order.
  const std::vector<int32_t> members = {byte_buffer_hash(""), 0, string_hash("")};
  EXPECT_EQ(to_hex_string(structure_hash(kEntryClass, members)), "c965e310");
}

const model::Shape& entry_shape() {
  const auto& model = model::ServiceModel::embedded("kinesis-2013-12-02");
  const auto* op = model.find_operation("PutRecords");
  const auto* records = op->input->find_member("Records");
  return *records->shape->member;
}

int32_t entry_hash(std::string_view json) {
  auto codec = make_json_codec("application/x-amz-json-1.1");
  auto parsed = codec->parse(json);
  EXPECT_TRUE(parsed.ok());
  auto value = parsed.value()->to_value(&entry_shape());
  EXPECT_TRUE(value.ok());
  return value_hash(value.value(), entry_shape(), "com.amazonaws.kinesis.v20131202.");
}

TEST(JavaHash, DecodedPutRecordsEntries) {
  EXPECT_EQ(to_hex_string(entry_hash(R"({"PartitionKey":"","Data":""})")), "c965e310");
  EXPECT_EQ(to_hex_string(entry_hash(R"({"PartitionKey":"k","Data":"ZA=="})")), "c967cb7d");
  EXPECT_EQ(
      to_hex_string(entry_hash(R"({"PartitionKey":"pk","Data":"/wAB","ExplicitHashKey":"123"})")),
      "cb3fe1b7");
  EXPECT_EQ(to_hex_string(entry_hash(R"({"PartitionKey":"pk"})")), "c965ed4a");
}

TEST(JavaHash, MapIsSumOfEntryHashes) {
  model::Shape string_shape;
  string_shape.type = model::ShapeType::kString;
  model::Shape map_shape;
  map_shape.type = model::ShapeType::kMap;
  map_shape.key = &string_shape;
  map_shape.value = &string_shape;
  Value map = Value::map();
  map.set("k1", "v1");
  map.set("k2", "v2");
  EXPECT_EQ(value_hash(map, map_shape, ""), 1720);
}

}  // namespace
}  // namespace trib::aws::java_hash
