// Order of the checks (dynalite validations/index.js validateExpressionParams and
// validateExpressions, which it matched against AWS; texts marked [V] were recorded against AWS,
// see README.md):
//   1. names given but no expression; values given but no expression that takes values [V]
//   2. ExpressionAttributeNames empty, or a key that is not #[A-Za-z0-9_]+
//   3. ExpressionAttributeValues empty, a key that is not :[A-Za-z0-9_]+, a bad AttributeValue
//   4. UpdateExpression, ConditionExpression, KeyConditionExpression, FilterExpression,
//      ProjectionExpression, each parsed and checked (parser.h)
//   5. names never used, then values never used [V]
#include "dynamodb/expressions/request.h"

#include <array>
#include <string>
#include <vector>

#include "dynamodb/expressions/parser.h"

namespace trib::dynamodb::expressions {

namespace {

bool valid_placeholder(std::string_view key, char prefix) {
  if (key.size() < 2 || key[0] != prefix) return false;
  for (size_t i = 1; i < key.size(); ++i) {
    const char c = key[i];
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!word) return false;
  }
  return true;
}

std::string join_keys(const std::vector<std::string_view>& keys) {
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) out += ", ";
    out += keys[i];
  }
  return out;
}

const std::string* member(const RequestExpressions& request, ExpressionKind kind) {
  switch (kind) {
    case ExpressionKind::kCondition:
      return request.condition;
    case ExpressionKind::kFilter:
      return request.filter;
    case ExpressionKind::kKeyCondition:
      return request.key_condition;
    case ExpressionKind::kProjection:
      return request.projection;
    case ExpressionKind::kUpdate:
      return request.update;
  }
  return nullptr;
}

}  // namespace

aws::AwsResult<ParsedExpressions> parse_request(const RequestExpressions& request) {
  constexpr std::array<ExpressionKind, 5> kParseOrder = {
      ExpressionKind::kUpdate, ExpressionKind::kCondition, ExpressionKind::kKeyCondition,
      ExpressionKind::kFilter, ExpressionKind::kProjection};

  bool any_expression = false;
  bool any_value_expression = false;
  for (const ExpressionKind kind : kParseOrder) {
    if (member(request, kind) == nullptr) continue;
    any_expression = true;
    if (kind != ExpressionKind::kProjection) any_value_expression = true;
  }
  if (request.names != nullptr && !any_expression) {
    return aws::fail(
        validation_error("ExpressionAttributeNames can only be specified when using expressions"));
  }
  if (request.values != nullptr && !any_value_expression) {
    std::string message =
        "ExpressionAttributeValues can only be specified when using expressions: ";
    size_t listed = 0;
    for (const ExpressionKind kind : request.accepted) {
      if (kind == ExpressionKind::kProjection) continue;
      if (listed++ > 0) message += " and ";
      message += parameter_name(kind);
    }
    if (listed == 0) {
      message.resize(message.size() - 2);  // no expression takes values: no list [U]
    } else {
      message += listed > 1 ? " are null" : " is null";
    }
    return aws::fail(validation_error(std::move(message)));
  }

  if (request.names != nullptr && request.names->is_map()) {
    const aws::ValueMap& names = request.names->as_map();
    if (names.empty()) {
      return aws::fail(validation_error("ExpressionAttributeNames must not be empty"));
    }
    for (const auto& [key, name] : names) {
      if (!valid_placeholder(key, '#')) {
        return aws::fail(validation_error(
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + key + "\""));
      }
    }
  }
  if (request.values != nullptr && request.values->is_map()) {
    const aws::ValueMap& values = request.values->as_map();
    if (values.empty()) {
      return aws::fail(validation_error("ExpressionAttributeValues must not be empty"));
    }
    for (const auto& [key, value] : values) {
      if (!valid_placeholder(key, ':')) {
        return aws::fail(validation_error(
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + key + "\""));
      }
    }
    if (request.validate_value) {
      for (const auto& [key, value] : values) {
        if (auto problem = request.validate_value(value)) {
          return aws::fail(validation_error(
              "ExpressionAttributeValues contains invalid value: " + *problem + " for key " + key));
        }
      }
    }
  }

  Substitutions substitutions(request.names, request.values);
  ParsedExpressions parsed;
  for (const ExpressionKind kind : kParseOrder) {
    const std::string* text = member(request, kind);
    if (text == nullptr) continue;
    auto expression = parse_expression(kind, *text, substitutions);
    if (!expression.ok()) return aws::fail(std::move(expression).error());
    switch (kind) {
      case ExpressionKind::kCondition:
        parsed.condition = std::move(*expression);
        break;
      case ExpressionKind::kFilter:
        parsed.filter = std::move(*expression);
        break;
      case ExpressionKind::kKeyCondition:
        parsed.key_condition = std::move(*expression);
        break;
      case ExpressionKind::kProjection:
        parsed.projection = std::move(*expression);
        break;
      case ExpressionKind::kUpdate:
        parsed.update = std::move(*expression);
        break;
    }
  }

  // Recorded against AWS: "Value provided in ExpressionAttributeNames unused in expressions:
  // keys: {#unused}". Several keys are listed in request order, joined by ", " [P dynalite].
  if (const auto unused = substitutions.unused_names(); !unused.empty()) {
    return aws::fail(validation_error(
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {" +
        join_keys(unused) + "}"));
  }
  if (const auto unused = substitutions.unused_values(); !unused.empty()) {
    return aws::fail(validation_error(
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {" +
        join_keys(unused) + "}"));
  }
  return parsed;
}

std::optional<aws::AwsError> mixed_parameters_error(std::span<const std::string_view> legacy,
                                                    std::span<const std::string_view> expressions) {
  if (legacy.empty() || expressions.empty()) return std::nullopt;
  auto join = [](std::span<const std::string_view> names) {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) {
      if (i > 0) out += ", ";
      out += names[i];
    }
    return out;
  };
  return validation_error(
      "Can not use both expression and non-expression parameters in the same request: "
      "Non-expression parameters: {" +
      join(legacy) + "} Expression parameters: {" + join(expressions) + "}");
}

}  // namespace trib::dynamodb::expressions
