// The DynamoDB Streams operations: one line each, AWS's name and the function in
// ops/<function>.cc. The only registration point. All four of the pinned model
// (dynamodbstreams-2012-08-10) are served.
#pragma once

#define TRIB_DYNAMODB_STREAMS_OPERATIONS(X) \
  X(DescribeStream, describe_stream)        \
  X(GetRecords, get_records)                \
  X(GetShardIterator, get_shard_iterator)   \
  X(ListStreams, list_streams)
