// DeleteItem: removes an item through the write path (items/write_path.h). A missing item is
// not an error and costs 1 write unit (facts §12).
// ConditionExpression or Expected are evaluated on the old item inside the write path's step
// (requests/item_writes.h, shared with TransactWriteItems' Delete).
#include "dynamodb/operations.h"
#include "dynamodb/requests/item_writes.h"

namespace trib::dynamodb::ops {

Output delete_item(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input) {
  return requests::write_one_item(requests::WriteKind::kDelete, ctx, request, input);
}

}  // namespace trib::dynamodb::ops
