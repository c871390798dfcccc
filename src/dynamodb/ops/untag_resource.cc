// UntagResource: removes tags by key from a table named by its ARN; a key the table does not
// have is no error (as Alternator's AWS-run tests show). Texts: tables/tags.cc and
// tables/table_ref.cc; the missing table's text is the one dynalite's AWS-checked tests expect.
#include <algorithm>

#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/tables/table_ref.h"
#include "dynamodb/tables/tags.h"

namespace trib::dynamodb::ops {

Output untag_resource(DynamoDbContext& ctx, const aws::RequestContext& request,
                      const Input& input) {
  const std::string arn = *input.string_member("ResourceArn");
  auto key = resolve_resource_arn(ctx, request, arn, "UntagResource");
  if (!key) return aws::fail(std::move(key.error()));
  const aws::Value* keys_member = input.find("TagKeys");
  if (!keys_member || !keys_member->is_list() || keys_member->as_list().empty()) {
    // [P, AWS-checked] dynalite; also in the ack-api-quirks catalogue.
    return aws::fail(validation("Atleast one Tag Key needs to be provided as Input."));
  }
  std::vector<std::string> keys;
  for (const auto& k : keys_member->as_list()) {
    if (!k.is_string()) continue;
    if (auto checked = check_tag_key(k.as_string()); !checked) {
      return aws::fail(std::move(checked.error()));
    }
    keys.push_back(k.as_string());
  }
  if (!ctx.tables.find(*key, request.now_ms)) {
    return aws::fail(error(Error::kResourceNotFound, std::string(texts::kResourceNotFound)));
  }
  auto updated = ctx.tables.update(*key, request.now_ms, [&](Table& table) -> aws::AwsResult<Ok> {
    std::erase_if(table.tags, [&](const auto& tag) {
      return std::find(keys.begin(), keys.end(), tag.first) != keys.end();
    });
    return Ok{};
  });
  if (!updated) return aws::fail(std::move(updated.error()));
  return aws::Value::map();
}

}  // namespace trib::dynamodb::ops
