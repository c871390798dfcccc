// DescribeTimeToLive: the table's TimeToLiveDescription (tables/time_to_live.h). A table never
// configured answers {"TimeToLiveStatus": "DISABLED"} [V, facts/dynamodb.md §18]; a missing
// table is ResourceNotFoundException "Requested resource not found: Table: <name> not found",
// and a CREATING or DELETING table ValidationException "Cannot describe time to live while
// table is in <state> state: Current table state is <state>" (ack-api-quirks DDB-TABLE-014 and
// DDB-TABLE-118, recorded 2026-10-08).
#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/tables/table_ref.h"

namespace trib::dynamodb::ops {

Output describe_time_to_live(DynamoDbContext& ctx, const aws::RequestContext& request,
                             const Input& input) {
  auto table = find_table(ctx, request, input, MissingTable::kNamed);
  if (!table) return aws::fail(std::move(table.error()));
  const TableStatus status = (*table)->status(request.now_ms);
  if (status == TableStatus::kCreating || status == TableStatus::kDeleting) {
    const std::string state(table_status_name(status));
    return aws::fail(validation("Cannot describe time to live while table is in " + state +
                                " state: Current table state is " + state));
  }
  aws::Value out = aws::Value::map();
  out.set("TimeToLiveDescription", (*table)->time_to_live.description(request.now_ms));
  return out;
}

}  // namespace trib::dynamodb::ops
