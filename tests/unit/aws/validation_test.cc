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

TEST(Validation, LowerFirst) {
  EXPECT_EQ(lower_first("StreamARN"), "streamARN");
  EXPECT_EQ(lower_first(""), "");
}

}  // namespace
}  // namespace trib::aws
