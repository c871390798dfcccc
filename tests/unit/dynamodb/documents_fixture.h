// Requests for the src/dynamodb/documents/ tests, decoded from JSON with the real codec and the
// embedded DynamoDB model, then parsed the way an operation parses them.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "aws/codec.h"
#include "aws/value.h"
#include "dynamodb/documents/value_model.h"
#include "dynamodb/expressions/request.h"
#include "dynamodb/values/attribute_value.h"
#include "model/model.h"

namespace trib::dynamodb::documents::testing {

// Decodes a JSON request body as the input shape of `operation` ("UpdateItem", "Scan", ...).
inline aws::Value decode(std::string_view operation, std::string_view json) {
  static const auto codec = aws::make_json_codec("application/x-amz-json-1.0");
  const auto& model = model::ServiceModel::embedded("dynamodb-2012-08-10");
  auto parsed = codec->parse(std::string(json));
  EXPECT_TRUE(parsed) << json;
  if (!parsed) return aws::Value::map();
  auto document = (*parsed)->to_value(model.find_shape(std::string(operation) + "Input"));
  EXPECT_TRUE(document) << json << ": " << (document ? "" : document.error().message);
  return document ? std::move(*document) : aws::Value::map();
}

// An item from its wire JSON ({"a": {"S": "x"}, ...}).
inline Item item(std::string_view json) {
  aws::Value request =
      decode("PutItem", R"({"TableName": "t", "Item": )" + std::string(json) + "}");
  const aws::Value* wire = request.find("Item");
  auto converted = item_from_wire(wire ? *wire : aws::Value::map());
  EXPECT_TRUE(converted) << json << ": " << (converted ? "" : converted.error().message);
  return converted ? std::move(*converted) : Item{};
}

inline std::string json(const Item& item) { return aws::to_json(item_to_wire(item)); }

// One request's expressions, parsed once with its values converted once (what an operation
// keeps for the duration of the request).
struct Request {
  aws::Value document;
  RequestValues values;
  expressions::ParsedExpressions parsed;
  std::optional<aws::AwsError> error;
};

// `operation`'s input JSON (TableName and Key may be omitted).
inline std::unique_ptr<Request> request(std::string_view operation, std::string_view body_json) {
  auto r = std::make_unique<Request>();
  r->document = decode(operation, body_json);
  expressions::RequestExpressions e;
  e.condition = r->document.string_member("ConditionExpression");
  e.filter = r->document.string_member("FilterExpression");
  e.key_condition = r->document.string_member("KeyConditionExpression");
  e.projection = r->document.string_member("ProjectionExpression");
  e.update = r->document.string_member("UpdateExpression");
  e.names = r->document.find("ExpressionAttributeNames");
  e.values = r->document.find("ExpressionAttributeValues");
  static constexpr expressions::ExpressionKind kAll[] = {
      expressions::ExpressionKind::kUpdate, expressions::ExpressionKind::kCondition,
      expressions::ExpressionKind::kKeyCondition, expressions::ExpressionKind::kFilter};
  e.accepted = kAll;
  auto parsed = parse_request(e, r->values);
  if (parsed) {
    r->parsed = std::move(*parsed);
  } else {
    r->error = std::move(parsed.error());
  }
  return r;
}

}  // namespace trib::dynamodb::documents::testing
