#include "dynamodb/items/index_entries.h"

#include <algorithm>

#include "dynamodb/items/item_keys.h"
#include "dynamodb/values/item_codec.h"
#include "storage/keys.h"

namespace trib::dynamodb::items {

namespace {

double units_of(size_t bytes, size_t unit) {
  return static_cast<double>(std::max<size_t>(1, (bytes + unit - 1) / unit));
}

// A key attribute's value if present, of its defined type and not empty.
const AttributeValue* usable_key_value(const Item& item, const KeyAttribute& key) {
  const AttributeValue* value = find_attribute(item, key.name);
  if (!value || key_type_char(value->type()) != key.type) return nullptr;
  if (value->is(AttributeType::kS) && value->as_string().empty()) return nullptr;
  if (value->is(AttributeType::kB) && value->as_binary().empty()) return nullptr;
  return value;
}

}  // namespace

bool is_maintained(const SecondaryIndex& index) { return !index.deleting_since_ms.has_value(); }

bool is_backfilling(const SecondaryIndex& index, int64_t now_ms) {
  return index.global && now_ms < index.active_at_ms;
}

bool has_local_index(const Table& table) {
  return std::any_of(table.indexes.begin(), table.indexes.end(),
                     [](const SecondaryIndex& index) { return !index.global; });
}

size_t item_size_with_local_entries(const Table& table, const Item& item) {
  size_t size = item_size(item);
  for (const SecondaryIndex& index : table.indexes) {
    if (index.global || !is_maintained(index)) continue;
    if (auto entry = index_entry(table, index, item)) size += entry->size;
  }
  return size;
}

Item project(const Table& table, const SecondaryIndex& index, const Item& item) {
  if (index.projection_type == "ALL") return item;
  Item out = key_attributes(table.key_schema, item);
  for (const auto& [name, value] : key_attributes(index.key_schema, item)) {
    put_attribute(out, name, value);
  }
  if (index.projection_type == "INCLUDE") {
    for (const std::string& name : index.non_key_attributes) {
      if (const AttributeValue* value = find_attribute(item, name)) {
        put_attribute(out, name, *value);
      }
    }
  }
  return out;
}

std::optional<IndexEntry> index_entry(const Table& table, const SecondaryIndex& index,
                                      const Item& item) {
  const AttributeValue* hash = usable_key_value(item, index.key_schema.hash);
  if (!hash) return std::nullopt;
  const AttributeValue* range = nullptr;
  if (index.key_schema.range) {
    range = usable_key_value(item, *index.key_schema.range);
    if (!range) return std::nullopt;
  }
  IndexEntry entry;
  entry.key = index_range_prefix(table.id, index.id);
  entry.key.append(storage::KeyBuilder().u64(partition_key_hash(*hash)).str());
  append_key_component(entry.key, *hash);
  if (range) append_key_component(entry.key, *range);
  // The base table's key makes equal index keys distinct. A local index shares the table's
  // partition key, already in the key; a global one appends it.
  if (index.global) {
    append_key_component(entry.key, *find_attribute(item, table.key_schema.hash.name));
  }
  if (table.key_schema.range) {
    append_key_component(entry.key, *find_attribute(item, table.key_schema.range->name));
  }
  const Item projected = project(table, index, item);
  entry.size = item_size(projected);
  encode_item(projected, entry.value);
  return entry;
}

double IndexChange::write_units() const {
  if (before == after) return 0;
  if (before && after && before->key == after->key) {
    return units_of(std::max(before->size, after->size), 1024);
  }
  double units = 0;
  if (before) units += units_of(before->size, 1024);
  if (after) units += units_of(after->size, 1024);
  return units;
}

void IndexChange::apply(storage::WriteBatch& batch) const {
  if (before == after) return;
  if (before && (!after || before->key != after->key)) {
    batch.del(storage::Keyspace::kItems, before->key);
  }
  if (after) batch.put(storage::Keyspace::kItems, after->key, after->value);
}

std::vector<IndexChange> index_changes(const Table& table, const Item* old_item,
                                       const Item* new_item) {
  std::vector<IndexChange> out;
  out.reserve(table.indexes.size());
  for (const SecondaryIndex& index : table.indexes) {
    if (!is_maintained(index)) continue;
    IndexChange change;
    change.index = &index;
    if (old_item) change.before = index_entry(table, index, *old_item);
    if (new_item) change.after = index_entry(table, index, *new_item);
    out.push_back(std::move(change));
  }
  return out;
}

}  // namespace trib::dynamodb::items
