// Kinesis Data Streams as an aws::Service: model "kinesis-2013-12-02", target prefix
// "Kinesis_20131202", JSON 1.1, errors rendered with a bare `__type`.
#pragma once

#include <memory>

#include "aws/service.h"
#include "kinesis/consumers/registry.h"
#include "kinesis/consumers/subscriptions.h"
#include "kinesis/context.h"
#include "streams/retention.h"

namespace trib::kinesis {

class KinesisService final : public aws::Service {
 public:
  KinesisService(storage::Engine& engine, KinesisOptions options, const TokenSealer& sealer);
  streams::RecordLog& records() { return records_; }
  ~KinesisService() override;
  // Lifecycle work: applies reshards whose UPDATING period ended, purges deleted streams (and
  // their consumers), consumers whose deregistration finished, and records past retention.
  void run_lifecycle(int64_t now_ms) override;
  // Ends the open subscriptions (SubscribeToShard) before the transport stops.
  void stop() override;
  storage::Status load();
  StreamCatalog& catalog() { return catalog_; }
  ConsumerRegistry& consumers() { return consumers_; }
  SubscriptionHub& subscriptions() { return subscriptions_; }

  std::string_view target_prefix() const override { return "Kinesis_20131202"; }
  std::string_view json_content_type() const override { return "application/x-amz-json-1.1"; }
  bool accepts_cbor() const override { return true; }
  const model::ServiceModel& model() const override { return model_; }
  bool implements(std::string_view operation) const override;
  aws::AwsResult<aws::Value> invoke(const model::Operation& operation,
                                    const aws::RequestContext& request,
                                    const aws::Value& input) override;
  aws::AwsResult<std::shared_ptr<aws::StreamingBody>> invoke_streaming(
      const model::Operation& operation, const aws::RequestContext& request,
      const aws::Value& input, std::string_view content_type) override;
  const aws::ValidationStyle* validation_style() const override;
  std::string error_type(const aws::AwsError& error) const override { return error.type; }
  // x-amz-id-2: 72 random bytes in base64, on every response of AWS's Kinesis front end.
  void finish_response(aws::HttpResponse& response) const override;

 private:
  // Removes closed shards past retention, whose records are gone, from the stream's metadata.
  void prune_expired_shards(const Stream& stream, const std::vector<uint32_t>& expired,
                            int64_t now_ms);
  const model::ServiceModel& model_;
  KinesisOptions options_;
  streams::RecordLog records_;
  StreamCatalog catalog_;  // closes shards of records_ when a reshard applies
  ConsumerRegistry consumers_;
  SubscriptionHub subscriptions_;
  KinesisContext context_;
  streams::HousekeepingCadence housekeeping_;
};

}  // namespace trib::kinesis
