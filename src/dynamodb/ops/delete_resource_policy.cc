// DeleteResourcePolicy: removes a table's policy, answering the removed policy's RevisionId
// (ops/resource_policies.h). As AWS (ack-api-quirks DDB-TABLE-205/209/236, recorded
// 2026-10-09): idempotent without ExpectedRevisionId: on a table that never had a policy it
// answers {}, after a deletion the deletion's own revision (its epoch ms); a mismatching
// ExpectedRevisionId, or one given when there is no policy, is PolicyNotFoundException; a
// DELETING table is ResourceInUseException.
// Differences: AWS refuses a change within 15 s of the previous one; Tributary does not.
#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/ops/resource_policies.h"

namespace trib::dynamodb::ops {

Output delete_resource_policy(DynamoDbContext& ctx, const aws::RequestContext& request,
                              const Input& input) {
  auto table = policy_table(ctx, request, *input.string_member("ResourceArn"));
  if (!table) return aws::fail(std::move(table.error()));
  const std::string* expected = input.string_member("ExpectedRevisionId");
  const int64_t now = request.now_ms;
  std::string answered;
  auto updated = ctx.tables.update((*table)->key, now, [&](Table& t) -> aws::AwsResult<Ok> {
    if (t.status(now) == TableStatus::kDeleting) return aws::fail(policy_table_deleting(t));
    if (expected && (!t.resource_policy || *expected != t.resource_policy_revision)) {
      return aws::fail(revision_mismatch(t, *expected));
    }
    if (!t.resource_policy) {
      answered = t.resource_policy_deleted_revision;
      return Ok{};
    }
    answered = t.resource_policy_revision;
    t.resource_policy_deleted_revision = next_policy_revision(t, now);
    t.resource_policy.reset();
    t.resource_policy_revision.clear();
    return Ok{};
  });
  if (!updated) return aws::fail(std::move(updated.error()));
  aws::Value out = aws::Value::map();
  if (!answered.empty()) out.set("RevisionId", answered);
  return out;
}

}  // namespace trib::dynamodb::ops
