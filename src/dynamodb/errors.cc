#include "dynamodb/errors.h"

#include <array>

namespace trib::dynamodb {

namespace {

constexpr std::string_view kDynamoDbNamespace = "com.amazonaws.dynamodb.v20120810";
constexpr std::string_view kValidateNamespace = "com.amazon.coral.validate";
constexpr std::string_view kServiceNamespace = "com.amazon.coral.service";

struct ErrorRow {
  Error error;
  std::string_view name;
  int http_status;
};

// Names from the pinned models' error shapes (dynamodb-2012-08-10, dynamodbstreams-2012-08-10);
// InternalServerError is the one 500.
constexpr std::array<ErrorRow, 18> kErrors = {{
    {Error::kValidation, "ValidationException", 400},
    {Error::kResourceNotFound, "ResourceNotFoundException", 400},
    {Error::kResourceInUse, "ResourceInUseException", 400},
    {Error::kLimitExceeded, "LimitExceededException", 400},
    {Error::kConditionalCheckFailed, "ConditionalCheckFailedException", 400},
    {Error::kItemCollectionSizeLimitExceeded, "ItemCollectionSizeLimitExceededException", 400},
    {Error::kTransactionCanceled, "TransactionCanceledException", 400},
    {Error::kTransactionConflict, "TransactionConflictException", 400},
    {Error::kTransactionInProgress, "TransactionInProgressException", 400},
    {Error::kIdempotentParameterMismatch, "IdempotentParameterMismatchException", 400},
    {Error::kDuplicateItem, "DuplicateItemException", 400},
    {Error::kTableNotFound, "TableNotFoundException", 400},
    {Error::kPolicyNotFound, "PolicyNotFoundException", 400},
    {Error::kProvisionedThroughputExceeded, "ProvisionedThroughputExceededException", 400},
    {Error::kRequestLimitExceeded, "RequestLimitExceeded", 400},
    // dynamodbstreams-2012-08-10's own errors, in the same namespace ([U] for the Streams
    // target: facts/dynamodb-streams §14).
    {Error::kExpiredIterator, "ExpiredIteratorException", 400},
    {Error::kTrimmedDataAccess, "TrimmedDataAccessException", 400},
    {Error::kInternalServerError, "InternalServerError", 500},
}};

const ErrorRow& row(Error error) {
  for (const auto& r : kErrors) {
    if (r.error == error) return r;
  }
  return kErrors.back();
}

}  // namespace

std::string_view error_name(Error error) { return row(error).name; }

aws::AwsError error(Error error, std::string message) {
  const ErrorRow& r = row(error);
  aws::AwsError out = aws::AwsError::client(std::string(r.name), std::move(message));
  out.http_status = r.http_status;
  out.type_namespace =
      std::string(error == Error::kValidation ? kValidateNamespace : kDynamoDbNamespace);
  return out;
}

std::string framework_error_type(const aws::AwsError& error) {
  const std::string_view ns =
      error.type == "ValidationException" ? kValidateNamespace : kServiceNamespace;
  return std::string(ns) + "#" + error.type;
}

aws::AwsError table_not_found(std::string_view name) {
  return error(Error::kResourceNotFound,
               "Requested resource not found: Table: " + std::string(name) + " not found");
}

aws::AwsError table_already_exists(std::string_view name) {
  return error(Error::kResourceInUse, "Table already exists: " + std::string(name));
}

aws::AwsError invalid_parameter(std::string_view detail) {
  return validation("One or more parameter values were invalid: " + std::string(detail));
}

}  // namespace trib::dynamodb
