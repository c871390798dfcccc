// PutItem: creates or replaces an item through the write path (items/write_path.h).
// ConditionExpression or Expected are evaluated on the old item inside the write path's step
// (requests/item_writes.h, shared with TransactWriteItems' Put).
#include "dynamodb/operations.h"
#include "dynamodb/requests/item_writes.h"

namespace trib::dynamodb::ops {

Output put_item(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input) {
  return requests::write_one_item(requests::WriteKind::kPut, ctx, request, input);
}

}  // namespace trib::dynamodb::ops
