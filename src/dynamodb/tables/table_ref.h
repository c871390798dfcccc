// Resolving the TableName member (a table name or a table ARN, as the model's TableArn shape
// allows) to a catalog key and a live table.
#pragma once

#include <string_view>

#include "dynamodb/context.h"

namespace trib::dynamodb {

// The table a TableName member names. A name is checked against the TableName shape (3 to
// 255 characters of [a-zA-Z0-9_.-]) with the model's validation wording at `member_path`; an
// ARN must be a table ARN.
aws::AwsResult<TableKey> resolve_table_key(const DynamoDbContext& ctx,
                                           const aws::RequestContext& request,
                                           std::string_view name_or_arn,
                                           std::string_view member_path = "TableName");

// The table a ResourceArn member names (TagResource, UntagResource, ListTagsOfResource), for
// the caller's account and region; `operation` ("TagResource") is named in AccessDenied.
aws::AwsResult<TableKey> resolve_resource_arn(const DynamoDbContext& ctx,
                                              const aws::RequestContext& request,
                                              std::string_view arn, std::string_view operation);

// How a missing table is reported: control-plane operations name it (DescribeTable,
// DeleteTable), data-plane operations say only "Requested resource not found".
enum class MissingTable : uint8_t { kNamed, kUnnamed };

// The live table (any state) named by the input's TableName member.
aws::AwsResult<TableCatalog::TablePtr> find_table(const DynamoDbContext& ctx,
                                                  const aws::RequestContext& request,
                                                  const Input& input, MissingTable missing);

}  // namespace trib::dynamodb
