#include "kinesis/operations.h"

namespace trib::kinesis {

const std::map<std::string_view, OperationHandler>& operation_table() {
  static const std::map<std::string_view, OperationHandler> table = {
      {"CreateStream", &ops::create_stream},
      {"DecreaseStreamRetentionPeriod", &ops::decrease_stream_retention_period},
      {"DeleteStream", &ops::delete_stream},
      {"DescribeStream", &ops::describe_stream},
      {"DescribeStreamSummary", &ops::describe_stream_summary},
      {"GetRecords", &ops::get_records},
      {"GetShardIterator", &ops::get_shard_iterator},
      {"IncreaseStreamRetentionPeriod", &ops::increase_stream_retention_period},
      {"ListShards", &ops::list_shards},
      {"ListStreams", &ops::list_streams},
      {"ListTagsForStream", &ops::list_tags_for_stream},
      {"PutRecord", &ops::put_record},
      {"PutRecords", &ops::put_records},
  };
  return table;
}

const std::map<std::string_view, std::string_view>& unsupported_operations() {
  static constexpr std::string_view kControl = "control plane: planned (issue 4)";
  static constexpr std::string_view kPush = "enhanced fan-out push: planned (issue 5)";
  static const std::map<std::string_view, std::string_view> table = {
      {"AddTagsToStream", kControl},
      {"DeleteResourcePolicy", kControl},
      {"DeregisterStreamConsumer", kControl},
      {"DescribeAccountSettings", kControl},
      {"DescribeLimits", kControl},
      {"DescribeStreamConsumer", kControl},
      {"DisableEnhancedMonitoring", kControl},
      {"EnableEnhancedMonitoring", kControl},
      {"GetResourcePolicy", kControl},
      {"ListStreamConsumers", kControl},
      {"ListTagsForResource", kControl},
      {"MergeShards", kControl},
      {"PutResourcePolicy", kControl},
      {"RegisterStreamConsumer", kControl},
      {"RemoveTagsFromStream", kControl},
      {"SplitShard", kControl},
      {"StartStreamEncryption", kControl},
      {"StopStreamEncryption", kControl},
      {"SubscribeToShard", kPush},
      {"TagResource", kControl},
      {"UntagResource", kControl},
      {"UpdateAccountSettings", kControl},
      {"UpdateMaxRecordSize", kControl},
      {"UpdateShardCount", kControl},
      {"UpdateStreamMode", kControl},
      {"UpdateStreamWarmThroughput", kControl},
  };
  return table;
}

}  // namespace trib::kinesis
