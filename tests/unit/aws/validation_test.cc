// Validation messages, word for word, against the pinned Kinesis model.
#include <gtest/gtest.h>

#include "aws/codec.h"
#include "aws/validate.h"
#include "kinesis/service.h"
#include "model/model.h"

namespace trib::aws {
namespace {

const model::ServiceModel& kinesis_model() {
  return model::ServiceModel::embedded("kinesis-2013-12-02");
}

// Decodes a JSON body against an operation's input shape and validates it with the order the
// Kinesis service uses.
std::optional<std::string> validate_json(std::string_view operation, std::string_view json) {
  static const ValidationStyle style = {
      .member_order = {{"CreateStreamInput", {"ShardCount", "StreamName"}},
                       {"DescribeStreamInput", {"Limit", "ExclusiveStartShardId", "StreamName"}},
                       {"ListStreamsInput", {"Limit", "ExclusiveStartStreamName"}}},
      .enum_order = {{"ShardIteratorType",
                      {"AFTER_SEQUENCE_NUMBER", "LATEST", "AT_TIMESTAMP", "AT_SEQUENCE_NUMBER",
                       "TRIM_HORIZON"}}},
      .structure_class_prefix = "com.amazonaws.kinesis.v20131202.",
  };
  const auto* op = kinesis_model().find_operation(operation);
  EXPECT_NE(op, nullptr);
  auto codec = make_json_codec("application/x-amz-json-1.1");
  auto parsed = codec->parse(json);
  EXPECT_TRUE(parsed.ok());
  auto value = parsed.value()->to_value(op->input);
  EXPECT_TRUE(value.ok());
  return validate(value.value(), *op->input, &style);
}

TEST(Validation, SingleErrorPattern) {
  EXPECT_EQ(
      validate_json("DescribeStreamSummary", R"({"StreamName":"a b"})").value(),
      "1 validation error detected: Value 'a b' at 'streamName' failed to satisfy constraint: "
      "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
}

TEST(Validation, NullRequiredMember) {
  EXPECT_EQ(validate_json("CreateStream", "{}").value(),
            "1 validation error detected: Value null at 'streamName' failed to satisfy constraint: "
            "Member must not be null");
}

TEST(Validation, PluralInCapturedOrder) {
  EXPECT_EQ(
      validate_json("CreateStream", R"({"StreamName":"","ShardCount":0})").value(),
      "3 validation errors detected: "
      "Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater "
      "than or equal to 1; "
      "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular "
      "expression pattern: [a-zA-Z0-9_.-]+; "
      "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater "
      "than or equal to 1");
}

TEST(Validation, DescribeStreamOrder) {
  auto message =
      validate_json("DescribeStream", R"({"StreamName":"","Limit":0,"ExclusiveStartShardId":""})");
  ASSERT_TRUE(message);
  EXPECT_EQ(message->substr(0, 30), "5 validation errors detected: ");
  EXPECT_LT(message->find("'limit'"), message->find("'exclusiveStartShardId'"));
  EXPECT_LT(message->find("'exclusiveStartShardId'"), message->find("'streamName'"));
}

TEST(Validation, MaxLengthOnly) {
  const std::string name(129, 'a');
  EXPECT_EQ(
      validate_json("CreateStream", R"({"StreamName":")" + name + R"(","ShardCount":1})").value(),
      "1 validation error detected: Value '" + name +
          "' at 'streamName' failed to satisfy constraint: Member must have length less than or "
          "equal to 128");
}

TEST(Validation, NumericMaximum) {
  EXPECT_EQ(validate_json("ListStreams", R"({"Limit":1000000})").value(),
            "1 validation error detected: Value '1000000' at 'limit' failed to satisfy constraint: "
            "Member must have value less than or equal to 10000");
}

TEST(Validation, NestedEnumPath) {
  EXPECT_EQ(
      validate_json("CreateStream", R"({"StreamName":"s","StreamModeDetails":{"StreamMode":"X"}})")
          .value(),
      "1 validation error detected: Value 'X' at 'streamModeDetails.streamMode' failed to satisfy "
      "constraint: Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]");
  EXPECT_EQ(validate_json("CreateStream", R"({"StreamName":"s","StreamModeDetails":{}})").value(),
            "1 validation error detected: Value null at 'streamModeDetails.streamMode' failed to "
            "satisfy constraint: Member must not be null");
}

TEST(Validation, ValidInputHasNoMessage) {
  EXPECT_FALSE(validate_json("CreateStream", R"({"StreamName":"ok.name-1_2","ShardCount":3})"));
}

TEST(Validation, AtMostTenListed) {
  // ListShards has 7 top-level members; a ShardFilter adds nested ones. Force more than ten.
  Value input = Value::map();
  const auto* op = kinesis_model().find_operation("ListShards");
  input.set("StreamName", "");
  input.set("NextToken", "");
  input.set("ExclusiveStartShardId", "");
  input.set("MaxResults", int64_t{0});
  input.set("StreamARN", "");
  Value filter = Value::map();
  filter.set("Type", "NOPE");
  filter.set("ShardId", "");
  input.set("ShardFilter", std::move(filter));
  auto failures = validation_failures(input, *op->input, 10);
  EXPECT_EQ(failures.size(), 10u);
  auto message = validate(input, *op->input).value();
  EXPECT_EQ(message.substr(0, 31), "10 validation errors detected: ");
}

// DynamoDB's two wordings of one validator (facts/dynamodb.md §20): legacy echoes the value,
// camelCases member paths and lists every violation; current does none of those.
TEST(Validation, LegacyAndCurrentWordings) {
  const auto& model = model::ServiceModel::embedded("dynamodb-2012-08-10");
  const auto* op = model.find_operation("ListTables");
  ASSERT_NE(op, nullptr);
  Value input = Value::map();
  input.set("ExclusiveStartTableName", "a b");
  input.set("Limit", int64_t{0});

  ValidationStyle legacy;
  EXPECT_EQ(validate(input, *op->input, &legacy).value(),
            "2 validation errors detected: Value 'a b' at 'exclusiveStartTableName' failed to "
            "satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
            "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater "
            "than or equal to 1");

  ValidationStyle current;
  current.wording = ValidationStyle::Wording::kCurrent;
  EXPECT_EQ(validate(input, *op->input, &current).value(),
            "1 validation error detected: Value at 'ExclusiveStartTableName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
}

// A service's own text for one member (ValidationStyle::member_messages): for an absent
// required member, for one shorter than its minimum, or neither (an empty text); other
// members and other violations keep the model's texts.
TEST(Validation, MemberMessagesReplaceMissingAndTooShort) {
  const auto& model = model::ServiceModel::embedded("dynamodb-2012-08-10");
  const auto* op = model.find_operation("BatchGetItem");
  ASSERT_NE(op, nullptr);
  ValidationStyle style;
  style.member_messages = {{"BatchGetItemInput.RequestItems", {"missing text", "short text"}}};
  Value absent = Value::map();
  absent.set("ReturnConsumedCapacity", "hi");
  EXPECT_EQ(validate(absent, *op->input, &style).value(), "missing text");
  Value empty = Value::map();
  empty.set("RequestItems", Value::map());
  EXPECT_EQ(validate(empty, *op->input, &style).value(), "short text");

  ValidationStyle only_missing;
  only_missing.member_messages = {
      {"BatchGetItemInput.RequestItems", {.missing = "missing text", .too_short = {}}}};
  EXPECT_EQ(validate(empty, *op->input, &only_missing).value(),
            "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy "
            "constraint: Member must have length greater than or equal to 1");
  // Another operation's input shape is not affected.
  const auto* write = model.find_operation("BatchWriteItem");
  ASSERT_NE(write, nullptr);
  EXPECT_EQ(validate(empty, *write->input, &style).value(),
            "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy "
            "constraint: Member must have length greater than or equal to 1");
}

TEST(Validation, OneFailureWordedByStyle) {
  ValidationStyle current;
  current.wording = ValidationStyle::Wording::kCurrent;
  const Value value("");
  EXPECT_EQ(validation_failure("KeySchema.1.member.AttributeName", &value,
                               "Member must have length greater than or equal to 1", nullptr),
            "Value '' at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member "
            "must have length greater than or equal to 1");
  EXPECT_EQ(validation_failure("KeySchema.1.member.AttributeName", &value,
                               "Member must have length greater than or equal to 1", &current),
            "Value at 'KeySchema.1.member.AttributeName' failed to satisfy constraint: Member "
            "must have length greater than or equal to 1");
  EXPECT_EQ(validation_failure("TableName", nullptr, "Member must not be null", nullptr),
            "Value null at 'tableName' failed to satisfy constraint: Member must not be null");
  EXPECT_EQ(validation_message({"a", "b"}, nullptr), "2 validation errors detected: a; b");
  EXPECT_EQ(validation_message({"a", "b"}, &current), "1 validation error detected: a");
}

TEST(Validation, Utf16Length) {
  EXPECT_EQ(utf16_length("abc"), 3u);
  EXPECT_EQ(utf16_length("\xc3\xa9"), 1u);          // U+00E9
  EXPECT_EQ(utf16_length("\xe2\x82\xac"), 1u);      // U+20AC
  EXPECT_EQ(utf16_length("\xf0\x9f\x98\x80"), 2u);  // U+1F600, a surrogate pair in UTF-16
}

// Shapes no value of which can fail are marked at model load, so validation passes them by;
// a recursive shape is marked only when something in its cycle has a constraint.
TEST(Validation, ShapesThatCannotFailAreMarked) {
  const auto parsed = model::ServiceModel::parse(R"({"metadata": {}, "operations": {},
    "shapes": {
      "Doc": {"type": "structure", "members": {"S": {"shape": "Str"}, "M": {"shape": "DocMap"},
                                               "L": {"shape": "DocList"}}},
      "DocMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Doc"}},
      "DocList": {"type": "list", "member": {"shape": "Doc"}},
      "Str": {"type": "string"},
      "Name": {"type": "string", "max": 3},
      "Kind": {"type": "string", "enum": ["A"]},
      "Named": {"type": "structure", "members": {"N": {"shape": "Name"}, "D": {"shape": "Doc"}}},
      "Needs": {"type": "structure", "required": ["D"], "members": {"D": {"shape": "Doc"}}},
      "Loop": {"type": "structure", "members": {"Next": {"shape": "Loop"},
                                                "K": {"shape": "Kind"}}},
      "Kinds": {"type": "list", "member": {"shape": "Kind"}}}})");
  const auto fails = [&](std::string_view name) {
    return parsed->find_shape(name)->may_fail_validation;
  };
  EXPECT_FALSE(fails("Doc"));
  EXPECT_FALSE(fails("DocMap"));
  EXPECT_FALSE(fails("DocList"));
  EXPECT_FALSE(fails("Str"));
  EXPECT_TRUE(fails("Name"));
  EXPECT_TRUE(fails("Kind"));
  EXPECT_TRUE(fails("Named"));
  EXPECT_TRUE(fails("Needs"));
  EXPECT_TRUE(fails("Loop"));
  EXPECT_TRUE(fails("Kinds"));
  const model::Shape& named = *parsed->find_shape("Named");
  EXPECT_TRUE(named.find_member("N")->checked);
  EXPECT_FALSE(named.find_member("D")->checked);
  EXPECT_TRUE(parsed->find_shape("Needs")->find_member("D")->checked);  // required

  // Passed by, yet the member beside it is still checked, in the same words.
  Value doc = Value::map();
  doc.set("S", Value(std::string(100, 'x')));
  Value input = Value::map();
  input.set("D", std::move(doc));
  EXPECT_EQ(validate(input, named), std::nullopt);
  input.set("N", Value("abcd"));
  EXPECT_EQ(validate(input, named).value(),
            "1 validation error detected: Value 'abcd' at 'n' failed to satisfy constraint: "
            "Member must have length less than or equal to 3");
  // A shape built by hand keeps the default: checked.
  EXPECT_TRUE(model::Shape{}.may_fail_validation);
}

// DynamoDB's attribute values: only what can fail is looked at (AttributeName's maximum
// length, on map keys at any depth); a key is measured in UTF-16 units, not bytes.
TEST(Validation, DynamoDbAttributeNamesAtAnyDepth) {
  const auto& dynamodb = model::ServiceModel::embedded("dynamodb-2012-08-10");
  EXPECT_TRUE(dynamodb.find_shape("AttributeValue")->may_fail_validation);
  EXPECT_FALSE(dynamodb.find_shape("StringAttributeValue")->may_fail_validation);
  EXPECT_FALSE(dynamodb.find_shape("StringSetAttributeValue")->may_fail_validation);
  const model::Shape& input = *dynamodb.find_operation("PutItem")->input;
  const auto put = [&](std::string name) {
    Value s = Value::map();
    s.set("S", Value("v"));
    Value nested = Value::map();
    nested.set(std::move(name), std::move(s));
    Value m = Value::map();
    m.set("M", std::move(nested));
    Value item = Value::map();
    item.set("a", std::move(m));
    Value request = Value::map();
    request.set("TableName", Value("t"));
    request.set("Item", std::move(item));
    return validate(request, input);
  };
  EXPECT_EQ(put(std::string(65535, 'k')), std::nullopt);
  std::string three_byte_units;  // 30000 units of U+20AC, 90000 bytes: within 65535 units
  for (int i = 0; i < 30000; ++i) three_byte_units += "\xe2\x82\xac";
  EXPECT_EQ(put(three_byte_units), std::nullopt);
  const auto too_long = put(std::string(65536, 'k'));
  ASSERT_TRUE(too_long.has_value());
  EXPECT_TRUE(too_long->starts_with("1 validation error detected: Value '{"));
  EXPECT_NE(too_long->find("' at 'item.a.member.m' failed to satisfy constraint: Map keys must "
                           "satisfy constraint: [Member must have length less than or equal to "
                           "65535]"),
            std::string::npos);
}

TEST(Validation, LowerFirst) {
  EXPECT_EQ(lower_first("StreamARN"), "streamARN");
  EXPECT_EQ(lower_first(""), "");
}

}  // namespace
}  // namespace trib::aws
