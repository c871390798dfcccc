// Which consumer a request names (ConsumerARN, or StreamARN + ConsumerName) and the output
// pieces shared by the consumer operations.
#pragma once

#include <string_view>

#include "aws/error.h"
#include "aws/service.h"
#include "kinesis/consumers/registry.h"
#include "kinesis/context.h"
#include "kinesis/stream_catalog.h"

namespace trib::kinesis {

struct ConsumerLookup {
  StreamCatalog::StreamPtr stream;
  ConsumerRegistry::ConsumerPtr consumer;
};

// The consumer a ConsumerARN names: its stream incarnation must be live and the consumer's
// creation second must be the ARN's (an ARN of a deregistered consumer never names a newer one
// of the same name). ResourceNotFoundException otherwise; InvalidArgumentException when the
// text is not a consumer ARN.
aws::AwsResult<ConsumerLookup> find_consumer_by_arn(const KinesisContext& ctx,
                                                    const aws::RequestContext& request,
                                                    std::string_view consumer_arn);

// DeregisterStreamConsumer / DescribeStreamConsumer addressing: ConsumerARN, or StreamARN +
// ConsumerName, or all three when they agree.
aws::AwsResult<ConsumerLookup> find_named_consumer(const KinesisContext& ctx,
                                                   const aws::RequestContext& request,
                                                   const aws::Value& input);

// {ConsumerName, ConsumerARN, ConsumerStatus, ConsumerCreationTimestamp} (+ StreamARN for
// DescribeStreamConsumer's ConsumerDescription).
aws::Value consumer_value(const Consumer& consumer, int64_t now_ms, bool with_stream_arn);

// Tagging a consumer (TagResource / UntagResource / ListTagsForResource with a consumer ARN):
// the stream rules (AWS's characters, '%' refused with its own text, 50 tags), checked after
// the consumer is found. A DELETING consumer is refused with ResourceInUseException.
aws::AwsResult<Ok> add_consumer_tags(KinesisContext& ctx, const aws::RequestContext& request,
                                     const Consumer& consumer, const aws::ValueMap& tags);
aws::AwsResult<Ok> remove_consumer_tags(KinesisContext& ctx, const aws::RequestContext& request,
                                        const Consumer& consumer, const aws::ValueList& keys);
// [{Key, Value}] in key order.
aws::Value consumer_tags_value(const Consumer& consumer);

}  // namespace trib::kinesis
