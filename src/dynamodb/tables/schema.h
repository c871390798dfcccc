// Key schemas and secondary indexes built from request members, shared by CreateTable and
// UpdateTable (GlobalSecondaryIndexUpdates.Create), with AWS's texts.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aws/error.h"
#include "aws/validate.h"
#include "aws/value.h"
#include "dynamodb/tables/table.h"

namespace trib::dynamodb {

// One KeySchemaElement as sent (missing members are empty).
struct SchemaElement {
  std::string name;
  std::string key_type;
};
std::vector<SchemaElement> schema_elements(const aws::Value* list);

// Checks one key schema (the table's or an index's) against the attribute definitions and
// builds it.
aws::AwsResult<KeySchema> build_key_schema(const std::vector<SchemaElement>& elements,
                                           const std::vector<KeyAttribute>& definitions);

// (ReadCapacityUnits, WriteCapacityUnits) of a ProvisionedThroughput member; nullopt when the
// member or one of its units is absent.
std::optional<std::pair<int64_t, int64_t>> throughput_of(const aws::Value* throughput);

// Which operation builds the index: AWS words the throughput rules differently in each.
// A KeySchema of more than two elements (a HASH and a RANGE key), worded at `member_path`, or
// nullopt. The pinned model no longer bounds KeySchema at 2 (AWS added multi-attribute GSI keys,
// facts §2), but a table's and a local index's key still has at most one of each, and
// Tributary does not serve multi-attribute GSI keys yet, so more than two is refused rather
// than cut to two. The text is the older model's constraint (max 2) as dynalite reproduces it;
// in the legacy wording the echoed value renders structures as {Name=value} (a guess: AWS
// prints Java objects).
std::optional<std::string> too_many_key_elements(const aws::Value* schema,
                                                 std::string_view member_path,
                                                 const aws::ValidationStyle* style);

enum class IndexRequest : uint8_t { kCreateTable, kUpdateTable };

// One element of LocalSecondaryIndexes / GlobalSecondaryIndexes (CreateTable) or one
// GlobalSecondaryIndexUpdates[].Create (UpdateTable), checked against `definitions` and the
// table's key schema, for a table whose billing mode is `billing_mode`.
aws::AwsResult<SecondaryIndex> build_index(const aws::Value& spec, bool global,
                                           const KeySchema& table_key,
                                           const std::vector<KeyAttribute>& definitions,
                                           const std::string& billing_mode, IndexRequest request);

// A random (version 4) UUID: TableId, the AWS-managed KMS key id.
std::string random_uuid();

}  // namespace trib::dynamodb
