// Amazon DynamoDB as an aws::Service: model "dynamodb-2012-08-10", target prefix
// "DynamoDB_20120810", JSON 1.0, errors rendered with their namespaces
// (com.amazonaws.dynamodb.v20120810#, com.amazon.coral.validate#, com.amazon.coral.service#).
#pragma once

#include <memory>

#include "aws/json_shape_decoders.h"
#include "dynamodb/context.h"
#include "dynamodb/destination/delivery.h"
#include "dynamodb/destination/outbox.h"
#include "dynamodb/front_end.h"
#include "dynamodb/items/change_capture.h"
#include "dynamodb/ttl/sweeper.h"

namespace trib::dynamodb {

class DynamoDbService final : public DynamoDbFrontEnd {
 public:
  DynamoDbService(storage::Engine& engine, DynamoDbOptions options, const TokenSealer& sealer);
  ~DynamoDbService() override;
  storage::Status load();
  TableCatalog& tables() { return tables_; }
  // Adds a consumer of the item write path's change-capture hook (DynamoDB Streams, the Kinesis
  // destination); before the service serves requests.
  void add_change_capture(items::ChangeCapture* consumer);
  // Wires Kinesis in for the Kinesis streaming destination (after load(), before serving): the
  // outbox joins the change-capture consumers and the delivery job starts, first finishing
  // what the outbox holds. `kinesis` must outlive stop().
  void attach_kinesis(destination::KinesisSink& kinesis);
  // Stops the delivery job.
  void stop() override;
  // The destination's delivery job (its counts, for /metrics); null before attach_kinesis.
  const destination::Delivery* destination_delivery() const { return delivery_.get(); }

  std::string_view target_prefix() const override { return "DynamoDB_20120810"; }
  const model::ServiceModel& model() const override { return model_; }
  bool implements(std::string_view operation) const override;
  aws::AwsResult<aws::Value> invoke(const model::Operation& operation,
                                    const aws::RequestContext& request,
                                    const aws::Value& input) override;
  const aws::ValidationStyle* validation_style() const override { return &validation_style_; }
  // Items of PutItem, BatchWriteItem and TransactWriteItems decoded straight from the JSON
  // (values/item_json_decoder.h).
  const aws::JsonShapeDecoders* json_shape_decoders() const override { return &json_decoders_; }
  // Purges tables whose deletion finished (their items with them), then runs one bounded step
  // of the Time to Live job (ttl/sweeper.h).
  void run_lifecycle(int64_t now_ms) override;

 private:
  const model::ServiceModel& model_;
  DynamoDbOptions options_;
  aws::ValidationStyle validation_style_;
  aws::JsonShapeDecoders json_decoders_;
  TableCatalog tables_;
  items::ChangeCaptureList change_capture_;
  DynamoDbContext context_;
  ttl::Sweeper ttl_sweeper_{context_};  // lifecycle thread only
  std::unique_ptr<destination::Delivery> delivery_;
  std::unique_ptr<destination::Outbox> outbox_;
};

}  // namespace trib::dynamodb
