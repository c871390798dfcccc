// TagResource: adds tags to a table named by its ARN (a key already there takes the new
// value), at most 50 per table. Texts: tables/tags.cc and tables/table_ref.cc; the missing
// table's text is the one dynalite's AWS-checked tests expect (AWS's own "ResourcArn" typo).
// Difference: AWS applies tags asynchronously (ListTagsOfResource may lag a few seconds, and
// a second tag change meanwhile is LimitExceededException "Table tags are being updated");
// Tributary applies them at once.
#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/tables/table_ref.h"
#include "dynamodb/tables/tags.h"

namespace trib::dynamodb::ops {

Output tag_resource(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input) {
  const std::string arn = *input.string_member("ResourceArn");
  auto key = resolve_resource_arn(ctx, request, arn, "TagResource");
  if (!key) return aws::fail(std::move(key.error()));
  const aws::Value* tags_member = input.find("Tags");
  if (!tags_member || !tags_member->is_list() || tags_member->as_list().empty()) {
    // [P, AWS-checked] dynalite; also in the ack-api-quirks catalogue.
    return aws::fail(validation("Atleast one Tag needs to be provided as Input."));
  }
  auto tags = read_tags(tags_member);
  if (!tags) return aws::fail(std::move(tags.error()));
  if (!ctx.tables.find(*key, request.now_ms)) {
    return aws::fail(error(Error::kResourceNotFound,
                           "Requested resource not found: ResourcArn: " + arn + " not found"));
  }
  auto updated = ctx.tables.update(*key, request.now_ms,
                                   [&](Table& table) { return merge_tags(table.tags, *tags); });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::dynamodb::ops
