// What a ResourceARN names, for the operations that take one (TagResource, UntagResource,
// ListTagsForResource, Put/Get/DeleteResourcePolicy): a stream, or a consumer with its stream.
#pragma once

#include <optional>
#include <string_view>

#include "kinesis/consumers/ref.h"
#include "kinesis/context.h"

namespace trib::kinesis {

struct ResourceTarget {
  StreamKey stream;                        // the stream, or the consumer's stream
  std::optional<ConsumerLookup> consumer;  // set for a consumer ARN
};

// A consumer ARN that names no live consumer is ResourceNotFoundException; anything that is
// not a Kinesis stream or consumer ARN is InvalidArgumentException.
aws::AwsResult<ResourceTarget> resolve_resource(const KinesisContext& ctx,
                                                const aws::RequestContext& request,
                                                std::string_view resource_arn);

}  // namespace trib::kinesis
