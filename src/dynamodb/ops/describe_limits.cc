// DescribeLimits: fixed values, AWS's default quotas since 2023 (40,000 read and write
// capacity units per table, 80,000 per account; facts/dynamodb.md §4 and §18), not the
// model example's 20,000/10,000. Tributary enforces none of them.
#include "dynamodb/operations.h"

namespace trib::dynamodb::ops {

Output describe_limits(DynamoDbContext&, const aws::RequestContext&, const Input&) {
  aws::Value out = aws::Value::map();
  out.set("AccountMaxReadCapacityUnits", int64_t{80'000});
  out.set("AccountMaxWriteCapacityUnits", int64_t{80'000});
  out.set("TableMaxReadCapacityUnits", int64_t{40'000});
  out.set("TableMaxWriteCapacityUnits", int64_t{40'000});
  return out;
}

}  // namespace trib::dynamodb::ops
