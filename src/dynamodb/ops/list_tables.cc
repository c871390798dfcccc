// ListTables: the caller's table names (account and region) in name order, at most Limit
// (default and maximum 100) after ExclusiveStartTableName; LastEvaluatedTableName when more
// follow.
#include "dynamodb/operations.h"

namespace trib::dynamodb::ops {

Output list_tables(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input) {
  const int64_t limit = input.int_member("Limit").value_or(100);
  const std::string* start = input.string_member("ExclusiveStartTableName");
  aws::Value names = aws::Value::list();
  std::string last;
  bool more = false;
  int64_t listed = 0;
  for (const auto& table : ctx.tables.list(request.account, request.region, request.now_ms)) {
    if (start && table->key.name <= *start) continue;
    if (listed == limit) {
      more = true;
      break;
    }
    names.push(table->key.name);
    last = table->key.name;
    ++listed;
  }
  aws::Value out = aws::Value::map();
  out.set("TableNames", std::move(names));
  if (more) out.set("LastEvaluatedTableName", last);
  return out;
}

}  // namespace trib::dynamodb::ops
