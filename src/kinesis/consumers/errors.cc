#include "kinesis/consumers/errors.h"

#include <fmt/format.h>

namespace trib::kinesis::consumer_errors {

using aws::AwsError;

// Text ours (in the style of "Stream X under account A not found.").
AwsError not_found_by_arn(std::string_view consumer_arn) {
  return AwsError::client("ResourceNotFoundException",
                          fmt::format("Consumer {} not found.", consumer_arn));
}

// Text ours.
AwsError not_found_by_name(std::string_view consumer_name, const StreamKey& stream) {
  return AwsError::client("ResourceNotFoundException",
                          fmt::format("Consumer {} under stream {} under account {} not found.",
                                      consumer_name, stream.name, stream.account));
}

// Text ours.
AwsError already_exists(std::string_view consumer_name, const StreamKey& stream) {
  return AwsError::client(
      "ResourceInUseException",
      fmt::format("Consumer {} under stream {} under account {} already exists.", consumer_name,
                  stream.name, stream.account));
}

// Text ours.
AwsError too_many_consumers(const StreamKey& stream, int64_t limit) {
  return AwsError::client(
      "LimitExceededException",
      fmt::format("Stream {} under account {} already has {} registered consumers, the most a "
                  "stream can have.",
                  stream.name, stream.account, limit));
}

// Text ours; the rule is AWS's (RegisterStreamConsumer documentation).
AwsError too_many_creating(const StreamKey& stream, int64_t limit) {
  return AwsError::client(
      "LimitExceededException",
      fmt::format("Stream {} under account {} already has {} consumers in CREATING status; only "
                  "{} consumers can be created at the same time.",
                  stream.name, stream.account, limit, limit));
}

// Text ours.
AwsError consumer_not_named() {
  return AwsError::client(
      "InvalidArgumentException",
      "Either ConsumerARN or both StreamARN and ConsumerName must be provided.");
}

// Text ours (in the style of "StreamARN X and StreamName Y do not refer to the same stream.").
AwsError consumer_names_disagree(std::string_view consumer_arn, std::string_view stream_arn,
                                 std::string_view consumer_name) {
  std::string given;
  if (!stream_arn.empty()) given += fmt::format("StreamARN {}", stream_arn);
  if (!consumer_name.empty()) {
    given += fmt::format("{}ConsumerName {}", given.empty() ? "" : " and ", consumer_name);
  }
  return AwsError::client(
      "InvalidArgumentException",
      fmt::format("ConsumerARN {} and {} do not refer to the same consumer.", consumer_arn, given));
}

// AWS's text, as SubscribeToShard returned it (awslabs/kinesis-hot-shard-advisor#37).
AwsError not_active_for_subscribe(const Consumer& consumer) {
  return AwsError::client(
      "ResourceInUseException",
      fmt::format("Consumer {} with creation timestamp {} under stream: {} , account {} is not in "
                  "ACTIVE status.",
                  consumer.name, consumer.created_seconds(), consumer.stream.name,
                  consumer.stream.account));
}

// AWS's text, as a resource-policy call on a CREATING consumer returned it
// (aws-cloudformation/cloudformation-coverage-roadmap#2442).
AwsError not_active(const Consumer& consumer) {
  return AwsError::client(
      "ResourceInUseException",
      fmt::format("Consumer {} with creation timestamp {} under stream {} and account {} is not in "
                  "ACTIVE status.",
                  consumer.name, consumer.created_seconds(), consumer.stream.name,
                  consumer.stream.account));
}

// AWS's text (quoted in cloud-custodian/cloud-custodian#7260, with the ARN and name redacted
// there as {KINESIS_STREAM_ARN} and {KINESIS_STREAM_NAME}).
AwsError stream_has_consumers(const StreamKey& stream) {
  return AwsError::client(
      "ResourceInUseException",
      fmt::format("DeleteStream can't delete {} because there are consumers associated with this "
                  "data stream. To delete {} anyway, set the EnforceConsumerDeletion parameter to "
                  "true to force the deletion of all the consumers that are associated with it.",
                  stream_arn(stream), stream.name));
}

// AWS's text; the part after the colon as the Databricks knowledge base quotes it
// ("<consumer>:common-jobs:shardId-xxx:databricks_xxxxxx": account, stream, shard, consumer).
AwsError subscription_exists(const Consumer& consumer, std::string_view shard_id) {
  return AwsError::client(
      "ResourceInUseException",
      fmt::format("Another active subscription exists for this consumer: {}:{}:{}:{}",
                  consumer.stream.account, consumer.stream.name, shard_id, consumer.name));
}

// Text ours.
AwsError subscription_taken_over(const Consumer& consumer, std::string_view shard_id) {
  return AwsError::client(
      "ResourceInUseException",
      fmt::format("A newer subscription of consumer {} to {} took over from this one.",
                  consumer.arn(), shard_id));
}

// Text ours; the rule is AWS's (ListStreamConsumers documentation).
AwsError next_token_with_creation_timestamp() {
  return AwsError::client("InvalidArgumentException",
                          "NextToken and StreamCreationTimestamp cannot be provided together.");
}

// Text ours, after the stream version of the same check.
AwsError tag_percent(std::string_view verb_phrase, const Consumer& consumer) {
  return AwsError::client(
      "InvalidArgumentException",
      fmt::format("Failed to {} consumer {} because some tags contained illegal characters. The "
                  "allowed characters are Unicode letters, white-spaces, "
                  "'_',',','/','=','+','-','@'.",
                  verb_phrase, consumer.arn()));
}

// Text ours, after the stream version of the same check.
AwsError too_many_tags(const Consumer& consumer, size_t limit) {
  return AwsError::client(
      "InvalidArgumentException",
      fmt::format("Failed to add tags to consumer {} because a given consumer cannot have more "
                  "than {} tags associated with it.",
                  consumer.arn(), limit));
}

}  // namespace trib::kinesis::consumer_errors
