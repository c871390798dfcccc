// Amazon DynamoDB as an aws::Service: model "dynamodb-2012-08-10", target prefix
// "DynamoDB_20120810", JSON 1.0, errors rendered with their namespaces
// (com.amazonaws.dynamodb.v20120810#, com.amazon.coral.validate#, com.amazon.coral.service#).
#pragma once

#include <memory>

#include "aws/service.h"
#include "dynamodb/context.h"
#include "dynamodb/destination/delivery.h"
#include "dynamodb/destination/outbox.h"

namespace trib::dynamodb {

class DynamoDbService final : public aws::Service {
 public:
  DynamoDbService(storage::Engine& engine, DynamoDbOptions options, const TokenSealer& sealer);
  ~DynamoDbService() override;
  storage::Status load();
  TableCatalog& tables() { return tables_; }
  // Wires Kinesis in for the Kinesis streaming destination (after load()): the outbox becomes
  // the write path's change-capture hook (unless another consumer is set) and the delivery job
  // starts, first finishing what the outbox holds. `kinesis` must outlive stop().
  void attach_kinesis(destination::KinesisSink& kinesis);
  // Stops the delivery job.
  void stop() override;

  std::string_view target_prefix() const override { return "DynamoDB_20120810"; }
  std::string_view json_content_type() const override { return "application/x-amz-json-1.0"; }
  const model::ServiceModel& model() const override { return model_; }
  bool implements(std::string_view operation) const override;
  aws::AwsResult<aws::Value> invoke(const model::Operation& operation,
                                    const aws::RequestContext& request,
                                    const aws::Value& input) override;
  const aws::ValidationStyle* validation_style() const override { return &validation_style_; }
  std::string error_type(const aws::AwsError& error) const override;
  // 52 characters of [A-Z0-9], as DynamoDB's request ids.
  std::string new_request_id() const override { return aws::new_alphanumeric_request_id(); }
  // x-amz-crc32: CRC-32 (IEEE, as zlib) of the body, unsigned decimal; SDKs verify it.
  void finish_response(aws::HttpResponse& response) const override;
  // Purges tables whose deletion finished (their items with them).
  void run_lifecycle(int64_t now_ms) override;

 private:
  const model::ServiceModel& model_;
  DynamoDbOptions options_;
  aws::ValidationStyle validation_style_;
  TableCatalog tables_;
  DynamoDbContext context_;
  std::unique_ptr<destination::Delivery> delivery_;
  std::unique_ptr<destination::Outbox> outbox_;
};

}  // namespace trib::dynamodb
