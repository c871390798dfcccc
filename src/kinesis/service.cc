#include "kinesis/service.h"

#include "kinesis/operations.h"

namespace trib::kinesis {

KinesisService::KinesisService(storage::Engine& engine, KinesisOptions options, const TokenSealer& sealer)
    : model_(model::ServiceModel::embedded("kinesis-2013-12-02")),
      options_(options),
      catalog_(engine),
      context_{catalog_, options_, sealer} {}

storage::Status KinesisService::load() { return catalog_.load(); }

bool KinesisService::implements(std::string_view operation) const {
  return operation_table().count(operation) > 0;
}

aws::AwsResult<aws::Value> KinesisService::invoke(const model::Operation& operation,
                                                  const aws::RequestContext& request,
                                                  const aws::Value& input) {
  auto it = operation_table().find(operation.name);
  if (it == operation_table().end()) return aws::fail(aws::errors::unknown_operation());
  return it->second(context_, request, input);
}

const aws::MemberOrder* KinesisService::validation_order() const {
  // The order AWS was observed to list violations in (captures of real responses); members
  // not named here follow in model order.
  static const aws::MemberOrder order = {
      {"CreateStreamInput", {"ShardCount", "StreamName"}},
      {"DescribeStreamInput", {"Limit", "ExclusiveStartShardId", "StreamName"}},
      {"ListStreamsInput", {"Limit", "ExclusiveStartStreamName"}},
      {"ListShardsInput", {"MaxResults", "ExclusiveStartShardId", "StreamName", "NextToken"}},
  };
  return &order;
}

}  // namespace trib::kinesis
