// PutResourcePolicy: stores a resource-based policy on a table (ops/resource_policies.h),
// answering its RevisionId. As AWS (ack-api-quirks DDB-TABLE-205/207/209/236, moto's
// AWS-verified tests): an equivalent re-Put is a no-op answering the same RevisionId;
// ExpectedRevisionId must name the current revision (PolicyNotFoundException otherwise), and
// NO_POLICY asks that there be none; a DELETING table is ResourceInUseException.
// Differences: AWS checks the policy's grammar (principals, actions, resources), compares
// documents in a canonical form (key order, 1-element lists) and refuses a second change within
// 15 s; Tributary requires a JSON object of at most 20 KB, treats documents equal when their
// minified JSON is, and has no cooldown. Policies are stored, never enforced.
#include "aws/codec.h"
#include "aws/stored_document.h"
#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/ops/resource_policies.h"

namespace trib::dynamodb::ops {

namespace {
// "The maximum size supported for a resource-based policy document is 20 KB" (the model).
constexpr size_t kMaxPolicyBytes = 20 * 1024;
}  // namespace

Output put_resource_policy(DynamoDbContext& ctx, const aws::RequestContext& request,
                           const Input& input) {
  auto table = policy_table(ctx, request, *input.string_member("ResourceArn"));
  if (!table) return aws::fail(std::move(table.error()));
  const std::string& policy = *input.string_member("Policy");
  if (policy.size() > kMaxPolicyBytes) {
    // AWS answers a ValidationException (DDB-TABLE-211); its text is not recorded (a guess).
    return aws::fail(invalid_parameter("Invalid policy document: the policy exceeds " +
                                       std::to_string(kMaxPolicyBytes) + " bytes"));
  }
  const auto parsed = aws::parse_json_object(policy);
  if (!parsed) {
    // AWS's prefix (recorded in aws-controllers-k8s/dynamodb-controller#176); the detail is ours.
    return aws::fail(invalid_parameter("Invalid policy document: the policy is not a JSON object"));
  }
  const std::string canonical = aws::to_json(*parsed);
  const std::string* expected = input.string_member("ExpectedRevisionId");
  const int64_t now = request.now_ms;
  auto updated = ctx.tables.update((*table)->key, now, [&](Table& t) -> aws::AwsResult<Ok> {
    if (t.status(now) == TableStatus::kDeleting) return aws::fail(policy_table_deleting(t));
    if (expected && *expected == "NO_POLICY") {
      if (t.resource_policy) {
        return aws::fail(policy_not_found(
            "Requested policy update expecting none to be present for table " + t.key.name +
            ", but a policy exists with revision id " + t.resource_policy_revision + "."));
      }
    } else if (expected && (!t.resource_policy || *expected != t.resource_policy_revision)) {
      return aws::fail(revision_mismatch(t, *expected));
    }
    if (t.resource_policy) {
      const auto current = aws::parse_json_object(*t.resource_policy);
      if (current && aws::to_json(*current) == canonical) return Ok{};  // equivalent: no-op
    }
    t.resource_policy_revision = next_policy_revision(t, now);
    t.resource_policy = policy;
    return Ok{};
  });
  if (!updated) return aws::fail(std::move(updated.error()));
  aws::Value out = aws::Value::map();
  out.set("RevisionId", (*updated)->resource_policy_revision);
  return out;
}

}  // namespace trib::dynamodb::ops
