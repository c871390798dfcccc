// Error texts of the enhanced fan-out operations (consumers and SubscribeToShard). Where AWS's
// own text is known it is reproduced (the source is named next to it in consumer_errors.cc);
// the others are Tributary's own wording in AWS's style.
#pragma once

#include <cstdint>
#include <string_view>

#include "aws/error.h"
#include "kinesis/consumers/registry.h"

namespace trib::kinesis::consumer_errors {

// ResourceNotFoundException for a ConsumerARN that names no consumer.
aws::AwsError not_found_by_arn(std::string_view consumer_arn);
// ResourceNotFoundException for StreamARN + ConsumerName that name no consumer.
aws::AwsError not_found_by_name(std::string_view consumer_name, const StreamKey& stream);
// ResourceInUseException: RegisterStreamConsumer with a name already registered.
aws::AwsError already_exists(std::string_view consumer_name, const StreamKey& stream);
// LimitExceededException: --consumer-limit consumers already registered with the stream.
aws::AwsError too_many_consumers(const StreamKey& stream, int64_t limit);
// LimitExceededException: AWS lets at most 5 consumers of a stream be CREATING at once.
aws::AwsError too_many_creating(const StreamKey& stream, int64_t limit);
// InvalidArgumentException: neither ConsumerARN nor StreamARN + ConsumerName.
aws::AwsError consumer_not_named();
// InvalidArgumentException: ConsumerARN and StreamARN/ConsumerName name different consumers.
aws::AwsError consumer_names_disagree(std::string_view consumer_arn, std::string_view stream_arn,
                                      std::string_view consumer_name);
// ResourceInUseException: SubscribeToShard for a consumer that is not ACTIVE.
aws::AwsError not_active_for_subscribe(const Consumer& consumer);
// ResourceInUseException: a resource policy change on a consumer that is not ACTIVE.
aws::AwsError not_active(const Consumer& consumer);
// ResourceInUseException: DeleteStream of a stream with consumers, without
// EnforceConsumerDeletion.
aws::AwsError stream_has_consumers(const StreamKey& stream);
// ResourceInUseException: SubscribeToShard again within 5 s for the same consumer and shard.
aws::AwsError subscription_exists(const Consumer& consumer, std::string_view shard_id);
// ResourceInUseException sent (as an exception event) to a subscription another one took over.
aws::AwsError subscription_taken_over(const Consumer& consumer, std::string_view shard_id);
// InvalidArgumentException: ListStreamConsumers with both NextToken and StreamCreationTimestamp.
aws::AwsError next_token_with_creation_timestamp();
// Tags on a consumer: '%' (its own text), too many.
aws::AwsError tag_percent(std::string_view verb_phrase, const Consumer& consumer);
aws::AwsError too_many_tags(const Consumer& consumer, size_t limit);

}  // namespace trib::kinesis::consumer_errors
