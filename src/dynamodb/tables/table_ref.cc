#include "dynamodb/tables/table_ref.h"

#include "dynamodb/errors.h"
#include "model/model.h"

namespace trib::dynamodb {

namespace {

// The TableName shape's constraint violations of `name` (pattern first, then length),
// worded at `member_path`.
std::vector<std::string> table_name_failures(const DynamoDbContext& ctx, std::string_view name,
                                             std::string_view member_path) {
  static const model::Shape* shape =
      model::ServiceModel::embedded("dynamodb-2012-08-10").find_shape("TableName");
  const aws::Value value{std::string(name)};
  std::vector<std::string> failures;
  const auto add = [&](std::string constraint) {
    failures.push_back(
        aws::validation_failure(member_path, &value, constraint, &ctx.validation_style));
  };
  if (shape->pattern && !shape->pattern->matches(name)) {
    add("Member must satisfy regular expression pattern: " + shape->pattern->source());
  }
  const size_t length = aws::utf16_length(name);
  if (shape->min && static_cast<double>(length) < *shape->min) {
    add("Member must have length greater than or equal to " +
        std::to_string(static_cast<int64_t>(*shape->min)));
  }
  if (shape->max && static_cast<double>(length) > *shape->max) {
    add("Member must have length less than or equal to " +
        std::to_string(static_cast<int64_t>(*shape->max)));
  }
  return failures;
}

}  // namespace

aws::AwsResult<TableKey> resolve_table_key(const DynamoDbContext& ctx,
                                           const aws::RequestContext& request,
                                           std::string_view name_or_arn,
                                           std::string_view member_path) {
  if (name_or_arn.substr(0, 4) == "arn:") {
    auto key = parse_table_arn(name_or_arn);
    // Guess (not captured): a malformed ARN, or one whose table name is not a valid table
    // name, is a ValidationException with this text.
    if (!key || !table_name_failures(ctx, key->name, member_path).empty()) {
      return aws::fail(validation("Invalid TableArn provided: " + std::string(name_or_arn)));
    }
    // Another account's or region's table is not visible here (AWS: AccessDeniedException
    // for another account; treated as missing).
    if (key->account != request.account || key->region != request.region) {
      return aws::fail(error(Error::kResourceNotFound, std::string(texts::kResourceNotFound)));
    }
    return std::move(*key);
  }
  const auto failures = table_name_failures(ctx, name_or_arn, member_path);
  if (!failures.empty()) {
    return aws::fail(validation(aws::validation_message(failures, &ctx.validation_style)));
  }
  return TableKey{request.account, request.region, std::string(name_or_arn)};
}

aws::AwsResult<TableCatalog::TablePtr> find_table(const DynamoDbContext& ctx,
                                                  const aws::RequestContext& request,
                                                  const Input& input, MissingTable missing) {
  const std::string* name = input.string_member("TableName");
  auto key = resolve_table_key(ctx, request, name ? *name : std::string_view());
  if (!key) return aws::fail(std::move(key.error()));
  auto table = ctx.tables.find(*key, request.now_ms);
  if (!table) {
    return aws::fail(missing == MissingTable::kNamed
                         ? table_not_found(key->name)
                         : error(Error::kResourceNotFound, std::string(texts::kResourceNotFound)));
  }
  return table;
}

}  // namespace trib::dynamodb
