// The DynamoDB operations Tributary serves: one line each, AWS's name and the function in
// ops/<function>.cc. The only registration point (operations.h declares from it, operations.cc
// builds the dispatch table from it).
#pragma once

#define TRIB_DYNAMODB_OPERATIONS(X)                                              \
  X(BatchExecuteStatement, batch_execute_statement)                              \
  X(BatchGetItem, batch_get_item)                                                \
  X(BatchWriteItem, batch_write_item)                                            \
  X(CreateTable, create_table)                                                   \
  X(DeleteItem, delete_item)                                                     \
  X(DeleteResourcePolicy, delete_resource_policy)                                \
  X(DeleteTable, delete_table)                                                   \
  X(DescribeContinuousBackups, describe_continuous_backups)                      \
  X(DescribeContributorInsights, describe_contributor_insights)                  \
  X(DescribeEndpoints, describe_endpoints)                                       \
  X(DescribeKinesisStreamingDestination, describe_kinesis_streaming_destination) \
  X(DescribeLimits, describe_limits)                                             \
  X(DescribeTable, describe_table)                                               \
  X(DescribeTimeToLive, describe_time_to_live)                                   \
  X(DisableKinesisStreamingDestination, disable_kinesis_streaming_destination)   \
  X(EnableKinesisStreamingDestination, enable_kinesis_streaming_destination)     \
  X(ExecuteStatement, execute_statement)                                         \
  X(ExecuteTransaction, execute_transaction)                                     \
  X(GetItem, get_item)                                                           \
  X(GetResourcePolicy, get_resource_policy)                                      \
  X(ListContributorInsights, list_contributor_insights)                          \
  X(ListTables, list_tables)                                                     \
  X(ListTagsOfResource, list_tags_of_resource)                                   \
  X(PutItem, put_item)                                                           \
  X(PutResourcePolicy, put_resource_policy)                                      \
  X(Query, query)                                                                \
  X(Scan, scan)                                                                  \
  X(TagResource, tag_resource)                                                   \
  X(TransactGetItems, transact_get_items)                                        \
  X(TransactWriteItems, transact_write_items)                                    \
  X(UntagResource, untag_resource)                                               \
  X(UpdateContinuousBackups, update_continuous_backups)                          \
  X(UpdateContributorInsights, update_contributor_insights)                      \
  X(UpdateItem, update_item)                                                     \
  X(UpdateKinesisStreamingDestination, update_kinesis_streaming_destination)     \
  X(UpdateTable, update_table)                                                   \
  X(UpdateTimeToLive, update_time_to_live)
