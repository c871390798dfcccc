// GetResourcePolicy: the policy stored on a table and its RevisionId (ops/resource_policies.h).
// No policy: PolicyNotFoundException "Resource-based policy not found for the provided
// ResourceArn: <arn>" [V, ack-api-quirks DDB-TABLE-205; moto's AWS-verified tests]. A DELETING
// table still answers (DDB-TABLE-236).
// Differences: AWS answers the document in a canonical minified form and may serve the previous
// policy for 1-3 s after a change (eventual consistency); Tributary answers the document as it
// was put, at once.
#include "dynamodb/operations.h"
#include "dynamodb/ops/resource_policies.h"

namespace trib::dynamodb::ops {

Output get_resource_policy(DynamoDbContext& ctx, const aws::RequestContext& request,
                           const Input& input) {
  const std::string& arn = *input.string_member("ResourceArn");
  auto table = policy_table(ctx, request, arn);
  if (!table) return aws::fail(std::move(table.error()));
  if (!(*table)->resource_policy) return aws::fail(policy_not_found(arn));
  aws::Value out = aws::Value::map();
  out.set("Policy", *(*table)->resource_policy);
  out.set("RevisionId", (*table)->resource_policy_revision);
  return out;
}

}  // namespace trib::dynamodb::ops
