#include "dynamodb_streams/service.h"

#include "dynamodb/errors.h"
#include "dynamodb_streams/operations.h"

namespace trib::dynamodb_streams {

DynamoDbStreamsService::DynamoDbStreamsService(TableStreams& streams, const TokenSealer& sealer,
                                               aws::ValidationStyle::Wording wording)
    : model_(model::ServiceModel::embedded("dynamodbstreams-2012-08-10")),
      streams_(streams),
      context_{streams_, sealer, validation_style_} {
  validation_style_.wording = wording;
}

bool DynamoDbStreamsService::implements(std::string_view operation) const {
  return operation_table().count(operation) > 0;
}

aws::AwsResult<aws::Value> DynamoDbStreamsService::invoke(const model::Operation& operation,
                                                          const aws::RequestContext& request,
                                                          const aws::Value& input) {
  auto it = operation_table().find(operation.name);
  if (it == operation_table().end()) return aws::fail(aws::errors::unknown_operation());
  return it->second(context_, request, input);
}

}  // namespace trib::dynamodb_streams
