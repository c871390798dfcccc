// What the DynamoDB and DynamoDB Streams front ends share on the wire: JSON 1.0, namespaced
// `__type`s (errors.h), 52-character request ids and x-amz-crc32.
#pragma once

#include "aws/service.h"

namespace trib::dynamodb {

class DynamoDbFrontEnd : public aws::Service {
 public:
  std::string_view json_content_type() const override { return "application/x-amz-json-1.0"; }
  std::string error_type(const aws::AwsError& error) const override;
  // 52 characters of [A-Z0-9], as DynamoDB's request ids.
  std::string new_request_id() const override { return aws::new_alphanumeric_request_id(); }
  // x-amz-crc32: CRC-32 (IEEE, as zlib) of the body, unsigned decimal; SDKs verify it.
  void finish_response(aws::HttpResponse& response) const override;
};

}  // namespace trib::dynamodb
