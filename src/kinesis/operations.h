// Every Kinesis operation Tributary serves: one function per AWS operation, each in its own
// file under ops/ (PutRecords -> ops/put_records.cc), registered once in operations.cc.
#pragma once

#include <map>
#include <string_view>

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
}  // namespace ops

// Shared by the operations that take a ResourceARN (TagResource, PutResourcePolicy, ...): the
// stream it names. A consumer ARN fails with ResourceNotFoundException (consumers are not
// served yet); anything else with InvalidArgumentException.
aws::AwsResult<StreamKey> resolve_resource_stream(const StreamCatalog& catalog,
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
