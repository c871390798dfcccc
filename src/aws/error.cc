#include "aws/error.h"

namespace trib::aws::errors {

AwsError serialization(std::string message) {
  AwsError e = AwsError::client("SerializationException", std::move(message));
  e.message_key = AwsError::MessageKey::kUpper;
  return e;
}

AwsError serialization_no_message() {
  AwsError e = AwsError::client("SerializationException", "");
  e.message_key = AwsError::MessageKey::kNone;
  return e;
}

AwsError unknown_operation() {
  AwsError e = AwsError::client("UnknownOperationException", "");
  e.message_key = AwsError::MessageKey::kNone;
  return e;
}

AwsError missing_authentication_token() {
  AwsError e =
      AwsError::client("MissingAuthenticationTokenException", "Missing Authentication Token");
  e.http_status = 400;
  return e;
}

AwsError incomplete_signature(std::string message) {
  return AwsError::client("IncompleteSignatureException", std::move(message));
}

AwsError invalid_signature(std::string message) {
  return AwsError::client("InvalidSignatureException", std::move(message));
}

AwsError unrecognized_client() {
  return AwsError::client("UnrecognizedClientException",
                          "The security token included in the request is invalid.");
}

AwsError access_denied(std::string message) {
  AwsError e = AwsError::client("AccessDeniedException", std::move(message));
  e.http_status = 403;
  return e;
}

AwsError validation(std::string message) {
  return AwsError::client("ValidationException", std::move(message));
}

AwsError internal_failure() {
  AwsError e = AwsError::client("InternalFailure", "An internal error occurred.");
  e.http_status = 500;
  return e;
}

AwsError request_entity_too_large() {
  AwsError e = AwsError::client("RequestEntityTooLargeException", "Request entity too large");
  e.http_status = 413;
  return e;
}

}  // namespace trib::aws::errors
