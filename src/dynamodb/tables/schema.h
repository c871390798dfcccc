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

// A global index's key may have up to this many HASH and this many RANGE attributes
// (multi-attribute keys; the model's CreateGlobalSecondaryIndexAction.KeySchema text [V]).
inline constexpr size_t kMaxMultiKeyAttributes = 4;

// What a key schema belongs to: a table or local index (a HASH and an optional RANGE
// attribute), or a global index (1-4 HASH attributes, then 0-4 RANGE attributes).
enum class KeyShape : uint8_t { kTable, kGlobalIndex };

// Checks one key schema (the table's or an index's) against the attribute definitions and
// builds it. `elements` is not empty (the model's minimum); a table or local index schema has
// at most two elements (too_many_key_elements).
aws::AwsResult<KeySchema> build_key_schema(const std::vector<SchemaElement>& elements,
                                           const std::vector<KeyAttribute>& definitions,
                                           KeyShape shape = KeyShape::kTable);

// (ReadCapacityUnits, WriteCapacityUnits) of a ProvisionedThroughput member; nullopt when the
// member or one of its units is absent.
std::optional<std::pair<int64_t, int64_t>> throughput_of(const aws::Value* throughput);

// A KeySchema of more than two elements (a HASH and a RANGE key), worded at `member_path`, or
// nullopt: for a table's and a local index's KeySchema, which have at most one of each (a
// global index's may have more: build_key_schema). The pinned model no longer bounds KeySchema
// at 2 (multi-attribute GSI keys, facts §2); AWS answers the older model's constraint text
// for a table or local index KeySchema of 3 elements (ack-api-quirks' catalogue, 2026-10-08,
// DDB-TABLE-123 [V]). In the legacy wording the echoed value renders structures as
// {Name=value} (a guess: AWS prints Java objects).
std::optional<std::string> too_many_key_elements(const aws::Value* schema,
                                                 std::string_view member_path,
                                                 const aws::ValidationStyle* style);

// Which operation builds the index: AWS words the throughput rules differently in each.
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
