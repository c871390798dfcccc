// Amazon DynamoDB Streams as an aws::Service on the shared port: model
// "dynamodbstreams-2012-08-10", target prefix "DynamoDBStreams_20120810", JSON 1.0, DynamoDB's
// error namespaces and validation wording, x-amz-crc32 (facts/dynamodb-streams §1). The streams
// themselves (TableStreams) are shared with the DynamoDB service, whose write path records into
// them.
#pragma once

#include "dynamodb/front_end.h"
#include "dynamodb_streams/context.h"

namespace trib::dynamodb_streams {

class DynamoDbStreamsService final : public dynamodb::DynamoDbFrontEnd {
 public:
  DynamoDbStreamsService(TableStreams& streams, const TokenSealer& sealer,
                         aws::ValidationStyle::Wording wording);

  std::string_view target_prefix() const override { return "DynamoDBStreams_20120810"; }
  const model::ServiceModel& model() const override { return model_; }
  bool implements(std::string_view operation) const override;
  aws::AwsResult<aws::Value> invoke(const model::Operation& operation,
                                    const aws::RequestContext& request,
                                    const aws::Value& input) override;
  const aws::ValidationStyle* validation_style() const override { return &validation_style_; }
  // Trims records past retention and purges streams 24 h after their disable.
  void run_lifecycle(int64_t now_ms) override { streams_.run_lifecycle(now_ms); }

 private:
  const model::ServiceModel& model_;
  TableStreams& streams_;
  aws::ValidationStyle validation_style_;
  StreamsContext context_;
};

}  // namespace trib::dynamodb_streams
