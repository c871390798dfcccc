// The Kinesis operations Tributary serves: one line each, AWS's name and the function in
// ops/<function>.cc. This list is the only registration point: operations.h declares every
// function from it and operations.cc builds the dispatch table from it. Adding an operation is
// its file plus one line here.
#pragma once

#define TRIB_KINESIS_OPERATIONS(X)                                   \
  X(AddTagsToStream, add_tags_to_stream)                             \
  X(CreateStream, create_stream)                                     \
  X(DecreaseStreamRetentionPeriod, decrease_stream_retention_period) \
  X(DeleteResourcePolicy, delete_resource_policy)                    \
  X(DeleteStream, delete_stream)                                     \
  X(DeregisterStreamConsumer, deregister_stream_consumer)            \
  X(DescribeAccountSettings, describe_account_settings)              \
  X(DescribeLimits, describe_limits)                                 \
  X(DescribeStream, describe_stream)                                 \
  X(DescribeStreamConsumer, describe_stream_consumer)                \
  X(DescribeStreamSummary, describe_stream_summary)                  \
  X(DisableEnhancedMonitoring, disable_enhanced_monitoring)          \
  X(EnableEnhancedMonitoring, enable_enhanced_monitoring)            \
  X(GetRecords, get_records)                                         \
  X(GetResourcePolicy, get_resource_policy)                          \
  X(GetShardIterator, get_shard_iterator)                            \
  X(IncreaseStreamRetentionPeriod, increase_stream_retention_period) \
  X(ListShards, list_shards)                                         \
  X(ListStreamConsumers, list_stream_consumers)                      \
  X(ListStreams, list_streams)                                       \
  X(ListTagsForResource, list_tags_for_resource)                     \
  X(ListTagsForStream, list_tags_for_stream)                         \
  X(MergeShards, merge_shards)                                       \
  X(PutRecord, put_record)                                           \
  X(PutRecords, put_records)                                         \
  X(PutResourcePolicy, put_resource_policy)                          \
  X(RegisterStreamConsumer, register_stream_consumer)                \
  X(RemoveTagsFromStream, remove_tags_from_stream)                   \
  X(SplitShard, split_shard)                                         \
  X(StartStreamEncryption, start_stream_encryption)                  \
  X(StopStreamEncryption, stop_stream_encryption)                    \
  X(SubscribeToShard, subscribe_to_shard)                            \
  X(TagResource, tag_resource)                                       \
  X(UntagResource, untag_resource)                                   \
  X(UpdateAccountSettings, update_account_settings)                  \
  X(UpdateMaxRecordSize, update_max_record_size)                     \
  X(UpdateShardCount, update_shard_count)                            \
  X(UpdateStreamMode, update_stream_mode)                            \
  X(UpdateStreamWarmThroughput, update_stream_warm_throughput)
