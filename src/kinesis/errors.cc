#include "kinesis/errors.h"

#include <fmt/format.h>

#include "kinesis/shard_iterator.h"
#include "kinesis/stream.h"

namespace trib::kinesis::errors {

using aws::AwsError;

AwsError stream_not_found(std::string_view name, std::string_view account) {
  return AwsError::client("ResourceNotFoundException",
                          fmt::format("Stream {} under account {} not found.", name, account));
}

AwsError stream_already_exists(std::string_view name, std::string_view account) {
  return AwsError::client("ResourceInUseException",
                          fmt::format("Stream {} under account {} already exists.", name, account));
}

AwsError stream_not_active(std::string_view name, std::string_view account,
                           std::string_view status) {
  return AwsError::client("ResourceInUseException",
                          fmt::format("Stream {} under account {} not ACTIVE, instead in state {}",
                                      name, account, status));
}

AwsError shard_limit_exceeded(std::string_view account, std::string_view region, int64_t current,
                              int64_t limit, int64_t requested) {
  return AwsError::client(
      "LimitExceededException",
      fmt::format(
          "This request would exceed the shard limit for the account {} in {}. Current shard "
          "count for the account: {}. Limit: {}. Number of additional shards that would have "
          "resulted from this request: {}. Refer to the AWS Service Limits page "
          "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current "
          "limits and how to request higher limits.",
          account, region, current, limit, requested));
}

AwsError shard_not_found(std::string_view shard_id, std::string_view stream,
                         std::string_view account) {
  // AWS reads the id as a number and names the shard in its own padded form.
  if (const auto index = parse_shard_id_leniently(shard_id)) {
    return AwsError::client("ResourceNotFoundException",
                            fmt::format("Shard {} in stream {} under account {} does not exist",
                                        shard_id_for(*index), stream, account));
  }
  return AwsError::client("ResourceNotFoundException",
                          fmt::format("Could not find shard {} in stream {} under account {}.",
                                      shard_id, stream, account));
}

AwsError expired_iterator(int64_t created_ms, int64_t now_ms) {
  return AwsError::client(
      "ExpiredIteratorException",
      fmt::format(
          "Iterator expired. The iterator was created at time {} while right now it is {} which is "
          "further in the future than the tolerated delay of 300000 milliseconds.",
          java_date(created_ms), java_date(now_ms)));
}

AwsError invalid_shard_iterator() {
  return AwsError::client("InvalidArgumentException", "Invalid ShardIterator.");
}

AwsError invalid_argument(std::string message) {
  return AwsError::client("InvalidArgumentException", std::move(message));
}

AwsError resource_in_use(std::string message) {
  return AwsError::client("ResourceInUseException", std::move(message));
}

AwsError limit_exceeded(std::string message) {
  return AwsError::client("LimitExceededException", std::move(message));
}

AwsError expired_next_token(std::string message) {
  return AwsError::client("ExpiredNextTokenException", std::move(message));
}

AwsError tag_problem(TagTextProblem problem, std::string_view verb_phrase, std::string_view stream,
                     std::string_view account) {
  if (problem == TagTextProblem::kPercent) {
    return AwsError::client(
        "InvalidArgumentException",
        fmt::format("Failed to {} stream {} under account {} because some tags contained illegal "
                    "characters. The allowed characters are Unicode letters, white-spaces, "
                    "'_',',','/','=','+','-','@'.",
                    verb_phrase, stream, account));
  }
  return AwsError::client("InvalidArgumentException",
                          "Some tags contain invalid characters. Valid characters: Unicode "
                          "letters, digits, white space, _ . / = + - % @.");
}

// AWS's recorded text (issue 9; mhart/kinesalite test/addTagsToStream.js). Its "10" is stale:
// the same recording accepted 45 tags, and the limit is 50.
AwsError too_many_tags(std::string_view stream, std::string_view account) {
  return AwsError::client(
      "InvalidArgumentException",
      fmt::format("Failed to add tags to stream {} under account {} because a given stream cannot "
                  "have more than 10 tags associated with it.",
                  stream, account));
}

AwsError invalid_resource_arn(std::string_view arn) {
  return AwsError::client("InvalidArgumentException",
                          fmt::format("ResourceARN {} is invalid.", arn));
}

AwsError encryption_type_not_kms() {
  return AwsError::client("InvalidArgumentException",
                          "KMS is the only valid EncryptionType for this request.");
}

AwsError malformed_key_arn() {
  return AwsError::client("InvalidArgumentException",
                          "Received KeyId ARN is not a properly formatted ARN");
}

AwsError malformed_key_id() {
  return AwsError::client("InvalidArgumentException",
                          "Received KeyId is not a properly formatted Alias or GUID");
}

AwsError malformed_policy() {
  return AwsError::client("InvalidArgumentException",
                          "The resource policy is not a valid JSON policy document.");
}

AwsError on_demand_stream_limit_exceeded(std::string_view account, std::string_view region,
                                         int64_t current, int64_t limit) {
  return AwsError::client(
      "LimitExceededException",
      fmt::format("This request would exceed the on-demand stream limit for the account {} in {}. "
                  "Current on-demand stream count for the account: {}. Limit: {}.",
                  account, region, current, limit));
}

AwsError warm_throughput_needs_on_demand(std::string_view stream) {
  return AwsError::client(
      "InvalidArgumentException",
      fmt::format("Warm throughput can only be configured for ON_DEMAND streams; stream {} is "
                  "PROVISIONED.",
                  stream));
}

AwsError reshard_shard_not_found(std::string_view shard_id, std::string_view stream,
                                 std::string_view account) {
  return AwsError::client("ResourceNotFoundException",
                          fmt::format("Could not find shard {} in stream {} under account {}.",
                                      shard_id, stream, account));
}

AwsError split_hash_key_outside_shard(std::string_view new_starting_hash_key, const Shard& shard,
                                      std::string_view stream, std::string_view account) {
  return invalid_argument(fmt::format(
      "NewStartingHashKey {} used in SplitShard() on shard {} in stream {} under account {} is not "
      "both greater than one plus the shard's StartingHashKey {} and less than the shard's "
      "EndingHashKey {}.",
      new_starting_hash_key, shard.shard_id(), stream, account,
      streams::to_decimal(shard.hash_range.starting_hash_key),
      streams::to_decimal(shard.hash_range.ending_hash_key)));
}

AwsError shards_not_adjacent(std::string_view shard, std::string_view adjacent_shard,
                             std::string_view stream, std::string_view account) {
  return invalid_argument(fmt::format(
      "Shards {} and {} in stream {} under account {} are not an adjacent pair of shards eligible "
      "for merging",
      shard, adjacent_shard, stream, account));
}

AwsError shard_already_closed(std::string_view shard_id, std::string_view stream,
                              std::string_view account, std::string_view action) {
  return invalid_argument(fmt::format(
      "Shard {} in stream {} under account {} has already been merged or split, and thus is not "
      "eligible for {}.",
      shard_id, stream, account, action));
}

AwsError shard_count_over_double(int64_t current, int64_t target) {
  return invalid_argument(fmt::format(
      "UpdateShardCount cannot scale up over double your current open shard count. Current open "
      "shard count: {} Target shard count: {}",
      current, target));
}

AwsError shard_count_below_half(int64_t current, int64_t target) {
  return invalid_argument(fmt::format(
      "UpdateShardCount cannot scale down below half your current open shard count. Current open "
      "shard count: {} Target shard count: {}",
      current, target));
}

AwsError shard_count_over_stream_limit(std::string_view stream, int64_t target, int64_t limit) {
  return limit_exceeded(fmt::format(
      "UpdateShardCount cannot scale stream {} to {} shards: a stream can have at most {} open "
      "shards.",
      stream, target, limit));
}

AwsError too_many_shard_count_updates(std::string_view stream, std::string_view account,
                                      int64_t limit) {
  return limit_exceeded(fmt::format(
      "UpdateShardCount has already been called {} times on stream {} under account {} in the "
      "last 24 hours.",
      limit, stream, account));
}

AwsError reshard_on_demand(std::string_view operation, std::string_view stream) {
  return invalid_argument(
      fmt::format("{} is not supported for stream {} in ON_DEMAND mode.", operation, stream));
}

}  // namespace trib::kinesis::errors
