#include "dynamodb/ops/resource_policies.h"

#include <algorithm>
#include <charconv>

#include "dynamodb/errors.h"
#include "util/arn.h"

namespace trib::dynamodb::ops {

aws::AwsResult<TableCatalog::TablePtr> policy_table(const DynamoDbContext& ctx,
                                                    const aws::RequestContext& request,
                                                    const std::string& arn) {
  if (arn.rfind("arn:", 0) != 0) {
    return aws::fail(invalid_parameter("ARNs must start with 'arn:': " + arn));
  }
  const auto not_dynamodb = [&] {
    return aws::fail(invalid_parameter("Provided Arn is not a DynamoDB resource arn: " + arn));
  };
  const std::optional<ArnParts> parts = split_arn(arn);
  if (!parts || parts->service != "dynamodb") return not_dynamodb();
  if (parts->account != request.account) {
    return aws::fail(
        validation("This action is only supported by accounts that match the resource owner\u2019s "
                   "account."));
  }
  if (parts->partition != "aws" || parts->region != request.region) {
    return aws::fail(invalid_parameter("Invalid resource Arn: " + arn));
  }
  constexpr std::string_view kTable = "table/";
  std::string_view resource = parts->resource;
  if (resource.substr(0, kTable.size()) != kTable) return not_dynamodb();
  resource.remove_prefix(kTable.size());
  const auto slash = resource.find('/');
  const std::string name(resource.substr(0, slash));
  std::string_view sub_resource =
      slash == std::string_view::npos ? std::string_view() : resource.substr(slash);
  constexpr std::string_view kIndex = "/index/";
  constexpr std::string_view kStream = "/stream/";
  if (sub_resource.substr(0, kIndex.size()) == kIndex) {
    return aws::fail(invalid_parameter(
        "Invalid resource arn provided, only table or stream is accepted. Provided resource "
        "arn: " +
        arn));
  }
  if (!sub_resource.empty() && sub_resource.substr(0, kStream.size()) != kStream) {
    return not_dynamodb();
  }
  const TableKey key{request.account, request.region, name};
  auto table = ctx.tables.find(key, request.now_ms);
  if (!table || table->status(request.now_ms) == TableStatus::kCreating) {
    return aws::fail(table_not_found(name));
  }
  if (!sub_resource.empty()) {
    return aws::fail(
        error(Error::kResourceNotFound, "Requested resource not found: Stream: " +
                                            std::string(sub_resource.substr(kStream.size())) +
                                            " not found for Table: " + name));
  }
  return table;
}

aws::AwsError policy_not_found(const std::string& detail) {
  return error(Error::kPolicyNotFound,
               "Resource-based policy not found for the provided ResourceArn: " + detail);
}

aws::AwsError revision_mismatch(const Table& table, const std::string& expected) {
  std::string detail = "Requested update for policy with revision id " + expected + ", but ";
  if (table.resource_policy) {
    detail += "the policy associated to target table " + table.key.name + " has revision id " +
              table.resource_policy_revision + ".";
  } else {
    detail += "table " + table.key.name + " has no associated policy.";
  }
  return policy_not_found(detail);
}

aws::AwsError policy_table_deleting(const Table& table) {
  return error(Error::kResourceInUse,
               "Attempt to change a resource which is still in use: Table is being deleted: " +
                   table.key.name);
}

std::string next_policy_revision(const Table& table, int64_t now_ms) {
  int64_t revision = now_ms;
  for (const std::string* earlier :
       {&table.resource_policy_revision, &table.resource_policy_deleted_revision}) {
    int64_t value = 0;
    const char* end = earlier->data() + earlier->size();
    if (std::from_chars(earlier->data(), end, value).ptr == end && !earlier->empty()) {
      revision = std::max(revision, value + 1);
    }
  }
  return std::to_string(revision);
}

}  // namespace trib::dynamodb::ops
