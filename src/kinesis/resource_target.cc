#include "kinesis/resource_target.h"

#include "kinesis/errors.h"

namespace trib::kinesis {

aws::AwsResult<ResourceTarget> resolve_resource(const KinesisContext& ctx,
                                                const aws::RequestContext& request,
                                                std::string_view resource_arn) {
  auto resource = parse_resource_arn(resource_arn);
  if (!resource) return aws::fail(errors::invalid_resource_arn(resource_arn));
  ResourceTarget target;
  target.stream = resource->stream;
  if (resource->consumer_name) {
    if (!parse_consumer_arn(resource_arn)) {
      return aws::fail(errors::invalid_resource_arn(resource_arn));
    }
    auto found = find_consumer_by_arn(ctx, request, resource_arn);
    if (!found) return aws::fail(std::move(found.error()));
    target.consumer = std::move(found.value());
  }
  return target;
}

}  // namespace trib::kinesis
