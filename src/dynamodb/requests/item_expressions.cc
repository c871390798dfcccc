#include "dynamodb/requests/item_expressions.h"

#include "dynamodb/documents/projection.h"
#include "dynamodb/errors.h"

namespace trib::dynamodb::requests {

std::optional<aws::AwsError> mixed_parameters(const aws::Value& input,
                                              std::span<const std::string_view> legacy,
                                              std::span<const std::string_view> expression) {
  auto present = [&](std::span<const std::string_view> names) {
    std::vector<std::string_view> out;
    for (const std::string_view name : names) {
      if (input.find(name) != nullptr) out.push_back(name);
    }
    return out;
  };
  const auto legacy_present = present(legacy);
  const auto expression_present = present(expression);
  return expressions::mixed_parameters_error(legacy_present, expression_present);
}

aws::AwsResult<Ok> WriteExpressions::parse_expected(const aws::Value& input) {
  const aws::Value* wire = input.find("Expected");
  if (wire == nullptr) return Ok{};
  auto conditions = documents::parse_expected(*wire, input.string_member("ConditionalOperator"));
  if (!conditions) return aws::fail(std::move(conditions.error()));
  expected = std::move(*conditions);
  return Ok{};
}

aws::AwsResult<Ok> WriteExpressions::parse_expressions(
    const aws::Value& input, std::span<const expressions::ExpressionKind> accepted) {
  expressions::RequestExpressions request;
  for (const expressions::ExpressionKind kind : accepted) {
    if (kind == expressions::ExpressionKind::kCondition) {
      request.condition = input.string_member("ConditionExpression");
    } else if (kind == expressions::ExpressionKind::kUpdate) {
      request.update = input.string_member("UpdateExpression");
    }
  }
  request.names = input.find("ExpressionAttributeNames");
  request.values = input.find("ExpressionAttributeValues");
  request.accepted = accepted;
  auto result = documents::parse_request(std::move(request), values);
  if (!result) return aws::fail(std::move(result.error()));
  parsed = std::move(*result);
  return Ok{};
}

bool WriteExpressions::condition_holds(const Item* old_item) const {
  if (parsed.condition && !documents::evaluate(*parsed.condition, old_item, values)) return false;
  if (expected && !documents::matches(*expected, old_item)) return false;
  return true;
}

aws::AwsError condition_failed(const aws::Value& input, const std::optional<Item>& old_item) {
  aws::AwsError e = error(Error::kConditionalCheckFailed, "The conditional request failed");
  const std::string* mode = input.string_member("ReturnValuesOnConditionCheckFailure");
  if (mode && *mode == "ALL_OLD" && old_item)
    e.members.emplace_back("Item", item_to_wire(*old_item));
  return e;
}

Item ReadProjection::apply(Item item) const {
  if (expression) return documents::project(item, *expression);
  if (attributes) return documents::project_attributes(item, *attributes);
  return item;
}

aws::AwsResult<ReadProjection> read_projection(const aws::Value& input) {
  static constexpr std::string_view kLegacy[] = {"AttributesToGet"};
  static constexpr std::string_view kExpressions[] = {"ProjectionExpression"};
  if (auto e = mixed_parameters(input, kLegacy, kExpressions)) return aws::fail(std::move(*e));
  ReadProjection out;
  if (const aws::Value* names = input.find("AttributesToGet"); names && names->is_list()) {
    std::vector<std::string_view> list;
    for (const aws::Value& name : names->as_list()) {
      if (name.is_string()) list.push_back(name.as_string());
    }
    if (auto e = documents::check_attributes_to_get(list)) return aws::fail(std::move(*e));
    out.attributes = std::move(list);
  }
  // GetItem and BatchGetItem take no expression that uses values: ExpressionAttributeValues is
  // refused by parse_request() ("... can only be specified when using expressions").
  static constexpr expressions::ExpressionKind kAccepted[] = {
      expressions::ExpressionKind::kProjection};
  expressions::RequestExpressions request;
  request.projection = input.string_member("ProjectionExpression");
  request.names = input.find("ExpressionAttributeNames");
  request.values = input.find("ExpressionAttributeValues");
  request.accepted = kAccepted;
  auto parsed = expressions::parse_request(request);
  if (!parsed) return aws::fail(std::move(parsed.error()));
  out.expression = std::move(parsed->projection);
  return out;
}

}  // namespace trib::dynamodb::requests
