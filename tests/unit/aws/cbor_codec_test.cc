// CBOR (application/x-amz-cbor-1.1) decoding against shapes and encoding: tag-1 epoch
// milliseconds, byte-string blobs, definite and indefinite forms, AWS's wrong-type texts,
// and malformed bodies that must fail cleanly.
#include <cbor.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <utility>

#include "aws/codec.h"
#include "model/model.h"

namespace trib::aws {
namespace {

using namespace std::string_literals;

// ---- A tiny CBOR writer for building inputs, independent of the codec's encoder ----------

std::string head(int major, uint64_t argument) {
  std::string out;
  const auto high = static_cast<uint8_t>(major << 5);
  int width = 0;
  if (argument < 24) {
    out.push_back(static_cast<char>(high | argument));
    return out;
  }
  if (argument <= 0xff) {
    width = 1;
  } else if (argument <= 0xffff) {
    width = 2;
  } else if (argument <= 0xffffffffULL) {
    width = 4;
  } else {
    width = 8;
  }
  out.push_back(static_cast<char>(high | (width == 1   ? 24
                                          : width == 2 ? 25
                                          : width == 4 ? 26
                                                       : 27)));
  for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((argument >> shift) & 0xff));
  }
  return out;
}

std::string uint_item(uint64_t v) { return head(0, v); }
// The negative integer -1 - n.
std::string negative_item(uint64_t n) { return head(1, n); }
std::string bytes_item(std::string_view b) { return head(2, b.size()) + std::string(b); }
std::string text_item(std::string_view t) { return head(3, t.size()) + std::string(t); }
std::string tag_item(uint64_t tag, const std::string& content) { return head(6, tag) + content; }
std::string double_item(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  std::string out("\xfb");
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(bits >> shift));
  return out;
}
std::string float_item(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  std::string out("\xfa");
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(bits >> shift));
  return out;
}
std::string half_item(uint16_t bits) {
  std::string out("\xf9");
  out.push_back(static_cast<char>(bits >> 8));
  out.push_back(static_cast<char>(bits & 0xff));
  return out;
}
const std::string kFalse("\xf4");
const std::string kTrue("\xf5");
const std::string kNull("\xf6");
const std::string kUndefined("\xf7");
const std::string kBreak("\xff");

using Entries = std::initializer_list<std::pair<std::string_view, std::string>>;

std::string map_item(Entries entries) {
  std::string out = head(5, entries.size());
  for (const auto& [key, value] : entries) out += text_item(key) + value;
  return out;
}
std::string indefinite_map_item(Entries entries) {
  std::string out("\xbf");
  for (const auto& [key, value] : entries) out += text_item(key) + value;
  return out + kBreak;
}
std::string array_item(std::initializer_list<std::string> items) {
  std::string out = head(4, items.size());
  for (const auto& item : items) out += item;
  return out;
}
std::string indefinite_array_item(std::initializer_list<std::string> items) {
  std::string out("\x9f");
  for (const auto& item : items) out += item;
  return out + kBreak;
}
// An indefinite-length string (major 2 or 3) sent in the given chunks.
std::string chunked_item(int major, std::initializer_list<std::string_view> chunks) {
  std::string out(1, static_cast<char>((major << 5) | 31));
  for (auto chunk : chunks) out += head(major, chunk.size()) + std::string(chunk);
  return out + kBreak;
}

// ---- Decoding helpers ---------------------------------------------------------------------

const model::ServiceModel& kinesis_model() {
  return model::ServiceModel::embedded("kinesis-2013-12-02");
}

// A model with one structure holding every shape type (Kinesis has no double or float).
const model::ServiceModel& everything_model() {
  static const auto model = model::ServiceModel::parse(R"({
    "metadata": {"targetPrefix": "Test", "jsonVersion": "1.1"},
    "operations": {"Everything": {"name": "Everything", "input": {"shape": "Everything"}}},
    "shapes": {
      "Everything": {"type": "structure", "members": {
        "Text": {"shape": "Text"}, "Count": {"shape": "Count"}, "Big": {"shape": "Big"},
        "Flag": {"shape": "Flag"}, "Bytes": {"shape": "Bytes"}, "When": {"shape": "When"},
        "Ratio": {"shape": "Ratio"}, "Small": {"shape": "Small"}, "Items": {"shape": "Items"},
        "Labels": {"shape": "Labels"}, "Nested": {"shape": "Everything"}}},
      "Text": {"type": "string"}, "Count": {"type": "integer"}, "Big": {"type": "long"},
      "Flag": {"type": "boolean"}, "Bytes": {"type": "blob"}, "When": {"type": "timestamp"},
      "Ratio": {"type": "double"}, "Small": {"type": "float"},
      "Items": {"type": "list", "member": {"shape": "Text"}},
      "Labels": {"type": "map", "key": {"shape": "Text"}, "value": {"shape": "Count"}}}})");
  return *model;
}

const model::Shape* kinesis_input(std::string_view operation) {
  return kinesis_model().find_operation(operation)->input;
}
const model::Shape* everything_shape() {
  return everything_model().find_operation("Everything")->input;
}

AwsResult<Value> decode_with(const model::Shape* shape, std::string_view body) {
  auto codec = make_cbor_codec();
  auto parsed = codec->parse(body);
  if (!parsed) return fail(parsed.error());
  return parsed.value()->to_value(shape);
}

AwsResult<Value> decode(std::string_view operation, std::string_view body) {
  return decode_with(kinesis_input(operation), body);
}

std::string serialization_message(const model::Shape* shape, std::string_view body) {
  auto result = decode_with(shape, body);
  EXPECT_FALSE(result.ok());
  if (result.ok()) return "<decoded>";
  EXPECT_EQ(result.error().type, "SerializationException");
  EXPECT_EQ(result.error().message_key, AwsError::MessageKey::kUpper);
  return result.error().message;
}
std::string serialization_message(std::string_view operation, std::string_view body) {
  return serialization_message(kinesis_input(operation), body);
}

// True when the body fails to parse or to decode with a SerializationException without message.
::testing::AssertionResult rejected_without_message(const model::Shape* shape,
                                                    std::string_view body) {
  auto result = decode_with(shape, body);
  if (result.ok()) return ::testing::AssertionFailure() << "decoded";
  if (result.error().type != "SerializationException" ||
      result.error().message_key != AwsError::MessageKey::kNone) {
    return ::testing::AssertionFailure() << result.error().type << ": " << result.error().message;
  }
  return ::testing::AssertionSuccess();
}

std::string encode(const Value& v) { return make_cbor_codec()->encode(v); }

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    out.push_back(kDigits[static_cast<uint8_t>(c) >> 4]);
    out.push_back(kDigits[static_cast<uint8_t>(c) & 15]);
  }
  return out;
}

// A document using every item form the decoder knows, valid against Everything.
std::string rich_document() {
  return indefinite_map_item({
      {"Text", chunked_item(3, {"hel", "", "lo \xc3\xa9"})},
      {"Count", uint_item(70000)},
      {"Big", negative_item(1ULL << 40)},
      {"Flag", kTrue},
      {"Bytes", chunked_item(2, {std::string_view("\x00\xff", 2), "z"})},
      {"When", tag_item(1, uint_item(1480000000123))},
      {"Ratio", half_item(0x3e00)},
      {"Small", float_item(0.5f)},
      {"Unknown", map_item({{"deep", array_item({kNull, tag_item(99, bytes_item("x"))})}})},
      {"Items", indefinite_array_item({text_item("a"), kNull, text_item("b")})},
      {"Labels", map_item({{"k", uint_item(1)}, {"skip", kNull}})},
      {"Nested", map_item({{"When", tag_item(1, double_item(1.5e12))}, {"Flag", kUndefined}})},
  });
}

// ---- Tests -------------------------------------------------------------------------------

TEST(CborCodec, ContentType) {
  EXPECT_EQ(make_cbor_codec()->content_type(), "application/x-amz-cbor-1.1");
}

TEST(CborCodec, DecodesEveryShapeKind) {
  auto v = decode_with(everything_shape(), rich_document());
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(*v->string_member("Text"), "hello \xc3\xa9");
  EXPECT_EQ(v->int_member("Count"), 70000);
  EXPECT_EQ(v->int_member("Big"), -1 - (int64_t{1} << 40));
  EXPECT_EQ(v->bool_member("Flag"), true);
  EXPECT_EQ(v->find("Bytes")->as_blob().bytes, std::string("\x00\xff"
                                                           "z",
                                                           3));
  EXPECT_EQ(v->timestamp_member("When"), 1480000000123);
  EXPECT_EQ(v->find("Ratio")->as_double(), 1.5);
  EXPECT_EQ(v->find("Small")->as_double(), 0.5);
  EXPECT_EQ(v->find("Unknown"), nullptr);
  const auto& items = v->find("Items")->as_list();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].as_string(), "a");
  EXPECT_TRUE(items[1].is_null());
  EXPECT_EQ(items[2].as_string(), "b");
  const Value* labels = v->find("Labels");
  ASSERT_EQ(labels->as_map().size(), 1u);
  EXPECT_EQ(labels->int_member("k"), 1);
  const Value* nested = v->find("Nested");
  EXPECT_EQ(nested->timestamp_member("When"), 1500000000000);
  EXPECT_EQ(nested->find("Flag"), nullptr);
  // Members come out in model order, whatever the wire order.
  std::vector<std::string> names;
  for (const auto& [name, _] : v->as_map()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"Text", "Count", "Big", "Flag", "Bytes", "When",
                                             "Ratio", "Small", "Items", "Labels", "Nested"}));
}

TEST(CborCodec, DefiniteAndIndefiniteFormsDecodeAlike) {
  const std::string definite = map_item({
      {"Text", text_item("hello")},
      {"Bytes", bytes_item("abc")},
      {"Items", array_item({text_item("x"), text_item("y")})},
      {"Labels", map_item({{"a", uint_item(1)}, {"b", uint_item(2)}})},
  });
  const std::string indefinite = indefinite_map_item({
      {"Text", chunked_item(3, {"he", "llo"})},
      {"Bytes", chunked_item(2, {"a", "bc"})},
      {"Items", indefinite_array_item({chunked_item(3, {"x"}), text_item("y")})},
      {"Labels", indefinite_map_item({{"a", uint_item(1)}, {"b", uint_item(2)}})},
  });
  auto a = decode_with(everything_shape(), definite);
  auto b = decode_with(everything_shape(), indefinite);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(encode(a.value()), encode(b.value()));
  EXPECT_EQ(*b->string_member("Text"), "hello");
  EXPECT_EQ(b->find("Bytes")->as_blob().bytes, "abc");
  EXPECT_EQ(b->find("Items")->as_list().size(), 2u);
  EXPECT_EQ(b->find("Labels")->int_member("b"), 2);
  // Empty containers and strings in both forms.
  auto empty = decode_with(everything_shape(), map_item({{"Text", chunked_item(3, {})},
                                                         {"Bytes", bytes_item("")},
                                                         {"Items", indefinite_array_item({})},
                                                         {"Labels", map_item({})}}));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty->string_member("Text"), "");
  EXPECT_EQ(empty->find("Bytes")->as_blob().bytes, "");
  EXPECT_TRUE(empty->find("Items")->as_list().empty());
  EXPECT_TRUE(empty->find("Labels")->as_map().empty());
}

TEST(CborCodec, RoundTripsEveryValueKind) {
  Value doc = Value::map();
  doc.set("Text", "h\xc3\xa9llo");
  doc.set("Count", int64_t{-5});
  doc.set("Big", std::numeric_limits<int64_t>::min());
  doc.set("Flag", false);
  doc.set("Bytes", Blob{std::string("\x00\x01\xfe\xff", 4)});
  doc.set("When", Timestamp{-1});
  doc.set("Ratio", 0.1);
  doc.set("Small", -2.5);
  Value items = Value::list();
  items.push("one").push(Value()).push("three");
  doc.set("Items", std::move(items));
  Value labels = Value::map();
  labels.set("x", int64_t{7});
  doc.set("Labels", std::move(labels));
  Value nested = Value::map();
  nested.set("Big", std::numeric_limits<int64_t>::max());
  nested.set("When", Timestamp{1480000000123});
  doc.set("Nested", std::move(nested));

  const std::string wire = encode(doc);
  auto back = decode_with(everything_shape(), wire);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(encode(back.value()), wire);
  EXPECT_EQ(*back->string_member("Text"), "h\xc3\xa9llo");
  EXPECT_EQ(back->int_member("Count"), -5);
  EXPECT_EQ(back->int_member("Big"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(back->bool_member("Flag"), false);
  EXPECT_EQ(back->find("Bytes")->as_blob().bytes, std::string("\x00\x01\xfe\xff", 4));
  EXPECT_EQ(back->timestamp_member("When"), -1);
  EXPECT_EQ(back->find("Ratio")->as_double(), 0.1);
  EXPECT_EQ(back->find("Small")->as_double(), -2.5);
  EXPECT_TRUE(back->find("Items")->as_list()[1].is_null());
  EXPECT_EQ(back->find("Labels")->int_member("x"), 7);
  EXPECT_EQ(back->find("Nested")->int_member("Big"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(back->find("Nested")->timestamp_member("When"), 1480000000123);
}

TEST(CborCodec, EncodesExactBytes) {
  Value doc = Value::map();
  doc.set("T", Timestamp{1480000000123});
  doc.set("B", Blob{"hi"});
  doc.set("S", "s");
  doc.set("N", Value());
  doc.set("L", Value::list().push(true).push(false));
  doc.set("D", 1.0);
  const std::string expected =
      "bf"                        // indefinite map
      "6154c11b0000015896dfd07b"  // "T": tag 1, integer milliseconds
      "6142426869"                // "B": byte string "hi"
      "61536173"                  // "S": text "s"
      "614ef6"                    // "N": null
      "614c9ff5f4ff"              // "L": indefinite list [true, false]
      "6144fb3ff0000000000000"    // "D": 1.0 as a double
      "ff";                       // break
  EXPECT_EQ(hex(encode(doc)), expected);
}

TEST(CborCodec, EncodesIntegersInShortestForm) {
  const std::pair<int64_t, std::string> cases[] = {
      {0, "00"},
      {23, "17"},
      {24, "1818"},
      {255, "18ff"},
      {256, "190100"},
      {65535, "19ffff"},
      {65536, "1a00010000"},
      {4294967295, "1affffffff"},
      {4294967296, "1b0000000100000000"},
      {std::numeric_limits<int64_t>::max(), "1b7fffffffffffffff"},
      {-1, "20"},
      {-24, "37"},
      {-25, "3818"},
      {-256, "38ff"},
      {-257, "390100"},
      {std::numeric_limits<int64_t>::min(), "3b7fffffffffffffff"},
  };
  for (const auto& [value, expected] : cases) {
    EXPECT_EQ(hex(encode(Value(value))), expected) << value;
  }
}

TEST(CborCodec, EncodedOutputReadsBackWithLibcbor) {
  // An independent decoder agrees: tag 1 over an integer, a byte string, text keys.
  Value doc = Value::map();
  doc.set("ApproximateArrivalTimestamp", Timestamp{1787036486712});
  doc.set("Data", Blob{std::string(300, '\x01')});
  const std::string wire = encode(doc);
  cbor_load_result result{};
  cbor_item_t* item =
      cbor_load(reinterpret_cast<const unsigned char*>(wire.data()), wire.size(), &result);
  ASSERT_NE(item, nullptr);
  ASSERT_EQ(result.error.code, CBOR_ERR_NONE);
  EXPECT_EQ(result.read, wire.size());
  ASSERT_TRUE(cbor_isa_map(item));
  ASSERT_EQ(cbor_map_size(item), 2u);
  cbor_pair* pairs = cbor_map_handle(item);
  ASSERT_TRUE(cbor_isa_string(pairs[0].key));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(cbor_string_handle(pairs[0].key)),
                        cbor_string_length(pairs[0].key)),
            "ApproximateArrivalTimestamp");
  ASSERT_TRUE(cbor_isa_tag(pairs[0].value));
  EXPECT_EQ(cbor_tag_value(pairs[0].value), 1u);
  cbor_item_t* millis = cbor_tag_item(pairs[0].value);
  ASSERT_TRUE(cbor_isa_uint(millis));
  EXPECT_EQ(cbor_get_int(millis), 1787036486712u);
  cbor_decref(&millis);
  ASSERT_TRUE(cbor_isa_bytestring(pairs[1].value));
  EXPECT_EQ(cbor_bytestring_length(pairs[1].value), 300u);
  cbor_decref(&item);
}

TEST(CborCodec, TimestampsAreTagOneEpochMilliseconds) {
  // What the Java SDK sends for GetShardIterator AT_TIMESTAMP: tag 1, 8-byte integer.
  auto sdk = decode(
      "GetShardIterator",
      map_item({{"ShardId", text_item("shardId-000000000000")},
                {"ShardIteratorType", text_item("AT_TIMESTAMP")},
                {"Timestamp", std::string("\xc1\x1b\x00\x00\x01\xa0\x13\xac\xcc\x38", 10)}}));
  ASSERT_TRUE(sdk.ok());
  EXPECT_EQ(sdk->timestamp_member("Timestamp"), 1787036486712);

  auto ts = [](const std::string& item) {
    return decode("ListShards", map_item({{"StreamCreationTimestamp", item}}));
  };
  EXPECT_EQ(ts(tag_item(1, uint_item(1480000000123)))->timestamp_member("StreamCreationTimestamp"),
            1480000000123);
  // A float payload is milliseconds too (fraction dropped); so is a bare number.
  EXPECT_EQ(
      ts(tag_item(1, double_item(1480000000123.9)))->timestamp_member("StreamCreationTimestamp"),
      1480000000123);
  EXPECT_EQ(ts(tag_item(1, float_item(1024.0f)))->timestamp_member("StreamCreationTimestamp"),
            1024);
  EXPECT_EQ(ts(tag_item(1, half_item(0x3c00)))->timestamp_member("StreamCreationTimestamp"), 1);
  EXPECT_EQ(ts(uint_item(42))->timestamp_member("StreamCreationTimestamp"), 42);
  EXPECT_EQ(ts(tag_item(1, negative_item(999)))->timestamp_member("StreamCreationTimestamp"),
            -1000);

  EXPECT_EQ(
      serialization_message(
          "ListShards", map_item({{"StreamCreationTimestamp", tag_item(1, text_item("2020"))}})),
      "class java.lang.String can not be converted to milliseconds since epoch");
  EXPECT_EQ(serialization_message("ListShards", map_item({{"StreamCreationTimestamp",
                                                           tag_item(1, double_item(INFINITY))}})),
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted "
            "to milliseconds since epoch");
  EXPECT_EQ(
      serialization_message(
          "ListShards", map_item({{"StreamCreationTimestamp", uint_item(0xffffffffffffffffULL)}})),
      "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted "
      "to milliseconds since epoch");

  // Encoding: tag 1 with the integer, never a float.
  Value doc = Value::map();
  doc.set("StreamCreationTimestamp", Timestamp{1480000000123});
  EXPECT_EQ(hex(encode(doc)),
            "bf" + hex(text_item("StreamCreationTimestamp")) + "c11b0000015896dfd07bff");
  Value before_epoch = Value(Timestamp{-1000});
  EXPECT_EQ(hex(encode(before_epoch)), "c13903e7");
}

TEST(CborCodec, BlobsAreByteStrings) {
  const std::string payload("\x00\x01\x80\xff\xfe not utf-8 \xc3", 17);
  auto v = decode("PutRecord", map_item({{"StreamName", text_item("s")},
                                         {"Data", bytes_item(payload)},
                                         {"PartitionKey", text_item("pk")}}));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->find("Data")->as_blob().bytes, payload);
  // A text string is read as base64, with the JSON texts when it is not.
  auto text = decode("PutRecord", map_item({{"Data", text_item("aGVsbG8=")}}));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->find("Data")->as_blob().bytes, "hello");
  EXPECT_EQ(serialization_message("PutRecord", map_item({{"Data", text_item("23456")}})),
            "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple "
            "of 4 bytes but found: 5");
  EXPECT_EQ(serialization_message("PutRecord", map_item({{"Data", text_item("=+/=")}})),
            "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='");
  // Lengths count characters as Java does (UTF-16 units), and a non-ASCII character is named
  // whole, so the error body stays UTF-8.
  EXPECT_EQ(serialization_message("PutRecord", map_item({{"Data", text_item("aGV\xc9\x98")}})),
            "'aGV\xc9\x98' can not be converted to a Blob: Invalid Base64 character: '\xc9\x98'");
  EXPECT_EQ(serialization_message("PutRecord", map_item({{"Data", text_item("aG\xc9\x98")}})),
            "'aG\xc9\x98' can not be converted to a Blob: Base64 encoded length is expected a "
            "multiple of 4 bytes but found: 3");
  EXPECT_EQ(
      serialization_message("PutRecord", map_item({{"Data", text_item("a\xf0\x9f\x98\x80=")}})),
      "'a\xf0\x9f\x98\x80=' can not be converted to a Blob: Invalid Base64 character: "
      "'\xf0\x9f\x98\x80'");
  EXPECT_EQ(serialization_message("PutRecord", map_item({{"Data", uint_item(1)}})),
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to "
            "a Blob");
  EXPECT_EQ(serialization_message("PutRecord", map_item({{"Data", kTrue}})),
            "class java.lang.Boolean can not be converted to a Blob");
  // Encoding a blob: a byte string, a two-byte length past 255.
  EXPECT_EQ(hex(encode(Value(Blob{std::string(256, 'a')}))).substr(0, 6), "590100");
}

TEST(CborCodec, WrongTypeTexts) {
  EXPECT_EQ(serialization_message("CreateStream", map_item({{"StreamName", kTrue}})),
            "class java.lang.Boolean can not be converted to an String");
  EXPECT_EQ(serialization_message("CreateStream", map_item({{"StreamName", uint_item(12)}})),
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to "
            "an String");
  EXPECT_EQ(serialization_message("CreateStream", map_item({{"StreamName", double_item(1.5)}})),
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to "
            "an String");
  EXPECT_EQ(serialization_message("CreateStream", map_item({{"StreamName", bytes_item("s")}})),
            "class [B can not be converted to an String");
  EXPECT_EQ(serialization_message("CreateStream", map_item({{"StreamName", array_item({})}})),
            "Start of list found where not expected");
  EXPECT_EQ(serialization_message("CreateStream", map_item({{"StreamName", map_item({})}})),
            "Start of structure or map found where not expected.");
  EXPECT_EQ(serialization_message("CreateStream", map_item({{"ShardCount", text_item("1")}})),
            "class java.lang.String can not be converted to an Integer");
  EXPECT_EQ(serialization_message("CreateStream", map_item({{"ShardCount", kTrue}})),
            "class java.lang.Boolean can not be converted to an Integer");
  EXPECT_EQ(serialization_message("CreateStream", map_item({{"ShardCount", double_item(NAN)}})),
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to "
            "an Integer");
  EXPECT_EQ(serialization_message("CreateStream", map_item({{"Tags", text_item("x")}})),
            "Expected map or null");
  EXPECT_EQ(serialization_message("CreateStream", map_item({{"Tags", array_item({})}})),
            "Start of list found where not expected");
  EXPECT_EQ(
      serialization_message("CreateStream", map_item({{"StreamModeDetails", text_item("x")}})),
      "Expected null");
  EXPECT_EQ(
      serialization_message("CreateStream", map_item({{"StreamModeDetails", array_item({})}})),
      "Start of list found where not expected");
  EXPECT_EQ(serialization_message("DeleteStream",
                                  map_item({{"EnforceConsumerDeletion", text_item("maybe")}})),
            "'MAYBE' can not be converted to an Boolean");
  EXPECT_EQ(
      serialization_message("DeleteStream", map_item({{"EnforceConsumerDeletion", uint_item(1)}})),
      "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to "
      "an Boolean");
  EXPECT_EQ(serialization_message("RemoveTagsFromStream", map_item({{"TagKeys", text_item("k")}})),
            "Expected list or null");
  EXPECT_EQ(serialization_message("RemoveTagsFromStream", map_item({{"TagKeys", map_item({})}})),
            "Start of structure or map found where not expected.");
  // A wrong type deep inside a list of structures.
  EXPECT_EQ(serialization_message(
                "PutRecords",
                map_item({{"Records", array_item({map_item({{"PartitionKey", uint_item(1)}})})}})),
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to "
            "an String");
}

TEST(CborCodec, LenientScalarsAsInJson) {
  auto v = decode("CreateStream", map_item({{"StreamName", text_item("s")},
                                            {"ShardCount", double_item(3.9)},
                                            {"Unknown", map_item({{"x", uint_item(1)}})},
                                            {"Tags", kNull},
                                            {"StreamModeDetails", kUndefined}}));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->int_member("ShardCount"), 3);
  EXPECT_EQ(v->find("Unknown"), nullptr);
  EXPECT_EQ(v->find("Tags"), nullptr);
  EXPECT_EQ(v->find("StreamModeDetails"), nullptr);
  auto shard_count = [](const std::string& item) {
    return decode("CreateStream", map_item({{"ShardCount", item}}))->int_member("ShardCount");
  };
  EXPECT_EQ(shard_count(uint_item(100000000000)), 2147483647);
  EXPECT_EQ(shard_count(uint_item(0xffffffffffffffffULL)), 2147483647);
  EXPECT_EQ(shard_count(negative_item(100000000000)), -2147483648LL);
  EXPECT_EQ(shard_count(negative_item(0xffffffffffffffffULL)), -2147483648LL);
  EXPECT_EQ(shard_count(double_item(-1.5)), -2);
  EXPECT_EQ(shard_count(double_item(1e300)), 2147483647);
  EXPECT_EQ(shard_count(tag_item(55799, uint_item(2))), 2);  // tags are stepped over
  auto big = [](const std::string& item) {
    return decode_with(everything_shape(), map_item({{"Big", item}}))->int_member("Big");
  };
  EXPECT_EQ(big(uint_item(0xffffffffffffffffULL)), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(big(negative_item(0x7fffffffffffffffULL)), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(big(negative_item(0x8000000000000000ULL)), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(big(double_item(-1e300)), std::numeric_limits<int64_t>::min());
  auto flag = [](const std::string& item) {
    return decode("DeleteStream", map_item({{"EnforceConsumerDeletion", item}}))
        ->bool_member("EnforceConsumerDeletion");
  };
  EXPECT_EQ(flag(text_item("tRuE")), true);
  EXPECT_EQ(flag(text_item("false")), false);
  EXPECT_EQ(flag(double_item(0.0)), false);
  EXPECT_EQ(flag(half_item(0x3c00)), true);
  // A repeated member: the last one wins.
  auto repeated =
      decode("CreateStream",
             map_item({{"StreamName", text_item("first")}, {"StreamName", text_item("second")}}));
  ASSERT_TRUE(repeated.ok());
  EXPECT_EQ(*repeated->string_member("StreamName"), "second");
  EXPECT_EQ(repeated->as_map().size(), 1u);
}

TEST(CborCodec, FloatWidthsDecode) {
  auto ratio = [](const std::string& item) {
    return decode_with(everything_shape(), map_item({{"Ratio", item}}))->find("Ratio")->as_double();
  };
  EXPECT_EQ(ratio(half_item(0x0001)), std::ldexp(1.0, -24));  // smallest subnormal
  EXPECT_EQ(ratio(half_item(0x7bff)), 65504.0);               // largest half
  EXPECT_EQ(ratio(half_item(0xc000)), -2.0);
  EXPECT_TRUE(std::isinf(ratio(half_item(0x7c00))));
  EXPECT_TRUE(std::isnan(ratio(half_item(0x7e00))));
  EXPECT_EQ(ratio(float_item(3.25f)), 3.25);
  EXPECT_EQ(ratio(double_item(-0.1)), -0.1);
  EXPECT_EQ(ratio(uint_item(7)), 7.0);
  EXPECT_EQ(ratio(negative_item(6)), -7.0);
}

TEST(CborCodec, KinesisShapes) {
  auto put_records = decode(
      "PutRecords",
      indefinite_map_item({{"StreamName", text_item("orders")},
                           {"Records", indefinite_array_item(
                                           {indefinite_map_item({{"Data", bytes_item("one")},
                                                                 {"PartitionKey", text_item("a")}}),
                                            map_item({{"Data", chunked_item(2, {"tw", "o"})},
                                                      {"PartitionKey", text_item("b")},
                                                      {"ExplicitHashKey", text_item("123")}})})}}));
  ASSERT_TRUE(put_records.ok()) << put_records.error().message;
  const auto& records = put_records->find("Records")->as_list();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].find("Data")->as_blob().bytes, "one");
  EXPECT_EQ(records[1].find("Data")->as_blob().bytes, "two");
  EXPECT_EQ(*records[1].string_member("ExplicitHashKey"), "123");

  auto list_shards = decode(
      "ListShards", map_item({{"StreamName", text_item("orders")},
                              {"StreamCreationTimestamp", tag_item(1, uint_item(1480000000123))},
                              {"ShardFilter", map_item({{"Type", text_item("AT_TIMESTAMP")},
                                                        {"Timestamp", tag_item(1, uint_item(5))}})},
                              {"MaxResults", uint_item(100)}}));
  ASSERT_TRUE(list_shards.ok());
  EXPECT_EQ(list_shards->timestamp_member("StreamCreationTimestamp"), 1480000000123);
  EXPECT_EQ(list_shards->find("ShardFilter")->timestamp_member("Timestamp"), 5);
  EXPECT_EQ(*list_shards->find("ShardFilter")->string_member("Type"), "AT_TIMESTAMP");
  EXPECT_EQ(list_shards->int_member("MaxResults"), 100);

  auto create =
      decode("CreateStream",
             map_item({{"StreamName", text_item("s")},
                       {"Tags", map_item({{"team", text_item("x")}, {"dup", kNull}})},
                       {"StreamModeDetails", map_item({{"StreamMode", text_item("ON_DEMAND")}})}}));
  ASSERT_TRUE(create.ok());
  EXPECT_EQ(*create->find("Tags")->string_member("team"), "x");
  EXPECT_EQ(create->find("Tags")->as_map().size(), 1u);
  EXPECT_EQ(*create->find("StreamModeDetails")->string_member("StreamMode"), "ON_DEMAND");

  // An operation without input decodes to an empty map.
  auto parsed = make_cbor_codec()->parse(map_item({{"x", uint_item(1)}}));
  ASSERT_TRUE(parsed.ok());
  auto no_input = parsed.value()->to_value(nullptr);
  ASSERT_TRUE(no_input.ok());
  EXPECT_TRUE(no_input->as_map().empty());
}

TEST(CborCodec, ParsedBodyOutlivesTheRequestBuffer) {
  std::unique_ptr<ParsedBody> parsed;
  {
    std::string body = map_item({{"StreamName", text_item("kept")}});
    auto result = make_cbor_codec()->parse(body);
    ASSERT_TRUE(result.ok());
    parsed = std::move(result.value());
    body.assign(body.size(), '\xff');
  }
  auto v = parsed->to_value(kinesis_input("DescribeStream"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v->string_member("StreamName"), "kept");
}

TEST(CborCodec, ErrorBodies) {
  auto codec = make_cbor_codec();
  // {"__type": "UnknownOperationException"}: the bytes AWS sends (indefinite map).
  EXPECT_EQ(hex(codec->encode_error(errors::unknown_operation(), "UnknownOperationException")),
            std::string("bf665f5f74797065") + "7819" + hex("UnknownOperationException") + "ff");
  EXPECT_EQ(codec->encode_error(errors::serialization("m"), "SerializationException"),
            indefinite_map_item(
                {{"__type", text_item("SerializationException")}, {"Message", text_item("m")}}));
  EXPECT_EQ(codec->encode_error(errors::validation("v"), "ValidationException"),
            indefinite_map_item(
                {{"__type", text_item("ValidationException")}, {"message", text_item("v")}}));
}

// A map of one entry whose key is "a" (0x61), the value to follow.
const std::string kMapOfA("\xa1\x61\x61");

TEST(CborCodec, MalformedBodiesAreSerializationWithoutMessage) {
  const std::string cases[] = {
      "",
      "\xa1",                                // map missing its entry
      "\x80",                                // an array, not a map
      text_item("s"),                        // a string
      uint_item(1),                          // a number
      kNull,                                 // null
      map_item({}) + std::string(1, '\0'),   // trailing byte
      map_item({}) + map_item({}),           // two documents
      kBreak,                                // a lone break
      kMapOfA + "\xff",                      // break where a value belongs
      kMapOfA + "\x81\xff",                  // break inside a definite array
      "\xbf\x61\x61\xff",                    // indefinite map: key without value
      "\xbf",                                // indefinite map never closed
      "\xbf\x61\x61\x01",                    // indefinite map never closed after an entry
      "\xa1\x01\x01",                        // integer key
      "\xa1\x41\x61\x01",                    // byte-string key
      "\xa1\xf6\x01",                        // null key
      kMapOfA + "\x1c",                      // reserved additional info 28
      kMapOfA + "\x3d",                      // reserved additional info 29 (negative)
      kMapOfA + "\x5e",                      // reserved additional info 30 (bytes)
      kMapOfA + "\x1f",                      // indefinite unsigned integer
      kMapOfA + "\x3f",                      // indefinite negative integer
      kMapOfA + "\xdf",                      // indefinite tag
      kMapOfA + "\xf8\x20",                  // one-byte simple value
      kMapOfA + "\xe0",                      // unassigned simple value 0
      kMapOfA + "\xf3",                      // unassigned simple value 19
      kMapOfA + "\x5f\x61\x78\xff",          // text chunk inside a byte string
      kMapOfA + "\x7f\x7f\xff\xff",          // indefinite chunk inside a text string
      kMapOfA + "\x7f\x01\xff",              // integer inside an indefinite string
      kMapOfA + "\x7f\x61\x78",              // indefinite string never closed
      kMapOfA + "\x62\xc3\x28",              // invalid UTF-8
      kMapOfA + "\x7f\x61\xc3\x61\xa9\xff",  // a code point split across chunks
      kMapOfA + "\x63\xed\xa0\x80",          // a UTF-16 surrogate
      kMapOfA + "\x64\xf4\x90\x80\x80",      // beyond U+10FFFF
      "\xa1\x62\xc0\xaf\x01",                // overlong key
      kMapOfA + "\xc1",                      // tag without content
      kMapOfA + "\x18",                      // one-byte argument missing
      kMapOfA + "\x1b\x00\x00\x00"s,         // eight-byte argument cut short
      kMapOfA + "\xfb\x00\x00"s,             // double cut short
  };
  for (const auto& body : cases) {
    EXPECT_TRUE(rejected_without_message(everything_shape(), body)) << hex(body);
  }
}

TEST(CborCodec, TruncatedAtEveryOffset) {
  for (const std::string& document :
       {rich_document(), encode(decode_with(everything_shape(), rich_document()).value())}) {
    ASSERT_TRUE(decode_with(everything_shape(), document).ok());
    for (size_t length = 0; length < document.size(); ++length) {
      EXPECT_TRUE(rejected_without_message(everything_shape(), document.substr(0, length)))
          << "prefix " << length << " of " << hex(document);
    }
  }
}

TEST(CborCodec, HugeDeclaredLengthsFailBeforeAllocating) {
  const std::string huge8("\xff\xff\xff\xff\xff\xff\xff\xff");
  const std::string cases[] = {
      kMapOfA + "\x5b" + huge8 + "abc",           // byte string of 2^64-1 bytes
      kMapOfA + "\x7b" + huge8,                   // text string
      kMapOfA + "\x7a\xff\xff\xff\xff\x78",       // 4 GiB text string
      kMapOfA + "\x9b" + huge8 + "\x01",          // array of 2^64-1 items
      kMapOfA + "\xbb" + huge8 + "\x61\x6b\x01",  // map of 2^64-1 entries
      kMapOfA + "\xb9\x00\x02\x61\x6b\x01"s,      // map of 2 entries, room for one
      kMapOfA + "\x99\x00\x03\x01\x01"s,          // array of 3 items, room for two
      "\xbb" + huge8,                             // root map of 2^64-1 entries
      kMapOfA + "\x5f\x5b" + huge8 + "\xff",      // huge chunk in an indefinite string
      "\xa1\x7b" + huge8,                         // huge key
  };
  for (const auto& body : cases) {
    EXPECT_TRUE(rejected_without_message(everything_shape(), body)) << hex(body);
  }
}

TEST(CborCodec, NestingIsCapped) {
  auto nested_arrays = [](size_t depth) { return kMapOfA + std::string(depth, '\x81') + "\x01"; };
  // The root map counts as one level: 63 more are fine, 64 more are not.
  EXPECT_TRUE(decode_with(everything_shape(), nested_arrays(63)).ok());
  EXPECT_TRUE(rejected_without_message(everything_shape(), nested_arrays(64)));
  EXPECT_TRUE(rejected_without_message(everything_shape(), nested_arrays(1000000)));
  EXPECT_TRUE(rejected_without_message(everything_shape(), kMapOfA + std::string(1000000, '\x9f')));
  std::string nested_maps;
  for (int i = 0; i < 100000; ++i) nested_maps += kMapOfA;
  EXPECT_TRUE(rejected_without_message(everything_shape(), nested_maps + "\x01"));
  // Structures nested within the cap decode.
  std::string structures = map_item({{"Count", uint_item(9)}});
  for (int i = 0; i < 63; ++i) structures = map_item({{"Nested", structures}});
  auto deep = decode_with(everything_shape(), structures);
  ASSERT_TRUE(deep.ok());
  const Value* innermost = &deep.value();
  for (int i = 0; i < 63; ++i) innermost = innermost->find("Nested");
  EXPECT_EQ(innermost->int_member("Count"), 9);
  EXPECT_TRUE(rejected_without_message(everything_shape(), map_item({{"Nested", structures}})));
  // A long chain of tags is walked, not nested.
  auto tagged =
      decode("ListShards",
             map_item({{"StreamCreationTimestamp", std::string(100000, '\xc1') + uint_item(1)}}));
  ASSERT_TRUE(tagged.ok());
  EXPECT_EQ(tagged->timestamp_member("StreamCreationTimestamp"), 1);
  EXPECT_TRUE(rejected_without_message(everything_shape(), kMapOfA + std::string(100000, '\xc1')));
}

}  // namespace
}  // namespace trib::aws
