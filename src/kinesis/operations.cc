#include "kinesis/operations.h"

#include "kinesis/errors.h"

namespace trib::kinesis {

const std::map<std::string_view, OperationHandler>& operation_table() {
  static const std::map<std::string_view, OperationHandler> table = {
      {"AddTagsToStream", &ops::add_tags_to_stream},
      {"CreateStream", &ops::create_stream},
      {"DecreaseStreamRetentionPeriod", &ops::decrease_stream_retention_period},
      {"DeleteResourcePolicy", &ops::delete_resource_policy},
      {"DeleteStream", &ops::delete_stream},
      {"DeregisterStreamConsumer", &ops::deregister_stream_consumer},
      {"DescribeAccountSettings", &ops::describe_account_settings},
      {"DescribeLimits", &ops::describe_limits},
      {"DescribeStream", &ops::describe_stream},
      {"DescribeStreamConsumer", &ops::describe_stream_consumer},
      {"DescribeStreamSummary", &ops::describe_stream_summary},
      {"DisableEnhancedMonitoring", &ops::disable_enhanced_monitoring},
      {"EnableEnhancedMonitoring", &ops::enable_enhanced_monitoring},
      {"GetRecords", &ops::get_records},
      {"GetResourcePolicy", &ops::get_resource_policy},
      {"GetShardIterator", &ops::get_shard_iterator},
      {"IncreaseStreamRetentionPeriod", &ops::increase_stream_retention_period},
      {"ListShards", &ops::list_shards},
      {"ListStreamConsumers", &ops::list_stream_consumers},
      {"ListStreams", &ops::list_streams},
      {"ListTagsForResource", &ops::list_tags_for_resource},
      {"ListTagsForStream", &ops::list_tags_for_stream},
      {"MergeShards", &ops::merge_shards},
      {"PutRecord", &ops::put_record},
      {"PutRecords", &ops::put_records},
      {"PutResourcePolicy", &ops::put_resource_policy},
      {"RegisterStreamConsumer", &ops::register_stream_consumer},
      {"RemoveTagsFromStream", &ops::remove_tags_from_stream},
      {"SplitShard", &ops::split_shard},
      {"StartStreamEncryption", &ops::start_stream_encryption},
      {"StopStreamEncryption", &ops::stop_stream_encryption},
      {"SubscribeToShard", &ops::subscribe_to_shard},
      {"TagResource", &ops::tag_resource},
      {"UntagResource", &ops::untag_resource},
      {"UpdateAccountSettings", &ops::update_account_settings},
      {"UpdateMaxRecordSize", &ops::update_max_record_size},
      {"UpdateShardCount", &ops::update_shard_count},
      {"UpdateStreamMode", &ops::update_stream_mode},
      {"UpdateStreamWarmThroughput", &ops::update_stream_warm_throughput},
  };
  return table;
}

const std::map<std::string_view, std::string_view>& unsupported_operations() {
  // Every operation of the pinned model is served; an operation added by a newer model goes
  // here with its reason until it is.
  static const std::map<std::string_view, std::string_view> table = {};
  return table;
}

aws::AwsResult<ResourceTarget> resolve_resource(const KinesisContext& ctx,
                                                const aws::RequestContext& request,
                                                std::string_view resource_arn) {
  auto resource = parse_resource_arn(resource_arn);
  if (!resource) return aws::fail(errors::invalid_resource_arn(resource_arn));
  ResourceTarget target;
  target.stream = resource->stream;
  if (resource->consumer_name) {
    if (!parse_consumer_arn(resource_arn)) {
      return aws::fail(errors::invalid_resource_arn(resource_arn));
    }
    auto found = find_consumer_by_arn(ctx, request, resource_arn);
    if (!found) return aws::fail(std::move(found.error()));
    target.consumer = std::move(found.value());
  }
  return target;
}

aws::Value warm_throughput(const Stream& stream, int64_t now_ms) {
  const int64_t target = stream.warm_throughput_mibps.value_or(0);
  const bool updating = stream.status(now_ms) == StreamStatus::kUpdating;
  aws::Value out = aws::Value::map();
  out.set("TargetMiBps", target);
  out.set("CurrentMiBps",
          updating ? stream.previous_warm_throughput_mibps.value_or(target) : target);
  return out;
}

aws::Value billing_commitment(const AccountSettings& settings) {
  aws::Value out = aws::Value::map();
  out.set("Status", settings.commitment_status);
  if (settings.started_ms) out.set("StartedAt", aws::Timestamp{*settings.started_ms});
  if (settings.ended_ms) out.set("EndedAt", aws::Timestamp{*settings.ended_ms});
  if (settings.earliest_end_ms) {
    out.set("EarliestAllowedEndAt", aws::Timestamp{*settings.earliest_end_ms});
  }
  return out;
}

}  // namespace trib::kinesis
