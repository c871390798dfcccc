// DynamoDB Streams: identifiers and sequence numbers (dynamodb_streams/stream.h), the record
// format, and the ordering guarantee of records written by concurrent item writes.
#include "dynamodb_streams/table_streams.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "aws/codec.h"
#include "dynamodb/items/write_path.h"
#include "dynamodb/values/item_codec.h"
#include "dynamodb_streams/change_record.h"
#include "storage/engine.h"

namespace trib::dynamodb_streams {
namespace {

using dynamodb::AttributeValue;
using dynamodb::Item;
using dynamodb::items::ChangeKind;
using dynamodb::items::WriteDecision;

StreamInfo sample_stream() {
  StreamInfo s;
  s.key = {"123456789012", "us-west-1", "Music", 1571767321576};
  s.table_id = 7;
  s.view_type = "NEW_AND_OLD_IMAGES";
  s.key_schema.hash = {"pk", 'S'};
  s.partitions = 4;
  s.rollover_ms = 4LL * 3600 * 1000;
  return s;
}

TEST(DynamoDbStreams, ArnLabelAndShardIds) {
  const StreamInfo s = sample_stream();
  EXPECT_EQ(s.arn(),
            "arn:aws:dynamodb:us-west-1:123456789012:table/Music/stream/2019-10-22T18:02:01.576");
  auto key = parse_stream_arn(s.arn());
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, s.key);
  EXPECT_FALSE(parse_stream_arn("arn:aws:dynamodb:us-west-1:123456789012:table/Music"));
  EXPECT_FALSE(parse_stream_arn(
      "arn:aws:dynamodb:us-west-1:123456789012:table/Music/stream/2019-02-31T18:02:01.576"));
  for (uint32_t p = 0; p < 4; ++p) {
    for (uint32_t e = 0; e < 3; ++e) {
      const std::string id = s.shard_id({p, e});
      EXPECT_EQ(id.size(), 37u) << id;
      EXPECT_EQ(id.substr(0, 8), "shardId-");
      auto back = s.parse_shard_id(id);
      ASSERT_TRUE(back) << id;
      EXPECT_EQ(*back, (ShardPos{p, e}));
      if (e > 0) {
        EXPECT_LT(s.shard_id({p, e - 1}), id);  // lexical order is creation order
      }
    }
  }
  std::string forged = s.shard_id({1, 1});
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_FALSE(s.parse_shard_id(forged));
  EXPECT_FALSE(s.parse_shard_id("shardId-00000001571767321804-697ce3d2"));
}

TEST(DynamoDbStreams, SequenceNumbersRiseWithinAChainAndDecode) {
  const std::string a = format_sequence_number({2, 0}, 5);
  const std::string b = format_sequence_number({2, 0}, 6);
  const std::string child = format_sequence_number({2, 1}, 0);
  EXPECT_EQ(a.size(), 21u);
  EXPECT_LT(a, b);
  EXPECT_LT(b, child);  // same width: string order is numeric order
  auto parsed = parse_sequence_number(b);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->shard, (ShardPos{2, 0}));
  EXPECT_EQ(parsed->n, 6u);
  EXPECT_FALSE(parse_sequence_number("12345"));
  EXPECT_FALSE(parse_sequence_number("0" + std::string(20, '1')));
  EXPECT_TRUE(is_sequence_number_shape(std::string(40, '9')));
  // The format is printf's "%u%08u%012llu" (what it was written with), wide values included.
  for (const ShardPos pos : {ShardPos{0, 0}, ShardPos{8, 99999999}, ShardPos{41, 123456789},
                             ShardPos{UINT32_MAX, UINT32_MAX}}) {
    for (const uint64_t n :
         {uint64_t{0}, uint64_t{7}, uint64_t{999999999999}, uint64_t{1000000000000}, UINT64_MAX}) {
      char expected[64];
      std::snprintf(expected, sizeof expected, "%u%08u%012llu", pos.partition + 1, pos.epoch,
                    static_cast<unsigned long long>(n));
      EXPECT_EQ(format_sequence_number(pos, n), expected);
    }
  }
  EXPECT_FALSE(is_sequence_number_shape(std::string(41, '9')));
}

TEST(DynamoDbStreams, RolloverAndDisableTimes) {
  StreamInfo s = sample_stream();
  const int64_t c = s.created_ms();
  EXPECT_EQ(s.epoch_at(0, c), 0u);
  EXPECT_EQ(s.epoch_at(0, c + s.rollover_ms), 1u);
  EXPECT_EQ(s.epoch_at(3, c + s.rollover_ms), 0u);  // chain 3 rolls 3 ms later
  EXPECT_FALSE(s.shard_closed({0, 0}, c + s.rollover_ms - 1));
  EXPECT_TRUE(s.shard_closed({0, 0}, c + s.rollover_ms));
  EXPECT_EQ(s.last_epoch(0, c + s.rollover_ms), 1u);  // the child exists when the parent closes
  s.disabled_ms = c + 10;
  EXPECT_TRUE(s.shard_closed({0, 0}, c + 10));
  EXPECT_EQ(s.last_epoch(0, c + 5 * s.rollover_ms), 0u);
  EXPECT_TRUE(s.shard_visible({0, 0}, c + 10 + kRetentionMs - 1));
  EXPECT_FALSE(s.shard_visible({0, 0}, c + 10 + kRetentionMs));
  EXPECT_TRUE(s.is_gone(c + 10 + kRetentionMs));
}

TEST(DynamoDbStreams, RecordCodecAndSizeBytes) {
  ChangeRecord r;
  r.n = 9;
  r.time_ms = 1571849734123;
  r.kind = ChangeKind::kModify;
  dynamodb::put_attribute(r.keys, "Artist", AttributeValue::string("Acme Band"));
  r.new_image = r.keys;
  dynamodb::put_attribute(*r.new_image, "x", AttributeValue::string("abc"));
  auto back = decode_change_record(encode_change_record(r), 9);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->keys, r.keys);
  EXPECT_EQ(back->new_image, r.new_image);
  EXPECT_FALSE(back->old_image);
  EXPECT_EQ(record_size_bytes(*back), 15u + 15u + 4u);
  EXPECT_FALSE(decode_change_record("garbage", 1));
  const aws::Value wire = record_to_wire(sample_stream(), {0, 0}, *back, "us-west-1", "seed");
  EXPECT_EQ(wire.find("dynamodb")->find("ApproximateCreationDateTime")->as_int(), 1571849734);
  EXPECT_EQ(wire.find("eventID")->as_string().size(), 32u);
  EXPECT_FALSE(wire.find("userIdentity"));
  // [V] facts §12: a TTL delete is the service's.
  r.origin = dynamodb::items::WriteOrigin::kTimeToLive;
  r.kind = ChangeKind::kRemove;
  const aws::Value ttl = record_to_wire(sample_stream(), {0, 0}, r, "us-west-1", "seed");
  ASSERT_TRUE(ttl.find("userIdentity"));
  EXPECT_EQ(*ttl.find("userIdentity")->string_member("Type"), "Service");
  EXPECT_EQ(*ttl.find("userIdentity")->string_member("PrincipalId"), "dynamodb.amazonaws.com");
  EXPECT_EQ(ttl.find("userIdentity")->as_map().size(), 2u);
  EXPECT_EQ(ttl.find("eventName")->as_string(), "REMOVE");
  EXPECT_EQ(ttl.as_map().back().first, "userIdentity");
}

// The write path's encoder (straight from the change's images) stores exactly the bytes the
// record codec gives for record_of(change): the stored format is unchanged, old records read.
TEST(DynamoDbStreams, EncodeChangeStoresTheRecordCodecsBytes) {
  dynamodb::Table table;
  table.key_schema.hash = {"pk", 'S'};
  table.key_schema.range = dynamodb::KeyAttribute{"sk", 'N'};
  Item old_item;
  dynamodb::put_attribute(old_item, "pk", AttributeValue::string("a"));
  dynamodb::put_attribute(old_item, "sk", AttributeValue::number(*dynamodb::Number::parse("7")));
  dynamodb::put_attribute(old_item, "v", AttributeValue::string(std::string(300, 'x')));
  Item new_item = old_item;
  dynamodb::put_attribute(new_item, "v", AttributeValue::string("y"));
  using dynamodb::items::ItemChange;
  using dynamodb::items::WriteOrigin;
  const std::vector<ItemChange> changes = {
      {table, nullptr, &new_item, 1571849734123, ChangeKind::kInsert},
      {table, &old_item, &new_item, 1571849734124, ChangeKind::kModify},
      {table, &old_item, nullptr, 1571849734125, ChangeKind::kRemove, WriteOrigin::kTimeToLive}};
  for (const ItemChange& change : changes) {
    for (const char* view : {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"}) {
      const std::string stored = encode_change(change, view);
      EXPECT_EQ(stored, encode_change_record(record_of(change, view))) << view;
      auto back = decode_change_record(stored, 3);
      ASSERT_TRUE(back) << view;
      EXPECT_EQ(back->kind, change.kind);
      EXPECT_EQ(back->origin, change.origin);
      EXPECT_EQ(back->time_ms, change.time_ms);
      EXPECT_EQ(back->keys.size(), 2u);
      EXPECT_EQ(back->new_image.has_value(),
                change.new_image && std::string_view(view).find("NEW") != std::string_view::npos);
      EXPECT_EQ(back->old_image.has_value(),
                change.old_image && std::string_view(view).find("OLD") != std::string_view::npos);
    }
  }
  // A record stored before this encoder existed (version 1 bytes written by hand): still read.
  ChangeRecord r;
  r.time_ms = 5;
  r.kind = ChangeKind::kInsert;
  dynamodb::put_attribute(r.keys, "pk", AttributeValue::string("a"));
  std::string v1("\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x05", 11);
  const std::string keys = dynamodb::encode_item(r.keys);
  v1 += std::string("\x00\x00\x00", 3) + static_cast<char>(keys.size()) + keys;
  v1 += std::string(8, '\xff');
  EXPECT_EQ(encode_change_record(r), v1);
  auto old = decode_change_record(v1, 1);
  ASSERT_TRUE(old);
  EXPECT_EQ(old->keys, r.keys);
  EXPECT_FALSE(old->new_image);
}

// A MODIFY with both images holding every attribute type (nested, empty, escaped, numbers of
// every shape), and a TTL REMOVE: their stored bytes and GetRecords JSON, pinned as literals
// taken from the build before the drain work (git 6f46964), so a faster encoder must give
// exactly these bytes.
Item every_attribute_type_item() {
  using dynamodb::Number;
  auto number = [](const char* text) { return AttributeValue::number(*Number::parse(text)); };
  Item item;
  dynamodb::put_attribute(item, "pk", AttributeValue::string("k\"\\\n\x01\x7f\xc3\xa9/"));
  dynamodb::put_attribute(item, "sk", number("-12.5E3"));
  dynamodb::put_attribute(item, "s", AttributeValue::string(""));
  dynamodb::put_attribute(item, "b", AttributeValue::binary(std::string("\0\xff\x10\xfb", 4)));
  dynamodb::put_attribute(item, "b0", AttributeValue::binary(""));
  dynamodb::put_attribute(item, "t", AttributeValue::boolean(true));
  dynamodb::put_attribute(item, "f", AttributeValue::boolean(false));
  dynamodb::put_attribute(item, "z", AttributeValue::null());
  dynamodb::put_attribute(item, "n0", number("0"));
  dynamodb::put_attribute(item, "n1", number("12000"));
  dynamodb::put_attribute(item, "n2", number("0.0025"));
  dynamodb::put_attribute(item, "n3", number("-3.14159"));
  dynamodb::put_attribute(item, "n4", number("9.9999999999999999999999999999999999999E+125"));
  dynamodb::put_attribute(item, "n5", number("-1E-130"));
  dynamodb::put_attribute(item, "ss", AttributeValue::string_set({"y\"", "x", "\xe2\x82\xac"}));
  dynamodb::put_attribute(item, "ns",
                          AttributeValue::number_set({*Number::parse("1"), *Number::parse("-0.5"),
                                                      *Number::parse("0"), *Number::parse("1e3")}));
  dynamodb::put_attribute(item, "bs",
                          AttributeValue::binary_set({"q", std::string(1, '\0'), "pq"}));
  Item inner;
  dynamodb::put_attribute(inner, "k",
                          AttributeValue::list({AttributeValue::string("v"), number("7"),
                                                AttributeValue::null(), AttributeValue::map({})}));
  dynamodb::put_attribute(inner, "\t", AttributeValue::boolean(false));
  dynamodb::put_attribute(item, "m", AttributeValue::map(inner));
  dynamodb::put_attribute(item, "m0", AttributeValue::map({}));
  dynamodb::put_attribute(item, "l0", AttributeValue::list({}));
  dynamodb::put_attribute(
      item, "l",
      AttributeValue::list({AttributeValue::binary("x"), AttributeValue::string_set({"a"}),
                            AttributeValue::list({AttributeValue::boolean(true)}),
                            AttributeValue::map(inner)}));
  dynamodb::put_attribute(item, "na\"me\xc3\xa9", AttributeValue::string("\x1f"));
  return item;
}

// What GetRecords answers (its Records member as JSON) for stored records `values` at
// positions `positions`, their storage keys `seeds`.
std::string records_json(const StreamInfo& stream, ShardPos shard,
                         const std::vector<std::string>& values,
                         const std::vector<uint64_t>& positions, std::vector<std::string> seeds) {
  std::vector<StoredRecord> records;
  for (size_t i = 0; i < values.size(); ++i) {
    records.push_back({positions[i], std::move(seeds[i]), values[i]});
  }
  auto list = records_to_wire(stream, shard, std::move(records), "eu-west-3");
  return list ? aws::to_json(*list) : "undecodable";
}

std::string hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

TEST(DynamoDbStreams, RecordBytesOfEveryAttributeTypeArePinned) {
  dynamodb::Table table;
  table.key_schema.hash = {"pk", 'S'};
  table.key_schema.range = dynamodb::KeyAttribute{"sk", 'N'};
  const Item new_item = every_attribute_type_item();
  Item old_item = new_item;
  dynamodb::put_attribute(old_item, "s", AttributeValue::string("old"));
  using dynamodb::items::ItemChange;
  using dynamodb::items::WriteOrigin;
  const ItemChange modify{table, &old_item, &new_item, 1571849734123, ChangeKind::kModify};
  const ItemChange ttl{table,         &old_item,           nullptr,
                       1571849799999, ChangeKind::kRemove, WriteOrigin::kTimeToLive};
  const std::vector<std::string> values = {encode_change(modify, "NEW_AND_OLD_IMAGES"),
                                           encode_change(ttl, "NEW_AND_OLD_IMAGES")};
  EXPECT_EQ(
      hex(values[0]),
      "0102000000016df98b87eb00000019010202706b00096b225c0a017fc3a92f02736b010179f2ccff000000f20116"
      "0162020400ff10fb026230020002627309030100027071017101660300016c060402017807010161060103010502"
      "01090300016b06040001760103824700040500026c300600016d050201090300016b060400017601038247000405"
      "00026d300500026e300102026e310103860d00026e3201037f1a00026e3301017ddfd5c3ff026e340103ff646464"
      "6464646464646464646464646464646400026e350101fff4ff076e61226d65c3a900011f026e730804017eccff02"
      "03820b0003850b0002706b00096b225c0a017fc3a92f0173000002736b010179f2ccff0273730703017802792203"
      "e282ac01740301017a04000000f501160162020400ff10fb02623002000262730903010002707101710166030001"
      "6c06040201780701016106010301050201090300016b06040001760103824700040500026c300600016d05020109"
      "0300016b06040001760103824700040500026d300500026e300102026e310103860d00026e3201037f1a00026e33"
      "01017ddfd5c3ff026e340103ff6464646464646464646464646464646464646400026e350101fff4ff076e61226d"
      "65c3a900011f026e730804017eccff0203820b0003850b0002706b00096b225c0a017fc3a92f017300036f6c6402"
      "736b010179f2ccff0273730703017802792203e282ac01740301017a04");
  EXPECT_EQ(
      hex(values[1]),
      "0103010000016df98c893f00000019010202706b00096b225c0a017fc3a92f02736b010179f2ccffffffffff0000"
      "00f501160162020400ff10fb026230020002627309030100027071017101660300016c0604020178070101610601"
      "0301050201090300016b06040001760103824700040500026c300600016d050201090300016b0604000176010382"
      "4700040500026d300500026e300102026e310103860d00026e3201037f1a00026e3301017ddfd5c3ff026e340103"
      "ff6464646464646464646464646464646464646400026e350101fff4ff076e61226d65c3a900011f026e73080401"
      "7eccff0203820b0003850b0002706b00096b225c0a017fc3a92f017300036f6c6402736b010179f2ccff02737307"
      "03017802792203e282ac01740301017a04");
  StreamInfo stream = sample_stream();
  EXPECT_EQ(
      records_json(stream, {2, 5}, values, {0, 123456789012}, {"seed-a", "seed-b"}),
      "[{\"eventID\":\"9d748567e453c1da5e4b2893390d79f5\",\"eventName\":\"MODIFY\",\"eventVersion\""
      ":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"eu-west-3\",\"dynamodb\":{\"Approx"
      "imateCreationDateTime\":1571849734,\"Keys\":{\"pk\":{\"S\":\"k\\\"\\\\\\n\\u0001\x7F\xC3\xA9"
      "/\"},\"sk\":{\"N\":\"-12500\"}},\"NewImage\":{\"b\":{\"B\":\"AP8Q+w==\"},\"b0\":{\"B\":\"\"}"
      ",\"bs\":{\"BS\":[\"AA==\",\"cHE=\",\"cQ==\"]},\"f\":{\"BOOL\":false},\"l\":{\"L\":[{\"B\":\""
      "eA==\"},{\"SS\":[\"a\"]},{\"L\":[{\"BOOL\":true}]},{\"M\":{\"\\t\":{\"BOOL\":false},\"k\":{"
      "\"L\":[{\"S\":\"v\"},{\"N\":\"7\"},{\"NULL\":true},{\"M\":{}}]}}}]},\"l0\":{\"L\":[]},\"m\":"
      "{\"M\":{\"\\t\":{\"BOOL\":false},\"k\":{\"L\":[{\"S\":\"v\"},{\"N\":\"7\"},{\"NULL\":true},{"
      "\"M\":{}}]}}},\"m0\":{\"M\":{}},\"n0\":{\"N\":\"0\"},\"n1\":{\"N\":\"12000\"},\"n2\":{\"N\":"
      "\"0.0025\"},\"n3\":{\"N\":\"-3.14159\"},\"n4\":{\"N\":\"999999999999999999999999999999999999"
      "990000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\""
      "},\"n5\":{\"N\":\"-0.00000000000000000000000000000000000000000000000000000000000000000000000"
      "00000000000000000000000000000000000000000000000000000000001\"},\"na\\\"me\xC3\xA9\":{\"S\":"
      "\"\\u001f\"},\"ns\":{\"NS\":[\"-0.5\",\"0\",\"1\",\"1000\"]},\"pk\":{\"S\":\"k\\\"\\\\\\n\\u"
      "0001\x7F\xC3\xA9/\"},\"s\":{\"S\":\"\"},\"sk\":{\"N\":\"-12500\"},\"ss\":{\"SS\":[\"x\",\"y"
      "\\\"\",\"\xE2\x82\xAC\"]},\"t\":{\"BOOL\":true},\"z\":{\"NULL\":true}},\"OldImage\":{\"b\":{"
      "\"B\":\"AP8Q+w==\"},\"b0\":{\"B\":\"\"},\"bs\":{\"BS\":[\"AA==\",\"cHE=\",\"cQ==\"]},\"f\":{"
      "\"BOOL\":false},\"l\":{\"L\":[{\"B\":\"eA==\"},{\"SS\":[\"a\"]},{\"L\":[{\"BOOL\":true}]},{"
      "\"M\":{\"\\t\":{\"BOOL\":false},\"k\":{\"L\":[{\"S\":\"v\"},{\"N\":\"7\"},{\"NULL\":true},{"
      "\"M\":{}}]}}}]},\"l0\":{\"L\":[]},\"m\":{\"M\":{\"\\t\":{\"BOOL\":false},\"k\":{\"L\":[{\"S"
      "\":\"v\"},{\"N\":\"7\"},{\"NULL\":true},{\"M\":{}}]}}},\"m0\":{\"M\":{}},\"n0\":{\"N\":\"0\""
      "},\"n1\":{\"N\":\"12000\"},\"n2\":{\"N\":\"0.0025\"},\"n3\":{\"N\":\"-3.14159\"},\"n4\":{\"N"
      "\":\"999999999999999999999999999999999999990000000000000000000000000000000000000000000000000"
      "000000000000000000000000000000000000000\"},\"n5\":{\"N\":\"-0.000000000000000000000000000000"
      "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "00000001\"},\"na\\\"me\xC3\xA9\":{\"S\":\"\\u001f\"},\"ns\":{\"NS\":[\"-0.5\",\"0\",\"1\",\""
      "1000\"]},\"pk\":{\"S\":\"k\\\"\\\\\\n\\u0001\x7F\xC3\xA9/\"},\"s\":{\"S\":\"old\"},\"sk\":{"
      "\"N\":\"-12500\"},\"ss\":{\"SS\":[\"x\",\"y\\\"\",\"\xE2\x82\xAC\"]},\"t\":{\"BOOL\":true},"
      "\"z\":{\"NULL\":true}},\"SequenceNumber\":\"300000005000000000000\",\"SizeBytes\":380,\"Stre"
      "amViewType\":\"NEW_AND_OLD_IMAGES\"}},{\"eventID\":\"3b38dd52523f80e0671ee0af099b13d6\",\"ev"
      "entName\":\"REMOVE\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\""
      ":\"eu-west-3\",\"dynamodb\":{\"ApproximateCreationDateTime\":1571849799,\"Keys\":{\"pk\":{\""
      "S\":\"k\\\"\\\\\\n\\u0001\x7F\xC3\xA9/\"},\"sk\":{\"N\":\"-12500\"}},\"OldImage\":{\"b\":{\""
      "B\":\"AP8Q+w==\"},\"b0\":{\"B\":\"\"},\"bs\":{\"BS\":[\"AA==\",\"cHE=\",\"cQ==\"]},\"f\":{\""
      "BOOL\":false},\"l\":{\"L\":[{\"B\":\"eA==\"},{\"SS\":[\"a\"]},{\"L\":[{\"BOOL\":true}]},{\"M"
      "\":{\"\\t\":{\"BOOL\":false},\"k\":{\"L\":[{\"S\":\"v\"},{\"N\":\"7\"},{\"NULL\":true},{\"M"
      "\":{}}]}}}]},\"l0\":{\"L\":[]},\"m\":{\"M\":{\"\\t\":{\"BOOL\":false},\"k\":{\"L\":[{\"S\":"
      "\"v\"},{\"N\":\"7\"},{\"NULL\":true},{\"M\":{}}]}}},\"m0\":{\"M\":{}},\"n0\":{\"N\":\"0\"},"
      "\"n1\":{\"N\":\"12000\"},\"n2\":{\"N\":\"0.0025\"},\"n3\":{\"N\":\"-3.14159\"},\"n4\":{\"N\""
      ":\"99999999999999999999999999999999999999000000000000000000000000000000000000000000000000000"
      "0000000000000000000000000000000000000\"},\"n5\":{\"N\":\"-0.00000000000000000000000000000000"
      "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "000001\"},\"na\\\"me\xC3\xA9\":{\"S\":\"\\u001f\"},\"ns\":{\"NS\":[\"-0.5\",\"0\",\"1\",\"10"
      "00\"]},\"pk\":{\"S\":\"k\\\"\\\\\\n\\u0001\x7F\xC3\xA9/\"},\"s\":{\"S\":\"old\"},\"sk\":{\"N"
      "\":\"-12500\"},\"ss\":{\"SS\":[\"x\",\"y\\\"\",\"\xE2\x82\xAC\"]},\"t\":{\"BOOL\":true},\"z"
      "\":{\"NULL\":true}},\"SequenceNumber\":\"300000005123456789012\",\"SizeBytes\":200,\"StreamV"
      "iewType\":\"NEW_AND_OLD_IMAGES\"},\"userIdentity\":{\"Type\":\"Service\",\"PrincipalId\":\"d"
      "ynamodb.amazonaws.com\"}}]");
}

// GetRecords' Records fragment writes JSON straight from the stored records: byte for byte what
// the JSON codec makes of the list of record_to_wire Values of the decoded records, for every
// view type, event kind, the TTL identity, and every attribute type; other codecs get that
// same list.
TEST(DynamoDbStreams, RecordsFragmentWritesTheValueTreesJson) {
  using dynamodb::Number;
  Item keys;
  dynamodb::put_attribute(keys, "pk", AttributeValue::string("a\"b\\c\n\x01é"));
  dynamodb::put_attribute(keys, "sk", AttributeValue::number(*Number::parse("-12.5E3")));
  Item full = keys;
  dynamodb::put_attribute(full, "b", AttributeValue::binary(std::string("\0\xff\x10", 3)));
  dynamodb::put_attribute(full, "t", AttributeValue::boolean(true));
  dynamodb::put_attribute(full, "n", AttributeValue::null());
  dynamodb::put_attribute(full, "ss", AttributeValue::string_set({"x", "y\""}));
  dynamodb::put_attribute(
      full, "ns", AttributeValue::number_set({*Number::parse("0.25"), *Number::parse("1")}));
  dynamodb::put_attribute(full, "bs", AttributeValue::binary_set({"p", "q"}));
  Item inner;
  dynamodb::put_attribute(inner, "k", AttributeValue::list({AttributeValue::string("v")}));
  dynamodb::put_attribute(full, "m", AttributeValue::map(inner));
  dynamodb::put_attribute(full, "l", AttributeValue::list({}));
  std::vector<ChangeRecord> records;
  std::vector<std::string> seeds;
  for (const char* view : {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"}) {
    for (ChangeKind kind : {ChangeKind::kInsert, ChangeKind::kModify, ChangeKind::kRemove}) {
      for (auto origin :
           {dynamodb::items::WriteOrigin::kRequest, dynamodb::items::WriteOrigin::kTimeToLive}) {
        ChangeRecord r;
        r.n = records.size() * 977;
        r.time_ms = 1571849734123 + static_cast<int64_t>(records.size()) * 1001;
        r.kind = kind;
        r.origin = origin;
        r.keys = keys;
        const std::string_view v(view);
        if (kind != ChangeKind::kRemove && v.find("NEW") != std::string_view::npos) {
          r.new_image = full;
        }
        if (kind != ChangeKind::kInsert && v.find("OLD") != std::string_view::npos) {
          r.old_image = full;
        }
        records.push_back(std::move(r));
        seeds.push_back("seed-" + std::to_string(records.size()));
      }
    }
    StreamInfo stream = sample_stream();
    stream.view_type = view;
    const ShardPos shard{2, 5};
    aws::Value expected = aws::Value::list();
    for (size_t i = 0; i < records.size(); ++i) {
      expected.push(record_to_wire(stream, shard, records[i], "eu-west-3", seeds[i]));
    }
    std::vector<StoredRecord> stored;
    for (size_t i = 0; i < records.size(); ++i) {
      stored.push_back({records[i].n, seeds[i], encode_change_record(records[i])});
    }
    const auto list = records_to_wire(stream, shard, std::move(stored), "eu-west-3");
    ASSERT_TRUE(list);
    const aws::Value& fragment = *list;
    ASSERT_EQ(fragment.kind(), aws::Value::Kind::kFragment);
    EXPECT_EQ(aws::to_json(fragment), aws::to_json(expected)) << view;
    EXPECT_EQ(aws::to_json(fragment.as_fragment().to_value()), aws::to_json(expected)) << view;
    records.clear();
    seeds.clear();
  }
  // The eventID is the two seed hashes as 32 lowercase hex digits (as snprintf "%016llx%016llx"
  // wrote it before).
  char id[40];
  std::snprintf(id, sizeof id, "%016llx%016llx",
                static_cast<unsigned long long>(dynamodb::xxhash64("seed", 0x4556454e54ULL)),
                static_cast<unsigned long long>(dynamodb::xxhash64("seed", 0x49444944ULL)));
  ChangeRecord r;
  dynamodb::put_attribute(r.keys, "pk", AttributeValue::string("a"));
  EXPECT_EQ(
      record_to_wire(sample_stream(), {0, 0}, r, "us-west-1", "seed").find("eventID")->as_string(),
      id);
}

dynamodb::Table stream_table() {
  dynamodb::Table t;
  t.id = 3;
  t.key = {"123456789012", "us-east-1", "tbl"};
  t.key_schema.hash = {"pk", 'S'};
  t.stream_enabled = true;
  t.stream_view_type = "KEYS_ONLY";
  t.stream_label_ms = 1'000'000;
  return t;
}

// Writers to different items commit in parallel; the records of one chain must still become
// visible in sequence order: a reader following the chain never meets a gap (n + 1 before n),
// and no record is lost or numbered twice.
TEST(DynamoDbStreams, ConcurrentWritersNeverExposeAGap) {
  auto engine = storage::make_memory_engine();
  TableStreams streams(*engine, StreamsOptions{.rollover_ms = kDefaultRolloverMs, .partitions = 1});
  const dynamodb::items::WritePath path{*engine, false, &streams};
  const dynamodb::Table table = stream_table();
  StreamInfo info;
  info.key = {table.key.account, table.key.region, table.key.name, table.stream_label_ms};
  info.table_id = table.id;
  info.view_type = table.stream_view_type;
  info.key_schema = table.key_schema;
  info.partitions = 1;
  const int64_t now = table.stream_label_ms + 1000;

  constexpr int kWriters = 8;
  constexpr int kWritesEach = 500;
  std::atomic<bool> done{false};
  std::atomic<bool> gap{false};
  std::atomic<uint64_t> read_total{0};
  std::thread reader([&] {
    uint64_t next = 0;
    for (;;) {
      const bool finished = done.load();
      TableStreams::Page page;
      ASSERT_TRUE(streams.read(info, {0, 0}, next, 1000, 1 << 20, now, &page).is_ok());
      for (const StoredRecord& record : page.records) {
        const uint64_t expected = next == 0 ? 1 : next;
        if (record.n != expected) gap = true;
        next = record.n + 1;
        ++read_total;
      }
      if (finished && page.records.empty()) break;
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kWritesEach; ++i) {
        Item key;
        dynamodb::put_attribute(
            key, "pk", AttributeValue::string(std::to_string(w) + "-" + std::to_string(i)));
        auto outcome = path.write(
            table, key,
            [&](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
              return WriteDecision::put(key);
            },
            now);
        ASSERT_TRUE(static_cast<bool>(outcome));
      }
    });
  }
  for (auto& t : writers) t.join();
  done = true;
  reader.join();
  EXPECT_FALSE(gap.load());
  EXPECT_EQ(read_total.load(), uint64_t{kWriters * kWritesEach});
  std::optional<uint64_t> last;
  ASSERT_TRUE(streams.last_position(info, {0, 0}, &last).is_ok());
  EXPECT_EQ(last, uint64_t{kWriters * kWritesEach});
}

// A multi-item write (TransactWriteItems) with several items of one chain: one record per
// changed item, numbered consecutively in action order (not all with the committed state's n),
// none for an unchanged item; the next single write continues after them.
TEST(DynamoDbStreams, MultiItemWriteNumbersEachItemOfAChain) {
  auto engine = storage::make_memory_engine();
  TableStreams streams(*engine, StreamsOptions{.rollover_ms = kDefaultRolloverMs, .partitions = 1});
  const dynamodb::items::WritePath path{*engine, false, &streams};
  const dynamodb::Table table = stream_table();
  StreamInfo info;
  info.key = {table.key.account, table.key.region, table.key.name, table.stream_label_ms};
  info.table_id = table.id;
  info.view_type = table.stream_view_type;
  info.key_schema = table.key_schema;
  info.partitions = 1;
  const int64_t now = table.stream_label_ms + 1000;
  auto key_of = [](const std::string& pk) {
    Item key;
    dynamodb::put_attribute(key, "pk", AttributeValue::string(pk));
    return key;
  };
  const std::vector<Item> keys = {key_of("x"), key_of("y"), key_of("absent"), key_of("z")};
  std::vector<dynamodb::items::ItemWrite> writes;
  for (size_t i = 0; i < keys.size(); ++i) {
    const Item& key = keys[i];
    const bool keep = i == 2;
    writes.push_back(
        {table, key, [&key, keep](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
           return keep ? WriteDecision::keep() : WriteDecision::put(key);
         }});
  }
  auto group = path.write_items(writes, now);
  ASSERT_TRUE(static_cast<bool>(group));
  ASSERT_TRUE(group->step_errors.empty());
  auto single = path.write(
      table, keys[0],
      [&](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
        return WriteDecision::remove();
      },
      now);
  ASSERT_TRUE(static_cast<bool>(single));

  TableStreams::Page page;
  ASSERT_TRUE(streams.read(info, {0, 0}, 0, 100, 1 << 20, now, &page).is_ok());
  std::vector<std::pair<uint64_t, std::string>> got;
  std::vector<ChangeRecord> records;
  for (const StoredRecord& stored : page.records) {
    auto record = decode_change_record(stored.value, stored.n);
    ASSERT_TRUE(record);
    records.push_back(std::move(*record));
  }
  for (const ChangeRecord& record : records) {
    got.emplace_back(record.n, dynamodb::find_attribute(record.keys, "pk")->as_string());
  }
  const std::vector<std::pair<uint64_t, std::string>> expected = {
      {1, "x"}, {2, "y"}, {3, "z"}, {4, "x"}};
  EXPECT_EQ(got, expected);
  EXPECT_EQ(records.back().kind, ChangeKind::kRemove);
}

TEST(DynamoDbStreams, FanOutReachesEveryConsumer) {
  auto engine = storage::make_memory_engine();
  TableStreams first(*engine, {});
  TableStreams second(*engine, {});
  dynamodb::items::ChangeCaptureList list;
  list.add(&first);
  list.add(&second);
  std::vector<std::string> keys;
  list.lock_keys(stream_table(), 0, keys);
  EXPECT_EQ(keys.size(), 2u);
}

}  // namespace
}  // namespace trib::dynamodb_streams
