// PutResourcePolicy: stores a resource-based policy on the stream a ResourceARN names, replacing
// any earlier one. The document must be a JSON object; it is kept as given and never enforced
// (Tributary does not authorize requests).
// Differences from AWS: AWS also checks the policy's grammar (principals, actions, resources);
// Tributary checks only that it is a JSON object, with a text of its own. Consumer ARNs are
// answered ResourceNotFoundException until consumers are served.
#include <simdjson.h>

#include "kinesis/errors.h"
#include "kinesis/operations.h"

namespace trib::kinesis::ops {

Output put_resource_policy(KinesisContext& ctx, const aws::RequestContext& request,
                           const Input& input) {
  auto key = resolve_resource_stream(ctx.catalog, request, *input.string_member("ResourceARN"));
  if (!key) return aws::fail(std::move(key.error()));
  const std::string& policy = *input.string_member("Policy");
  auto updated =
      ctx.catalog.update(*key, request.now_ms, [&](Stream& stream) -> aws::AwsResult<Ok> {
        simdjson::dom::parser parser;
        simdjson::dom::element document;
        if (parser.parse(policy).get(document) || !document.is_object()) {
          return aws::fail(errors::malformed_policy());
        }
        stream.resource_policy = policy;
        return Ok{};
      });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::kinesis::ops
