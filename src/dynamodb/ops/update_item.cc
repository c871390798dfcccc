// UpdateItem: edits (or creates) one item through the write path (items/write_path.h) with an
// UpdateExpression or the legacy AttributeUpdates, under ConditionExpression or Expected. The
// condition, the update and the size check run on the old item inside the write path's step
// (requests/item_writes.h, shared with TransactWriteItems' Update), so a conditional update
// is atomic with the read it depends on.
#include "dynamodb/operations.h"
#include "dynamodb/requests/item_writes.h"

namespace trib::dynamodb::ops {

Output update_item(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input) {
  return requests::write_one_item(requests::WriteKind::kUpdate, ctx, request, input);
}

}  // namespace trib::dynamodb::ops
