// Every Kinesis error name and message text, in one place.
#pragma once

#include <string>
#include <string_view>

#include "aws/error.h"
#include "kinesis/stream.h"

namespace trib::kinesis::errors {

aws::AwsError stream_not_found(std::string_view name, std::string_view account);
aws::AwsError stream_already_exists(std::string_view name, std::string_view account);
aws::AwsError stream_not_active(std::string_view name, std::string_view account,
                                std::string_view status);
aws::AwsError shard_limit_exceeded(std::string_view account, std::string_view region,
                                   int64_t current, int64_t limit, int64_t requested);
// "Shard shardId-000000000005 in stream ... does not exist" for a well-formed id, and AWS's
// other text for an id it cannot parse.
aws::AwsError shard_not_found(std::string_view shard_id, std::string_view stream,
                              std::string_view account);
aws::AwsError expired_iterator(int64_t created_ms, int64_t now_ms);
aws::AwsError invalid_shard_iterator();
aws::AwsError invalid_argument(std::string message);
aws::AwsError resource_in_use(std::string message);
aws::AwsError limit_exceeded(std::string message);
aws::AwsError expired_next_token(std::string message);

// Tagging (AddTagsToStream, RemoveTagsFromStream, TagResource, UntagResource).
// `verb_phrase` is "add tags to" or "remove tags from".
aws::AwsError tag_problem(TagTextProblem problem, std::string_view verb_phrase,
                          std::string_view stream, std::string_view account);
// More than kMaxTagsPerStream (50) tags; AWS's text says 10 all the same.
aws::AwsError too_many_tags(std::string_view stream, std::string_view account);
// A ResourceARN that names no Kinesis stream or consumer.
aws::AwsError invalid_resource_arn(std::string_view arn);

// StartStreamEncryption / StopStreamEncryption.
aws::AwsError encryption_type_not_kms();
aws::AwsError malformed_key_arn();
aws::AwsError malformed_key_id();

// PutResourcePolicy with a document that is not a JSON object.
aws::AwsError malformed_policy();

// CreateStream / UpdateStreamMode beyond --on-demand-stream-limit.
aws::AwsError on_demand_stream_limit_exceeded(std::string_view account, std::string_view region,
                                              int64_t current, int64_t limit);
// Resharding (SplitShard, MergeShards, UpdateShardCount).
// "Could not find shard X in stream S under account A." (captured for both split and merge).
aws::AwsError reshard_shard_not_found(std::string_view shard_id, std::string_view stream,
                                      std::string_view account);
aws::AwsError split_hash_key_outside_shard(std::string_view new_starting_hash_key,
                                           const Shard& shard, std::string_view stream,
                                           std::string_view account);
aws::AwsError shards_not_adjacent(std::string_view shard, std::string_view adjacent_shard,
                                  std::string_view stream, std::string_view account);
// A closed shard named in SplitShard ("splitting") or MergeShards ("merging").
aws::AwsError shard_already_closed(std::string_view shard_id, std::string_view stream,
                                   std::string_view account, std::string_view action);
aws::AwsError shard_count_over_double(int64_t current, int64_t target);
aws::AwsError shard_count_below_half(int64_t current, int64_t target);
aws::AwsError shard_count_over_stream_limit(std::string_view stream, int64_t target, int64_t limit);
aws::AwsError too_many_shard_count_updates(std::string_view stream, std::string_view account,
                                           int64_t limit);
aws::AwsError reshard_on_demand(std::string_view operation, std::string_view stream);

// UpdateStreamWarmThroughput on a PROVISIONED stream.
aws::AwsError warm_throughput_needs_on_demand(std::string_view stream);

}  // namespace trib::kinesis::errors
