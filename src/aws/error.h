// Errors are values. An operation returns Result<Value, AwsError>; the pipeline renders the
// error once, in the service's format (Kinesis: bare `__type`; DynamoDB: prefixed).
#pragma once

#include <string>
#include <utility>

#include "aws/value.h"
#include "util/result.h"

namespace trib::aws {

struct AwsError {
  // The error's short name, e.g. "ResourceNotFoundException".
  std::string type;
  std::string message;
  int http_status = 400;
  // Framework errors raised before the service's own code runs sometimes carry a Coral
  // namespace in `__type` whatever the service ("com.amazon.coral.service#...").
  std::string type_namespace;
  // Some framework errors spell the member "Message" (capital M) or send no message at all.
  enum class MessageKey : uint8_t { kLower, kUpper, kNone } message_key = MessageKey::kLower;
  // Members the error body carries after the message, e.g. DynamoDB's `Item` of a
  // ConditionalCheckFailedException with ReturnValuesOnConditionCheckFailure ALL_OLD.
  ValueMap members;

  static AwsError client(std::string type, std::string message) {
    return AwsError{std::move(type), std::move(message), 400, {}, MessageKey::kLower, {}};
  }
};

template <class T>
using AwsResult = Result<T, AwsError>;

inline Unexpected<AwsError> fail(AwsError e) { return {std::move(e)}; }

// Framework-level errors shared by every service (texts match AWS's front end).
namespace errors {
AwsError serialization(std::string message);  // wrong JSON/CBOR type: "Message" key
AwsError serialization_no_message();          // unparseable body
AwsError unknown_operation();
AwsError missing_authentication_token();
AwsError incomplete_signature(std::string message);
AwsError invalid_signature(std::string message);
// An unknown access key id, or a session token that is not the key's (400, as AWS answers
// Kinesis and DynamoDB: "Status Code: 400; Error Code: UnrecognizedClientException").
AwsError unrecognized_client();
AwsError access_denied(std::string message);
AwsError validation(std::string message);
AwsError internal_failure();
AwsError request_entity_too_large();
}  // namespace errors

}  // namespace trib::aws
