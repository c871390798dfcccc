// Every operation of the pinned Kinesis model is either implemented or listed as not yet
// supported (with its reason), and nothing is listed that the model does not have.
#include <gtest/gtest.h>

#include "dynamodb/operations.h"
#include "kinesis/operations.h"
#include "model/model.h"

namespace trib::kinesis {
namespace {

TEST(ModelCoverage, EveryKinesisOperationIsImplementedOrListed) {
  const auto& model = model::ServiceModel::embedded("kinesis-2013-12-02");
  EXPECT_EQ(model.operations().size(), 39u);
  for (const auto& [name, op] : model.operations()) {
    const bool implemented = operation_table().count(name) > 0;
    const bool listed = unsupported_operations().count(name) > 0;
    EXPECT_TRUE(implemented != listed)
        << name
        << (implemented ? " is both implemented and listed" : " is neither implemented nor listed");
  }
  for (const auto& [name, handler] : operation_table()) {
    EXPECT_NE(model.find_operation(name), nullptr) << name;
  }
  for (const auto& [name, reason] : unsupported_operations()) {
    EXPECT_NE(model.find_operation(name), nullptr) << name;
    EXPECT_FALSE(reason.empty());
  }
}

TEST(ModelCoverage, ModelFactsAreLoaded) {
  const auto& model = model::ServiceModel::embedded("kinesis-2013-12-02");
  EXPECT_EQ(model.target_prefix(), "Kinesis_20131202");
  EXPECT_EQ(model.json_version(), "1.1");
  EXPECT_FALSE(model.botocore_version().empty());
  const auto* name = model.find_shape("StreamName");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->min, 1);
  EXPECT_EQ(name->max, 128);
  ASSERT_TRUE(name->pattern);
  EXPECT_TRUE(name->pattern->matches("a.b_c-1"));
  EXPECT_FALSE(name->pattern->matches("a b"));
  const auto* arn = model.find_shape("StreamARN");
  ASSERT_TRUE(arn && arn->pattern);
  EXPECT_TRUE(arn->pattern->matches("arn:aws:kinesis:us-east-1:123456789012:stream/s"));
  EXPECT_FALSE(arn->pattern->matches("arn:aws:kinesis:us-east-1:12345:stream/s"));
}

}  // namespace
}  // namespace trib::kinesis

namespace trib::model {
namespace {

// The DynamoDB and DynamoDB Streams models are pinned (botocore 1.43.11) and parse; their
// patterns compile (the pattern engine refuses nothing the model states).
TEST(ModelCoverage, DynamoDbModelsAreLoaded) {
  const auto& dynamodb = ServiceModel::embedded("dynamodb-2012-08-10");
  EXPECT_EQ(dynamodb.operations().size(), 57u);
  EXPECT_EQ(dynamodb.target_prefix(), "DynamoDB_20120810");
  EXPECT_EQ(dynamodb.json_version(), "1.0");
  const auto* table_name = dynamodb.find_shape("TableArn");
  ASSERT_NE(table_name, nullptr);
  EXPECT_EQ(table_name->min, 1);
  EXPECT_EQ(table_name->max, 1024);
  const auto* attribute_value = dynamodb.find_shape("AttributeValue");
  ASSERT_NE(attribute_value, nullptr);
  EXPECT_EQ(attribute_value->members.size(), 10u);
  const auto* index_name = dynamodb.find_shape("IndexName");
  ASSERT_TRUE(index_name && index_name->pattern);
  EXPECT_TRUE(index_name->pattern->matches("by-date_1.x"));
  EXPECT_FALSE(index_name->pattern->matches("by date"));

  const auto& streams = ServiceModel::embedded("dynamodbstreams-2012-08-10");
  EXPECT_EQ(streams.operations().size(), 4u);
  EXPECT_EQ(streams.target_prefix(), "DynamoDBStreams_20120810");
}

}  // namespace
}  // namespace trib::model

namespace trib::dynamodb {
namespace {

TEST(ModelCoverage, EveryDynamoDbOperationIsImplementedOrListed) {
  const auto& model = model::ServiceModel::embedded("dynamodb-2012-08-10");
  for (const auto& [name, op] : model.operations()) {
    const bool implemented = operation_table().count(name) > 0;
    const bool listed = unsupported_operations().count(name) > 0;
    EXPECT_TRUE(implemented != listed)
        << name
        << (implemented ? " is both implemented and listed" : " is neither implemented nor listed");
  }
  for (const auto& [name, handler] : operation_table()) {
    EXPECT_NE(model.find_operation(name), nullptr) << name;
  }
  for (const auto& [name, reason] : unsupported_operations()) {
    EXPECT_NE(model.find_operation(name), nullptr) << name;
    EXPECT_FALSE(reason.empty());
  }
}

}  // namespace
}  // namespace trib::dynamodb
