// DescribeTable: the table's description in its current state (any state but gone).
#include "dynamodb/operations.h"
#include "dynamodb/tables/description.h"
#include "dynamodb/tables/table_ref.h"

namespace trib::dynamodb::ops {

Output describe_table(DynamoDbContext& ctx, const aws::RequestContext& request,
                      const Input& input) {
  auto table = find_table(ctx, request, input, MissingTable::kNamed);
  if (!table) return aws::fail(std::move(table.error()));
  aws::Value out = aws::Value::map();
  out.set("Table", table_description(**table, request.now_ms));
  return out;
}

}  // namespace trib::dynamodb::ops
