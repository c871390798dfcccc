// The DynamoDB operations Tributary serves: one line each, AWS's name and the function in
// ops/<function>.cc. The only registration point (operations.h declares from it, operations.cc
// builds the dispatch table from it).
#pragma once

#define TRIB_DYNAMODB_OPERATIONS(X)                         \
  X(BatchGetItem, batch_get_item)                           \
  X(BatchWriteItem, batch_write_item)                       \
  X(CreateTable, create_table)                              \
  X(DeleteItem, delete_item)                                \
  X(DeleteTable, delete_table)                              \
  X(DescribeContinuousBackups, describe_continuous_backups) \
  X(DescribeEndpoints, describe_endpoints)                  \
  X(DescribeLimits, describe_limits)                        \
  X(DescribeKinesisStreamingDestination, describe_kinesis_streaming_destination) \
  X(DescribeTable, describe_table)                          \
  X(DisableKinesisStreamingDestination, disable_kinesis_streaming_destination) \
  X(EnableKinesisStreamingDestination, enable_kinesis_streaming_destination) \
  X(GetItem, get_item)                                      \
  X(ListTables, list_tables)                                \
  X(ListTagsOfResource, list_tags_of_resource)              \
  X(PutItem, put_item)                                      \
  X(Query, query)                                          \
  X(Scan, scan)                                            \
  X(TagResource, tag_resource)                              \
  X(UntagResource, untag_resource)                          \
  X(UpdateContinuousBackups, update_continuous_backups)     \
  X(UpdateItem, update_item)                                \
  X(UpdateKinesisStreamingDestination, update_kinesis_streaming_destination) \
  X(UpdateTable, update_table)
