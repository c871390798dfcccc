#include "dynamodb_streams/operations.h"

#include "dynamodb/errors.h"

namespace trib::dynamodb_streams {

const std::map<std::string_view, OperationHandler>& operation_table() {
#define TRIB_DYNAMODB_STREAMS_ROW(name, function) {#name, &ops::function},
  static const std::map<std::string_view, OperationHandler> table = {
      TRIB_DYNAMODB_STREAMS_OPERATIONS(TRIB_DYNAMODB_STREAMS_ROW)};
#undef TRIB_DYNAMODB_STREAMS_ROW
  return table;
}

aws::AwsError stream_not_found(std::string_view arn) {
  return dynamodb::error(
      dynamodb::Error::kResourceNotFound,
      "Requested resource not found: Stream: " + std::string(arn) + " not found");
}

aws::AwsError trimmed_data() {
  return dynamodb::error(dynamodb::Error::kTrimmedDataAccess,
                         "The data you are trying to access has been trimmed.");
}

aws::AwsError internal_error() {
  return dynamodb::error(dynamodb::Error::kInternalServerError, "Internal server error");
}

aws::AwsError invalid_member(StreamsContext& ctx, std::string_view member, const aws::Value* value,
                             std::string_view constraint) {
  return dynamodb::validation(aws::validation_message(
      {aws::validation_failure(member, value, constraint, &ctx.validation_style)},
      &ctx.validation_style));
}

aws::AwsResult<TableStreams::StreamPtr> find_stream(StreamsContext& ctx,
                                                    const aws::RequestContext& request,
                                                    std::string_view arn, std::string_view member) {
  auto key = parse_stream_arn(arn);
  if (!key) {
    // [P, AWS-checked] a malformed ARN is a ValidationException (facts §5); text [U].
    aws::Value value{std::string(arn)};
    return aws::fail(invalid_member(ctx, member, &value, "Invalid StreamArn"));
  }
  if (key->account != request.account || key->region != request.region) {
    return aws::fail(stream_not_found(arn));
  }
  auto stream = ctx.streams.find(*key, request.now_ms);
  if (!stream) return aws::fail(stream_not_found(arn));
  return stream;
}

std::optional<aws::AwsError> check_limit(StreamsContext& ctx, const Input& input, int64_t max) {
  const aws::Value* limit = input.find("Limit");
  if (!limit || limit->kind() != aws::Value::Kind::kInteger) return std::nullopt;
  if (limit->as_int() <= max) return std::nullopt;
  return invalid_member(ctx, "Limit", limit,
                        "Member must have value less than or equal to " + std::to_string(max));
}

}  // namespace trib::dynamodb_streams
