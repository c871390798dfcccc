// DeleteTable: refused while the table is being created or deleted and while deletion
// protection is on; otherwise the table is DELETING for --delete-table-ms, then gone with
// everything stored under its incarnation (a re-created name starts empty).
#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/tables/description.h"
#include "dynamodb/tables/table_ref.h"

namespace trib::dynamodb::ops {

Output delete_table(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input) {
  auto found = find_table(ctx, request, input, MissingTable::kNamed);
  if (!found) return aws::fail(std::move(found.error()));
  const int64_t now = request.now_ms;
  auto deleted = ctx.tables.update((*found)->key, now, [&](Table& table) -> aws::AwsResult<Ok> {
    switch (table.status(now)) {
      case TableStatus::kCreating:
        // [P] dynalite's reading of AWS.
        return aws::fail(error(Error::kResourceInUse,
                               "Attempt to change a resource which is still in use: Table is being "
                               "created: " +
                                   table.key.name));
      case TableStatus::kDeleting:
        // Guess, worded like the CREATING case (not captured).
        return aws::fail(error(Error::kResourceInUse,
                               "Attempt to change a resource which is still in use: Table is being "
                               "deleted: " +
                                   table.key.name));
      default:
        break;
    }
    if (table.deletion_protection) {
      // [P, AWS-checked] facts/dynamodb.md §19.
      return aws::fail(validation(
          "Resource cannot be deleted as it is currently protected against deletion. Disable "
          "deletion protection first."));
    }
    table.deleting_since_ms = now;
    table.gone_at_ms = now + ctx.options.delete_table_ms;
    return Ok{};
  });
  if (!deleted) return aws::fail(std::move(deleted.error()));
  aws::Value out = aws::Value::map();
  out.set("TableDescription", table_description(**deleted, now, {}, TableStatus::kDeleting));
  return out;
}

}  // namespace trib::dynamodb::ops
