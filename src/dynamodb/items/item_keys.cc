#include "dynamodb/items/item_keys.h"

#include "dynamodb/errors.h"
#include "dynamodb/tables/table_catalog.h"
#include "dynamodb/values/item_codec.h"
#include "storage/keys.h"

namespace trib::dynamodb::items {

namespace {

// The key-size rule: S its UTF-8 bytes, B its raw bytes, N its stored size (facts §8).
size_t key_value_size(const AttributeValue& value) {
  switch (value.type()) {
    case AttributeType::kS:
      return value.as_string().size();
    case AttributeType::kB:
      return value.as_binary().size();
    case AttributeType::kN:
      return value.as_number().storage_size();
    default:
      return 0;
  }
}

bool is_empty_key_value(const AttributeValue& value) {
  return (value.is(AttributeType::kS) && value.as_string().empty()) ||
         (value.is(AttributeType::kB) && value.as_binary().empty());
}

std::string_view empty_kind(const AttributeValue& value) {
  return value.is(AttributeType::kB) ? "binary" : "string";
}

// Texts: the empty S key text is recorded against AWS by moto's and Dynoxide's AWS-verified
// tests; the binary form by analogy with the index-key text below (paritysuite's recording of
// an empty binary GSI key), a guess for table keys.
aws::AwsError empty_key(std::string_view name, const AttributeValue& value) {
  return validation(
      "One or more parameter values are not valid. The AttributeValue for a key attribute "
      "cannot contain an empty " +
      std::string(empty_kind(value)) + " value. Key: " + std::string(name));
}

aws::AwsError key_too_large(bool hash) {
  // facts §8 [P]: dynalite's AWS-checked texts ("of2048" sic).
  return invalid_parameter(
      hash ? "Size of hashkey has exceeded the maximum size limit of2048 bytes"
           : "Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
}

aws::AwsError schema_mismatch() {
  return validation("The provided key element does not match the schema");
}

}  // namespace

char key_type_char(AttributeType type) {
  switch (type) {
    case AttributeType::kS:
      return 'S';
    case AttributeType::kN:
      return 'N';
    case AttributeType::kB:
      return 'B';
    default:
      return 0;
  }
}

std::string index_range_prefix(uint64_t table_id, uint32_t index_id) {
  std::string out = table_items_prefix(table_id);
  out.append(storage::KeyBuilder().u32(index_id).str());
  return out;
}

std::string partition_prefix(const Table& table, uint32_t index_id,
                             std::span<const AttributeValue* const> hash_values) {
  std::string out = index_range_prefix(table.id, index_id);
  out.append(storage::KeyBuilder().u64(partition_key_hash(hash_values)).str());
  for (const AttributeValue* value : hash_values) append_key_component(out, *value);
  return out;
}

std::string base_item_key(const Table& table, const Item& item) {
  const AttributeValue* hash = find_attribute(item, table.key_schema.hash.name);
  std::string out = index_range_prefix(table.id, kBaseTableIndexId);
  out.append(storage::KeyBuilder().u64(partition_key_hash(*hash)).str());
  append_key_component(out, *hash);
  if (table.key_schema.range) {
    append_key_component(out, *find_attribute(item, table.key_schema.range->name));
  }
  return out;
}

Item key_attributes(const KeySchema& schema, const Item& item) {
  Item out;
  schema.for_each([&](const KeyAttribute& key) {
    if (const AttributeValue* v = find_attribute(item, key.name)) put_attribute(out, key.name, *v);
  });
  return out;
}

aws::AwsResult<Item> check_item_keys(const Table& table, const Item& item) {
  // dynalite's validateItem order (its tests run against AWS): each table key attribute in
  // turn (missing, type, empty, size), then the index keys.
  const auto check = [&](const KeyAttribute& key, bool hash) -> aws::AwsResult<Ok> {
    const AttributeValue* value = find_attribute(item, key.name);
    if (!value) return aws::fail(invalid_parameter("Missing the key " + key.name + " in the item"));
    if (key_type_char(value->type()) != key.type) {
      return aws::fail(invalid_parameter("Type mismatch for key " + key.name +
                                         " expected: " + std::string(1, key.type) +
                                         " actual: " + std::string(type_name(value->type()))));
    }
    if (is_empty_key_value(*value)) return aws::fail(empty_key(key.name, *value));
    if (key_value_size(*value) > (hash ? kMaxHashKeyBytes : kMaxRangeKeyBytes)) {
      return aws::fail(key_too_large(hash));
    }
    return Ok{};
  };
  if (auto ok = check(table.key_schema.hash, true); !ok) return aws::fail(std::move(ok.error()));
  if (table.key_schema.range) {
    if (auto ok = check(*table.key_schema.range, false); !ok) {
      return aws::fail(std::move(ok.error()));
    }
  }
  for (const SecondaryIndex& index : table.indexes) {
    std::optional<aws::AwsError> problem;
    index.key_schema.for_each([&](const KeyAttribute& key) {
      const AttributeValue* value = find_attribute(item, key.name);
      if (problem || !value) return;  // absent: sparse, the item is not in this index
      // dynalite's and paritysuite's AWS-recorded texts.
      if (key_type_char(value->type()) != key.type) {
        problem = invalid_parameter(
            "Type mismatch for Index Key " + key.name + " Expected: " + std::string(1, key.type) +
            " Actual: " + std::string(type_name(value->type())) + " IndexName: " + index.name);
      } else if (is_empty_key_value(*value)) {
        problem = validation(
            "One or more parameter values are not valid. A value specified for a secondary "
            "index key is not supported. The AttributeValue for a key attribute cannot contain "
            "an empty " +
            std::string(empty_kind(*value)) + " value. IndexName: " + index.name +
            ", IndexKey: " + key.name);
      }
    });
    if (problem) return aws::fail(std::move(*problem));
  }
  return key_attributes(table.key_schema, item);
}

aws::AwsResult<Ok> check_key(const Table& table, const Item& key) {
  const size_t expected = table.key_schema.range ? 2 : 1;
  const auto matches = [&](const KeyAttribute& attribute) {
    const AttributeValue* value = find_attribute(key, attribute.name);
    return value && key_type_char(value->type()) == attribute.type;
  };
  if (key.size() != expected || !matches(table.key_schema.hash) ||
      (table.key_schema.range && !matches(*table.key_schema.range))) {
    return aws::fail(schema_mismatch());
  }
  const auto check = [&](const KeyAttribute& attribute, bool hash) -> aws::AwsResult<Ok> {
    const AttributeValue& value = *find_attribute(key, attribute.name);
    if (is_empty_key_value(value)) return aws::fail(empty_key(attribute.name, value));
    if (key_value_size(value) > (hash ? kMaxHashKeyBytes : kMaxRangeKeyBytes)) {
      return aws::fail(key_too_large(hash));
    }
    return Ok{};
  };
  if (auto ok = check(table.key_schema.hash, true); !ok) return ok;
  if (table.key_schema.range) return check(*table.key_schema.range, false);
  return Ok{};
}

}  // namespace trib::dynamodb::items
