// DescribeContinuousBackups: continuous backups are ENABLED on every table (the model's
// documentation; the AWS CLI example), point-in-time recovery as UpdateContinuousBackups left
// it. Terraform calls it on every refresh (facts/dynamodb.md §18). A missing table is
// TableNotFoundException "Table not found: <name>" [V], not ResourceNotFoundException.
#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/tables/description.h"
#include "dynamodb/tables/table_ref.h"

namespace trib::dynamodb::ops {

Output describe_continuous_backups(DynamoDbContext& ctx, const aws::RequestContext& request,
                                   const Input& input) {
  auto key = resolve_table_key(ctx, request, *input.string_member("TableName"));
  if (!key) return aws::fail(std::move(key.error()));
  auto table = ctx.tables.find(*key, request.now_ms);
  if (!table) return aws::fail(error(Error::kTableNotFound, "Table not found: " + key->name));
  aws::Value out = aws::Value::map();
  out.set("ContinuousBackupsDescription", continuous_backups_description(*table, request.now_ms));
  return out;
}

}  // namespace trib::dynamodb::ops
