// ListTagsOfResource: a table's tags, in the order first added.
// Paging: AWS's service team states the operation "does not support pagination at the API
// level" since a resource has at most 50 tags (aws/aws-sdk#583, 2024), so every tag comes in
// one page and NextToken is never answered; a NextToken sent is ignored (AWS's handling of one
// is not recorded).
#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/tables/table_ref.h"

namespace trib::dynamodb::ops {

Output list_tags_of_resource(DynamoDbContext& ctx, const aws::RequestContext& request,
                             const Input& input) {
  const std::string arn = *input.string_member("ResourceArn");
  auto key = resolve_resource_arn(ctx, request, arn, "ListTagsOfResource");
  if (!key) return aws::fail(std::move(key.error()));
  auto table = ctx.tables.find(*key, request.now_ms);
  if (!table) {
    // [P, AWS-checked] dynalite (AWS's own "ResourcArn" typo).
    return aws::fail(error(Error::kResourceNotFound,
                           "Requested resource not found: ResourcArn: " + arn + " not found"));
  }
  aws::Value tags = aws::Value::list();
  for (const auto& [k, v] : table->tags) {
    aws::Value tag = aws::Value::map();
    tag.set("Key", k);
    tag.set("Value", v);
    tags.push(std::move(tag));
  }
  aws::Value out = aws::Value::map();
  out.set("Tags", std::move(tags));
  return out;
}

}  // namespace trib::dynamodb::ops
