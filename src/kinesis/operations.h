// Every Kinesis operation Tributary serves: one function per AWS operation, each in its own
// file under ops/ (PutRecords -> ops/put_records.cc), registered once in operations.cc.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string_view>

#include "kinesis/consumer_ref.h"
#include "kinesis/context.h"

namespace trib::kinesis {

namespace ops {
Output create_stream(KinesisContext&, const aws::RequestContext&, const Input&);
Output delete_stream(KinesisContext&, const aws::RequestContext&, const Input&);
Output describe_stream(KinesisContext&, const aws::RequestContext&, const Input&);
Output merge_shards(KinesisContext&, const aws::RequestContext&, const Input&);
Output split_shard(KinesisContext&, const aws::RequestContext&, const Input&);
Output update_shard_count(KinesisContext&, const aws::RequestContext&, const Input&);
Output describe_stream_summary(KinesisContext&, const aws::RequestContext&, const Input&);
Output list_streams(KinesisContext&, const aws::RequestContext&, const Input&);
Output list_shards(KinesisContext&, const aws::RequestContext&, const Input&);
Output list_tags_for_stream(KinesisContext&, const aws::RequestContext&, const Input&);
Output put_record(KinesisContext&, const aws::RequestContext&, const Input&);
Output put_records(KinesisContext&, const aws::RequestContext&, const Input&);
Output get_shard_iterator(KinesisContext&, const aws::RequestContext&, const Input&);
Output get_records(KinesisContext&, const aws::RequestContext&, const Input&);
Output increase_stream_retention_period(KinesisContext&, const aws::RequestContext&, const Input&);
Output decrease_stream_retention_period(KinesisContext&, const aws::RequestContext&, const Input&);
Output add_tags_to_stream(KinesisContext&, const aws::RequestContext&, const Input&);
Output remove_tags_from_stream(KinesisContext&, const aws::RequestContext&, const Input&);
Output tag_resource(KinesisContext&, const aws::RequestContext&, const Input&);
Output untag_resource(KinesisContext&, const aws::RequestContext&, const Input&);
Output list_tags_for_resource(KinesisContext&, const aws::RequestContext&, const Input&);
Output start_stream_encryption(KinesisContext&, const aws::RequestContext&, const Input&);
Output stop_stream_encryption(KinesisContext&, const aws::RequestContext&, const Input&);
Output enable_enhanced_monitoring(KinesisContext&, const aws::RequestContext&, const Input&);
Output disable_enhanced_monitoring(KinesisContext&, const aws::RequestContext&, const Input&);
Output put_resource_policy(KinesisContext&, const aws::RequestContext&, const Input&);
Output get_resource_policy(KinesisContext&, const aws::RequestContext&, const Input&);
Output delete_resource_policy(KinesisContext&, const aws::RequestContext&, const Input&);
Output update_max_record_size(KinesisContext&, const aws::RequestContext&, const Input&);
Output update_stream_warm_throughput(KinesisContext&, const aws::RequestContext&, const Input&);
Output update_stream_mode(KinesisContext&, const aws::RequestContext&, const Input&);
Output describe_limits(KinesisContext&, const aws::RequestContext&, const Input&);
Output describe_account_settings(KinesisContext&, const aws::RequestContext&, const Input&);
Output update_account_settings(KinesisContext&, const aws::RequestContext&, const Input&);
Output register_stream_consumer(KinesisContext&, const aws::RequestContext&, const Input&);
Output deregister_stream_consumer(KinesisContext&, const aws::RequestContext&, const Input&);
Output describe_stream_consumer(KinesisContext&, const aws::RequestContext&, const Input&);
Output list_stream_consumers(KinesisContext&, const aws::RequestContext&, const Input&);
// SubscribeToShard answers with an event stream: the pipeline calls subscribe_to_shard_stream
// (through KinesisService::invoke_streaming); the table entry only marks it implemented.
Output subscribe_to_shard(KinesisContext&, const aws::RequestContext&, const Input&);
aws::AwsResult<std::shared_ptr<aws::StreamingBody>> subscribe_to_shard_stream(
    KinesisContext&, const aws::RequestContext&, const Input&, std::string_view content_type);
}  // namespace ops

// Shared by the operations that take a ResourceARN (TagResource, PutResourcePolicy, ...): the
// stream it names, or the consumer (with its stream). A consumer ARN that names no live
// consumer is ResourceNotFoundException; anything that is not a Kinesis stream or consumer ARN
// is InvalidArgumentException.
struct ResourceTarget {
  StreamKey stream;                        // the stream, or the consumer's stream
  std::optional<ConsumerLookup> consumer;  // set for a consumer ARN
};
aws::AwsResult<ResourceTarget> resolve_resource(const KinesisContext& ctx,
                                                const aws::RequestContext& request,
                                                std::string_view resource_arn);

// Output pieces shared by several operations.
// WarmThroughput {TargetMiBps, CurrentMiBps} (CurrentMiBps is the previous target while UPDATING).
aws::Value warm_throughput(const Stream& stream, int64_t now_ms);
// MinimumThroughputBillingCommitment {Status, StartedAt, EndedAt, EarliestAllowedEndAt}.
aws::Value billing_commitment(const AccountSettings& settings);

// Operation name -> handler. The only registration point.
const std::map<std::string_view, OperationHandler>& operation_table();

// Operations of the pinned model not served yet, each with the reason (mirrors
// docs/compatibility.md; a unit test checks the model is covered by the two lists).
const std::map<std::string_view, std::string_view>& unsupported_operations();

}  // namespace trib::kinesis
