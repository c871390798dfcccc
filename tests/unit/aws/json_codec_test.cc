// JSON decoding against shapes: AWS's SerializationException texts, and encoding rules.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "aws/codec.h"
#include "aws/json_shape_decoders.h"
#include "model/model.h"

namespace trib::aws {
namespace {

const model::ServiceModel& kinesis_model() {
  return model::ServiceModel::embedded("kinesis-2013-12-02");
}

AwsResult<Value> decode(std::string_view operation, std::string_view json) {
  auto codec = make_json_codec("application/x-amz-json-1.1");
  auto parsed = codec->parse(json);
  if (!parsed) return fail(parsed.error());
  return parsed.value()->to_value(kinesis_model().find_operation(operation)->input);
}

std::string serialization_message(std::string_view operation, std::string_view json) {
  auto result = decode(operation, json);
  EXPECT_FALSE(result.ok()) << json;
  if (result.ok()) return "";
  EXPECT_EQ(result.error().type, "SerializationException");
  return result.error().message;
}

// A service's shape decoder is tried first wherever its shape occurs, and a value it declines
// (nullopt) is decoded the generic way; without the decoders nothing changes.
TEST(JsonCodec, ShapeDecodersComeFirstAndMayDecline) {
  JsonShapeDecoders decoders;
  decoders.add(kinesis_model().find_shape("TagMap"),
               [](simdjson::dom::element value) -> std::optional<Value> {
                 simdjson::dom::element fast;
                 if (value.at_key("fast").get(fast)) return std::nullopt;
                 return Value("decoded " + std::string(fast.get_string().value_unsafe()));
               });
  decoders.add(nullptr, nullptr);  // a shape an older model lacks: ignored
  const model::Shape* input = kinesis_model().find_operation("AddTagsToStream")->input;
  auto codec = make_json_codec("application/x-amz-json-1.1");
  auto tags_of = [&](std::string_view json, const JsonShapeDecoders* with) {
    auto parsed = codec->parse(json);
    EXPECT_TRUE(parsed);
    auto value = parsed.value()->to_value(input, with);
    EXPECT_TRUE(value);
    return to_json(*value->find("Tags"));
  };
  EXPECT_EQ(tags_of(R"({"StreamName": "s", "Tags": {"fast": "x", "k": "v"}})", &decoders),
            R"("decoded x")");
  EXPECT_EQ(tags_of(R"({"StreamName": "s", "Tags": {"k": "v"}})", &decoders), R"({"k":"v"})");
  EXPECT_EQ(tags_of(R"({"StreamName": "s", "Tags": {"fast": "x"}})", nullptr), R"({"fast":"x"})");
  // Declined values still get the generic path's errors.
  auto parsed = codec->parse(R"({"StreamName": "s", "Tags": {"k": 1}})");
  ASSERT_TRUE(parsed);
  auto refused = parsed.value()->to_value(input, &decoders);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().type, "SerializationException");
}

TEST(JsonCodec, MalformedBodyIsSerializationWithoutMessage) {
  for (std::string_view body : {"{", "nope", "[1,2]", "\"s\"", "12", "null", "{\"a\":}"}) {
    auto result = decode("ListStreams", body);
    ASSERT_FALSE(result.ok()) << body;
    EXPECT_EQ(result.error().type, "SerializationException");
    EXPECT_EQ(result.error().message_key, AwsError::MessageKey::kNone);
  }
}

// Members are converted in the shape's order whatever the fields' order, a repeated field
// counts once (its first occurrence), and unknown and null fields are ignored.
TEST(JsonCodec, MembersInShapeOrderFirstOccurrenceOfARepeatedField) {
  auto decoded = decode(
      "CreateStream", R"({"Tags":{"k":"v"},"x":1,"ShardCount":2,"StreamName":"first",)"
                      R"("StreamName":"second","ShardCount":"not read","StreamModeDetails":null})");
  ASSERT_TRUE(decoded.ok());
  std::vector<std::string> names;
  for (const auto& [name, value] : decoded.value().as_map()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"StreamName", "ShardCount", "Tags"}));
  EXPECT_EQ(*decoded.value().string_member("StreamName"), "first");
  EXPECT_EQ(decoded.value().int_member("ShardCount"), 2);
  // The first error in the shape's order is the one reported, not the first in the text.
  EXPECT_EQ(serialization_message("CreateStream", R"({"ShardCount":"1","StreamName":12})"),
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to "
            "an String");
}

TEST(JsonCodec, WrongTypeTexts) {
  EXPECT_EQ(serialization_message("CreateStream", R"({"StreamName":true})"),
            "class java.lang.Boolean can not be converted to an String");
  EXPECT_EQ(serialization_message("CreateStream", R"({"StreamName":12})"),
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to "
            "an String");
  EXPECT_EQ(serialization_message("CreateStream", R"({"StreamName":[]})"),
            "Start of list found where not expected");
  EXPECT_EQ(serialization_message("CreateStream", R"({"StreamName":{}})"),
            "Start of structure or map found where not expected.");
  EXPECT_EQ(serialization_message("CreateStream", R"({"ShardCount":"1"})"),
            "class java.lang.String can not be converted to an Integer");
  EXPECT_EQ(serialization_message("CreateStream", R"({"ShardCount":true})"),
            "class java.lang.Boolean can not be converted to an Integer");
  EXPECT_EQ(serialization_message("CreateStream", R"({"Tags":"x"})"), "Expected map or null");
  EXPECT_EQ(serialization_message("CreateStream", R"({"Tags":[]})"),
            "Start of list found where not expected");
  EXPECT_EQ(serialization_message("CreateStream", R"({"StreamModeDetails":"x"})"), "Expected null");
  EXPECT_EQ(serialization_message("DeleteStream", R"({"EnforceConsumerDeletion":"maybe"})"),
            "'MAYBE' can not be converted to an Boolean");
  EXPECT_EQ(serialization_message("DeleteStream", R"({"EnforceConsumerDeletion":1})"),
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to "
            "an Boolean");
  EXPECT_EQ(serialization_message("ListShards", R"({"StreamCreationTimestamp":"2020-01-01"})"),
            "class java.lang.String can not be converted to milliseconds since epoch");
  EXPECT_EQ(serialization_message("RemoveTagsFromStream", R"({"TagKeys":"k"})"),
            "Expected list or null");
}

TEST(JsonCodec, BlobBase64Texts) {
  EXPECT_EQ(
      serialization_message("PutRecord", R"({"Data":"23456"})"),
      "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 "
      "bytes but found: 5");
  EXPECT_EQ(serialization_message("PutRecord", R"({"Data":"=+/="})"),
            "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='");
  EXPECT_EQ(
      serialization_message("PutRecord", R"({"Data":"+/+="})"),
      "'+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
  auto ok = decode("PutRecord", R"({"Data":"aGVsbG8="})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->find("Data")->as_blob().bytes, "hello");
}

TEST(JsonCodec, LenientNumbersAndUnknownMembers) {
  auto v = decode("CreateStream",
                  R"({"StreamName":"s","ShardCount":3.9,"Unknown":{"x":1},"Tags":null})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->int_member("ShardCount"), 3);
  EXPECT_EQ(v->find("Unknown"), nullptr);
  EXPECT_EQ(v->find("Tags"), nullptr);
  auto clamped = decode("CreateStream", R"({"ShardCount":100000000000})");
  ASSERT_TRUE(clamped.ok());
  EXPECT_EQ(clamped->int_member("ShardCount"), 2147483647);
  auto accepted = decode("DeleteStream", R"({"EnforceConsumerDeletion":"true"})");
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->bool_member("EnforceConsumerDeletion"), true);
}

TEST(JsonCodec, TimestampsDecodeToMilliseconds) {
  auto v = decode("ListShards", R"({"StreamCreationTimestamp":1480000000.123})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->timestamp_member("StreamCreationTimestamp"), 1480000000123);
}

TEST(JsonCodec, EncodesTimestampsAsPlainDecimalSeconds) {
  Value doc = Value::map();
  doc.set("T", Timestamp{1480000000123});
  doc.set("Z", Timestamp{1480000000000});
  doc.set("B", Blob{"hello"});
  doc.set("S", "q\"\\\n\x01");
  EXPECT_EQ(to_json(doc),
            R"({"T":1480000000.123,"Z":1480000000.000,"B":"aGVsbG8=","S":"q\"\\\n\u0001"})");
}

// Before 1970: the sign, then the magnitude (json_fuzz, 2026-12-03: -700 ms was written as
// -1.300, which decodes to -1,300 ms; inputs in tests/fuzz/corpus/json/regression-negative-*).
TEST(JsonCodec, EncodesTimesBefore1970AsSignedSeconds) {
  const std::pair<int64_t, const char*> cases[] = {
      {-700, "-0.700"}, {-1, "-0.001"}, {-1000, "-1.000"},        {-1300, "-1.300"},
      {0, "0.000"},     {999, "0.999"}, {-86400123, "-86400.123"}};
  for (const auto& [ms, text] : cases) {
    Value doc = Value::map();
    doc.set("T", Timestamp{ms});
    EXPECT_EQ(to_json(doc), std::string(R"({"T":)") + text + "}") << ms;
  }
  auto v = decode("ListShards", R"({"StreamCreationTimestamp":-0.7})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->timestamp_member("StreamCreationTimestamp"), -700);
  Value doc = Value::map();
  doc.set("StreamCreationTimestamp", Timestamp{-700});
  auto again = decode("ListShards", to_json(doc));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->timestamp_member("StreamCreationTimestamp"), -700);
}

// Strings are scanned sixteen bytes at a time (SSE2), then eight, then single bytes, until a
// byte needs escaping: put the escaped byte at every offset of strings of many lengths, with a
// second one further on, and compare with a byte-at-a-time escaper.
TEST(JsonCodec, EscapesAtEveryOffset) {
  auto reference = [](std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"')
        out += "\\\"";
      else if (c == '\\')
        out += "\\\\";
      else if (c == '\n')
        out += "\\n";
      else if (c < 0x20)
        out += fmt::format("\\u{:04x}", c);
      else
        out.push_back(static_cast<char>(c));
    }
    return out + "\"";
  };
  for (size_t length = 1; length <= 70; ++length) {
    for (size_t at = 0; at < length; ++at) {
      for (char special : {'"', '\\', '\n', '\x01', '\x1f', '\0'}) {
        std::string s(length, 'a');
        s[at] = special;
        if (at + 3 < length) s[at + 3] = '\x7f';  // DEL, space and high bytes pass through
        if (at + 5 < length) s[at + 5] = '\xe2';
        if (at + 6 < length) s[at + 6] = ' ';
        if (at + 7 < length) s[at + 7] = '\xff';
        if (at + 19 < length) s[at + 19] = '"';  // a second escape in a later block
        Value doc = Value::list();
        doc.push(s);
        EXPECT_EQ(to_json(doc), "[" + reference(s) + "]") << length << " " << at;
      }
    }
  }
}

TEST(JsonCodec, ErrorBodies) {
  auto codec = make_json_codec("application/x-amz-json-1.1");
  EXPECT_EQ(codec->encode_error(errors::unknown_operation(), "UnknownOperationException"),
            R"({"__type":"UnknownOperationException"})");
  EXPECT_EQ(codec->encode_error(errors::serialization("m"), "SerializationException"),
            R"({"__type":"SerializationException","Message":"m"})");
  EXPECT_EQ(codec->encode_error(errors::validation("v"), "ValidationException"),
            R"({"__type":"ValidationException","message":"v"})");
  // Members after the message (DynamoDB's ConditionalCheckFailedException `Item`).
  AwsError with_item = AwsError::client("ConditionalCheckFailedException", "c");
  Value item = Value::map();
  item.set("id", Value::map());
  with_item.members.emplace_back("Item", std::move(item));
  EXPECT_EQ(codec->encode_error(with_item, "ConditionalCheckFailedException"),
            R"({"__type":"ConditionalCheckFailedException","message":"c","Item":{"id":{}}})");
}

}  // namespace
}  // namespace trib::aws
