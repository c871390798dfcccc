// Every DynamoDB error name, as a value, with its wire namespace, and the message texts the
// table and item code shares. Operations name errors by enum, never by string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "aws/error.h"

namespace trib::dynamodb {

enum class Error : uint8_t {
  kValidation,        // com.amazon.coral.validate#ValidationException
  kResourceNotFound,  // the rest: com.amazonaws.dynamodb.v20120810#<Name>
  kResourceInUse,
  kLimitExceeded,
  kConditionalCheckFailed,
  kItemCollectionSizeLimitExceeded,
  kTransactionCanceled,
  kTransactionConflict,
  kTransactionInProgress,
  kIdempotentParameterMismatch,
  kDuplicateItem,
  kTableNotFound,
  kPolicyNotFound,
  kProvisionedThroughputExceeded,
  kRequestLimitExceeded,
  kExpiredIterator,      // DynamoDB Streams
  kTrimmedDataAccess,    // DynamoDB Streams
  kInternalServerError,  // HTTP 500
};

// The short name ("ResourceNotFoundException").
std::string_view error_name(Error error);
// The error as a value, rendered with its namespace by the pipeline.
aws::AwsError error(Error error, std::string message);
inline aws::AwsError validation(std::string message) {
  return error(Error::kValidation, std::move(message));
}

// `__type` of an error raised outside DynamoDB's own code (framework errors of the
// pipeline): ValidationException under com.amazon.coral.validate, the rest under
// com.amazon.coral.service.
std::string framework_error_type(const aws::AwsError& error);

namespace texts {
// Item operations, Query, Scan, batches and transactions on a missing table (recorded).
inline constexpr std::string_view kResourceNotFound = "Requested resource not found";
}  // namespace texts

// DescribeTable, DeleteTable (and the destination operations) on a missing table.
aws::AwsError table_not_found(std::string_view name);
aws::AwsError table_already_exists(std::string_view name);
// An invalid-parameter ValidationException: "One or more parameter values were invalid: ..."
aws::AwsError invalid_parameter(std::string_view detail);

}  // namespace trib::dynamodb
