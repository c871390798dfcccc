// CreateTable: key schema, attribute definitions, billing, local and global secondary
// indexes, stream, SSE, tags, table class, deletion protection, warm and on-demand
// throughput. The table is CREATING for --create-table-ms, then ACTIVE.
//
// Texts of the schema checks: facts/dynamodb.md §19 where recorded ([V, rec]); the others
// and their order as dynalite reproduces AWS's ([P]). Differences: docs/compatibility.md.
#include <openssl/rand.h>

#include <cstdio>
#include <optional>
#include <set>

#include "dynamodb/errors.h"
#include "dynamodb/operations.h"
#include "dynamodb/tables/description.h"
#include "dynamodb/tables/table_ref.h"

namespace trib::dynamodb::ops {

namespace {

std::string new_uuid() {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

struct SchemaElement {
  std::string name;
  std::string key_type;
};

std::vector<SchemaElement> schema_elements(const aws::Value* list) {
  std::vector<SchemaElement> out;
  if (!list || !list->is_list()) return out;
  for (const auto& e : list->as_list()) {
    const std::string* name = e.string_member("AttributeName");
    const std::string* type = e.string_member("KeyType");
    out.push_back({name ? *name : "", type ? *type : ""});
  }
  return out;
}

// A key schema of more than two elements (a HASH and a RANGE key). The pinned model no longer
// bounds KeySchema at 2 (AWS added multi-attribute GSI keys, facts §2), but a table's and a
// local index's key still has at most one of each, and Tributary does not serve
// multi-attribute GSI keys yet, so more than two is refused rather than cut to two. The text
// is the older model's constraint (max 2) as dynalite reproduces it; in the legacy wording the
// echoed value renders structures as {Name=value} (a guess: AWS prints Java objects).
std::optional<std::string> too_many_key_elements(const aws::Value* schema,
                                                 std::string_view member_path,
                                                 const aws::ValidationStyle* style) {
  if (!schema || !schema->is_list() || schema->as_list().size() <= 2) return std::nullopt;
  return aws::validation_failure(member_path, schema,
                                 "Member must have length less than or equal to 2", style);
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Checks one key schema (the table's or an index's) against the attribute definitions and
// builds it. `defined` are the defined names in request order.
aws::AwsResult<KeySchema> build_key_schema(const std::vector<SchemaElement>& elements,
                                           const std::vector<KeyAttribute>& definitions) {
  std::vector<std::string> keys;
  std::vector<std::string> defined;
  for (const auto& e : elements) keys.push_back(e.name);
  for (const auto& d : definitions) defined.push_back(d.name);
  const auto type_of = [&](const std::string& name) -> const KeyAttribute* {
    for (const auto& d : definitions) {
      if (d.name == name) return &d;
    }
    return nullptr;
  };
  for (const auto& key : keys) {
    if (!type_of(key)) {
      return aws::fail(invalid_parameter(
          "Some index key attributes are not defined in AttributeDefinitions. Keys: [" +
          join(keys) + "], AttributeDefinitions: [" + join(defined) + "]"));
    }
  }
  if (elements.size() == 2 && keys[0] == keys[1]) {
    return aws::fail(
        validation("Both the Hash Key and the Range Key element in the KeySchema have the same name"));
  }
  if (elements[0].key_type != "HASH") {
    return aws::fail(validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type"));
  }
  if (elements.size() == 2 && elements[1].key_type != "RANGE") {
    return aws::fail(
        validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"));
  }
  KeySchema schema{*type_of(keys[0]), std::nullopt};
  if (elements.size() == 2) schema.range = *type_of(keys[1]);
  return schema;
}

std::optional<std::pair<int64_t, int64_t>> throughput_of(const aws::Value* throughput) {
  if (!throughput) return std::nullopt;
  auto read = throughput->int_member("ReadCapacityUnits");
  auto write = throughput->int_member("WriteCapacityUnits");
  if (!read || !write) return std::nullopt;
  return std::make_pair(*read, *write);
}

// One index of LocalSecondaryIndexes / GlobalSecondaryIndexes; `position` counts from 1.
aws::AwsResult<SecondaryIndex> build_index(const aws::Value& spec, bool global, size_t position,
                                           const Table& table, const std::string& billing_mode,
                                           const aws::ValidationStyle* style) {
  SecondaryIndex index;
  index.global = global;
  index.name = *spec.string_member("IndexName");
  const std::string path =
      std::string(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes") + "." +
      std::to_string(position) + ".member.KeySchema";
  if (auto bad = too_many_key_elements(spec.find("KeySchema"), path, style)) {
    return aws::fail(validation(aws::validation_message({std::move(*bad)}, style)));
  }
  const auto elements = schema_elements(spec.find("KeySchema"));
  auto schema = build_key_schema(elements, table.attribute_definitions);
  if (!schema) return aws::fail(std::move(schema.error()));
  index.key_schema = std::move(*schema);
  if (!global) {
    if (!index.key_schema.range) {
      return aws::fail(invalid_parameter(
          "Index KeySchema does not have a range key for index: " + index.name));
    }
    if (index.key_schema.hash.name != table.key_schema.hash.name) {
      return aws::fail(invalid_parameter(
          "Index KeySchema does not have the same leading hash key as table KeySchema for "
          "index: " +
          index.name + ". index hash key: " + index.key_schema.hash.name +
          ", table hash key: " + table.key_schema.hash.name));
    }
  }
  const aws::Value* projection = spec.find("Projection");
  const std::string* projection_type = projection ? projection->string_member("ProjectionType") : nullptr;
  if (!projection_type) return aws::fail(invalid_parameter("Unknown ProjectionType: null"));
  index.projection_type = *projection_type;
  if (const aws::Value* names = projection->find("NonKeyAttributes"); names && names->is_list()) {
    if (index.projection_type != "INCLUDE") {
      return aws::fail(invalid_parameter("ProjectionType is " + index.projection_type +
                                         ", but NonKeyAttributes is specified"));
    }
    for (const auto& n : names->as_list()) {
      if (n.is_string()) index.non_key_attributes.push_back(n.as_string());
    }
  }
  if (global) {
    const auto throughput = throughput_of(spec.find("ProvisionedThroughput"));
    if (billing_mode == "PAY_PER_REQUEST") {
      if (spec.find("ProvisionedThroughput")) {
        return aws::fail(invalid_parameter("ProvisionedThroughput should not be specified for index: " +
                                           index.name + " when BillingMode is PAY_PER_REQUEST"));
      }
    } else if (!throughput) {
      // Recorded text unknown; dynalite does not check this. Guess, worded like the table's.
      return aws::fail(invalid_parameter(
          "ProvisionedThroughput must be specified for index: " + index.name));
    } else {
      index.throughput.read_capacity_units = throughput->first;
      index.throughput.write_capacity_units = throughput->second;
    }
    if (const aws::Value* on_demand = spec.find("OnDemandThroughput")) {
      index.max_read_request_units = on_demand->int_member("MaxReadRequestUnits");
      index.max_write_request_units = on_demand->int_member("MaxWriteRequestUnits");
    }
  }
  return index;
}

}  // namespace

Output create_table(DynamoDbContext& ctx, const aws::RequestContext& request, const Input& input) {
  const aws::ValidationStyle* style = &ctx.validation_style;
  // KeySchema and AttributeDefinitions are optional in today's model but required by AWS.
  std::vector<std::string> missing;
  if (!input.find("AttributeDefinitions")) {
    missing.push_back(aws::validation_failure("AttributeDefinitions", nullptr,
                                              "Member must not be null", style));
  }
  if (!input.find("KeySchema")) {
    missing.push_back(
        aws::validation_failure("KeySchema", nullptr, "Member must not be null", style));
  } else if (auto bad = too_many_key_elements(input.find("KeySchema"), "KeySchema", style)) {
    missing.push_back(std::move(*bad));
  }
  if (!missing.empty()) return aws::fail(validation(aws::validation_message(missing, style)));

  auto key = resolve_table_key(ctx, request, *input.string_member("TableName"));
  if (!key) return aws::fail(std::move(key.error()));

  Table table;
  table.key = std::move(*key);
  for (const auto& d : input.find("AttributeDefinitions")->as_list()) {
    const std::string* name = d.string_member("AttributeName");
    const std::string* type = d.string_member("AttributeType");
    if (!name || !type || type->empty()) {
      return aws::fail(validation(aws::validation_message(
          {aws::validation_failure("AttributeDefinitions", nullptr, "Member must not be null",
                                   style)},
          style)));
    }
    table.attribute_definitions.push_back({*name, (*type)[0]});
  }

  const std::string* billing_mode = input.string_member("BillingMode");
  table.billing_mode = billing_mode ? *billing_mode : "PROVISIONED";
  const aws::Value* throughput_member = input.find("ProvisionedThroughput");
  if (table.billing_mode == "PAY_PER_REQUEST") {
    if (throughput_member) {
      return aws::fail(invalid_parameter(
          "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
          "PAY_PER_REQUEST"));
    }
  } else {
    const auto throughput = throughput_of(throughput_member);
    if (!throughput) {
      return aws::fail(invalid_parameter(
          "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is "
          "PROVISIONED"));
    }
    for (const auto& [units, name] : {std::make_pair(throughput->first, "ReadCapacityUnits"),
                                      std::make_pair(throughput->second, "WriteCapacityUnits")}) {
      if (units > 1'000'000'000'000) {
        return aws::fail(validation("Given value " + std::to_string(units) + " for " + name +
                                    " is out of bounds"));
      }
    }
    table.throughput.read_capacity_units = throughput->first;
    table.throughput.write_capacity_units = throughput->second;
  }

  const auto elements = schema_elements(input.find("KeySchema"));
  if (elements.size() > table.attribute_definitions.size()) {
    return aws::fail(validation("Invalid KeySchema: Some index key attribute have no definition"));
  }
  auto schema = build_key_schema(elements, table.attribute_definitions);
  if (!schema) return aws::fail(std::move(schema.error()));
  table.key_schema = std::move(*schema);

  const aws::Value* local = input.find("LocalSecondaryIndexes");
  const aws::Value* global = input.find("GlobalSecondaryIndexes");
  if (!local && !global && elements.size() != table.attribute_definitions.size()) {
    return aws::fail(invalid_parameter(
        "Number of attributes in KeySchema does not exactly match number of attributes defined "
        "in AttributeDefinitions"));
  }
  std::set<std::string> index_names;
  for (const auto& [list, is_global] : {std::make_pair(local, false), std::make_pair(global, true)}) {
    if (!list) continue;
    const char* kind = is_global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes";
    if (list->as_list().empty()) {
      return aws::fail(invalid_parameter(std::string("List of ") + kind + " is empty"));
    }
    if (!is_global && !table.key_schema.range) {
      return aws::fail(invalid_parameter(
          "Table KeySchema does not have a range key, which is required when specifying a "
          "LocalSecondaryIndex"));
    }
    size_t position = 0;
    for (const auto& spec : list->as_list()) {
      auto index = build_index(spec, is_global, ++position, table, table.billing_mode, style);
      if (!index) return aws::fail(std::move(index.error()));
      if (!index_names.insert(index->name).second) {
        return aws::fail(invalid_parameter("Duplicate index name: " + index->name));
      }
      index->id = table.next_index_id++;
      index->created_ms = request.now_ms;
      index->active_at_ms = request.now_ms + ctx.options.create_table_ms;
      table.indexes.push_back(std::move(*index));
    }
    if (!is_global && list->as_list().size() > 5) {
      return aws::fail(
          invalid_parameter("Number of LocalSecondaryIndexes exceeds per-table limit of 5"));
    }
    if (is_global && list->as_list().size() > 20) {
      return aws::fail(
          invalid_parameter("GlobalSecondaryIndex count exceeds the per-table limit of 20"));
    }
  }
  // Every defined attribute must be a key of the table or of an index.
  if (local || global) {
    for (const auto& d : table.attribute_definitions) {
      bool used = d.name == table.key_schema.hash.name ||
                  (table.key_schema.range && d.name == table.key_schema.range->name);
      for (const auto& index : table.indexes) {
        used = used || d.name == index.key_schema.hash.name ||
               (index.key_schema.range && d.name == index.key_schema.range->name);
      }
      if (!used) {
        return aws::fail(invalid_parameter(
            "Number of attributes in KeySchema does not exactly match number of attributes "
            "defined in AttributeDefinitions"));
      }
    }
  }

  if (const aws::Value* stream = input.find("StreamSpecification")) {
    table.stream_enabled = stream->bool_member("StreamEnabled").value_or(false);
    const std::string* view = stream->string_member("StreamViewType");
    if (table.stream_enabled && !view) {
      // [P] dynalite; AWS's text for an enabled stream without a view type.
      return aws::fail(invalid_parameter(
          "You must specify a StreamViewType when enabling a stream"));
    }
    if (table.stream_enabled) table.stream_view_type = *view;
  }
  if (const aws::Value* sse = input.find("SSESpecification")) {
    if (sse->bool_member("Enabled").value_or(false)) {
      table.sse_enabled = true;
      const std::string* type = sse->string_member("SSEType");
      table.sse_type = type ? *type : "KMS";
      const std::string* key_id = sse->string_member("KMSMasterKeyId");
      table.kms_master_key_id =
          key_id ? *key_id
                 : "arn:aws:kms:" + request.region + ":" + request.account + ":key/" + new_uuid();
    }
  }
  if (const aws::Value* tags = input.find("Tags"); tags && tags->is_list()) {
    for (const auto& tag : tags->as_list()) {
      const std::string* k = tag.string_member("Key");
      const std::string* v = tag.string_member("Value");
      if (k && v) table.tags.emplace_back(*k, *v);
    }
  }
  if (const std::string* table_class = input.string_member("TableClass")) {
    table.table_class = *table_class;
  }
  table.deletion_protection = input.bool_member("DeletionProtectionEnabled").value_or(false);
  if (const aws::Value* on_demand = input.find("OnDemandThroughput")) {
    table.max_read_request_units = on_demand->int_member("MaxReadRequestUnits");
    table.max_write_request_units = on_demand->int_member("MaxWriteRequestUnits");
  }
  if (const aws::Value* warm = input.find("WarmThroughput")) {
    table.warm_read_units = warm->int_member("ReadUnitsPerSecond");
    table.warm_write_units = warm->int_member("WriteUnitsPerSecond");
  }
  if (const std::string* policy = input.string_member("ResourcePolicy")) {
    table.resource_policy = *policy;
  }

  table.table_id = new_uuid();
  table.created_ms = request.now_ms;
  table.active_at_ms = request.now_ms + ctx.options.create_table_ms;
  auto created = ctx.tables.create(
      std::move(table), request.now_ms, [&](const TableCatalog& catalog) -> aws::AwsResult<Ok> {
        const auto count =
            static_cast<int64_t>(catalog.list(request.account, request.region, request.now_ms).size());
        if (count >= ctx.options.table_limit) {
          // Guess at AWS's wording (not captured).
          return aws::fail(error(Error::kLimitExceeded,
                                 "Subscriber limit exceeded: Tables count limit of " +
                                     std::to_string(ctx.options.table_limit) +
                                     " has been reached"));
        }
        return Ok{};
      });
  if (!created) return aws::fail(std::move(created.error()));
  aws::Value out = aws::Value::map();
  out.set("TableDescription",
          table_description(**created, request.now_ms, {}, TableStatus::kCreating));
  return out;
}

}  // namespace trib::dynamodb::ops
