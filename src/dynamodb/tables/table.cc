#include "dynamodb/tables/table.h"

#include <cstdio>
#include <ctime>

#include "aws/stored_document.h"
#include "util/arn.h"

namespace trib::dynamodb {

namespace {

constexpr uint8_t kTableValueVersion = 1;

aws::Value encode_key_attribute(const KeyAttribute& a) {
  return aws::Value(aws::ValueList{aws::Value(a.name), aws::Value(std::string(1, a.type))});
}

std::optional<KeyAttribute> decode_key_attribute(const aws::Value* v) {
  if (!v || !v->is_list() || v->as_list().size() != 2 || !v->as_list()[0].is_string() ||
      !v->as_list()[1].is_string() || v->as_list()[1].as_string().size() != 1) {
    return std::nullopt;
  }
  return KeyAttribute{v->as_list()[0].as_string(), v->as_list()[1].as_string()[0]};
}

// {"hash": [name, type], "range": [name, type], "more_hash": [[name, type], ...],
//  "more_range": [...]}; the last three only when present (a single-attribute schema is stored
// as before multi-attribute keys existed).
aws::Value encode_key_schema(const KeySchema& k) {
  aws::Value out = aws::Value::map();
  out.set("hash", encode_key_attribute(k.hash));
  if (k.range) out.set("range", encode_key_attribute(*k.range));
  for (const auto& [member, list] :
       {std::make_pair("more_hash", &k.more_hash), std::make_pair("more_range", &k.more_range)}) {
    if (list->empty()) continue;
    aws::Value encoded = aws::Value::list();
    for (const KeyAttribute& a : *list) encoded.push(encode_key_attribute(a));
    out.set(member, std::move(encoded));
  }
  return out;
}

std::optional<KeySchema> decode_key_schema(const aws::Value* v) {
  if (!v) return std::nullopt;
  auto hash = decode_key_attribute(v->find("hash"));
  if (!hash) return std::nullopt;
  KeySchema out{*hash, std::nullopt, {}, {}};
  if (const auto* range = v->find("range")) {
    out.range = decode_key_attribute(range);
    if (!out.range) return std::nullopt;
  }
  for (const auto& [member, list] : {std::make_pair("more_hash", &out.more_hash),
                                     std::make_pair("more_range", &out.more_range)}) {
    const aws::Value* encoded = v->find(member);
    if (!encoded) continue;
    if (!encoded->is_list()) return std::nullopt;
    for (const aws::Value& e : encoded->as_list()) {
      auto attribute = decode_key_attribute(&e);
      if (!attribute) return std::nullopt;
      list->push_back(std::move(*attribute));
    }
  }
  // More RANGE attributes need a first one; at most 4 of each kind (tables/schema.h).
  if (!out.more_range.empty() && !out.range) return std::nullopt;
  if (out.more_hash.size() > 3 || out.more_range.size() > 3) return std::nullopt;
  return out;
}

void set_optional(aws::Value& doc, const char* name, const std::optional<int64_t>& v) {
  if (v) doc.set(name, *v);
}

aws::Value encode_throughput(const ProvisionedThroughput& t) {
  aws::Value out = aws::Value::map();
  out.set("read", t.read_capacity_units);
  out.set("write", t.write_capacity_units);
  set_optional(out, "last_increase_ms", t.last_increase_ms);
  set_optional(out, "last_decrease_ms", t.last_decrease_ms);
  out.set("decreases_today", t.decreases_today);
  return out;
}

ProvisionedThroughput decode_throughput(const aws::Value* v) {
  ProvisionedThroughput t;
  if (!v) return t;
  t.read_capacity_units = v->int_member("read").value_or(0);
  t.write_capacity_units = v->int_member("write").value_or(0);
  t.last_increase_ms = v->int_member("last_increase_ms");
  t.last_decrease_ms = v->int_member("last_decrease_ms");
  t.decreases_today = v->int_member("decreases_today").value_or(0);
  return t;
}

aws::Value string_list(const std::vector<std::string>& strings) {
  aws::Value out = aws::Value::list();
  for (const auto& s : strings) out.push(s);
  return out;
}

std::vector<std::string> decode_strings(const aws::Value* v) {
  std::vector<std::string> out;
  if (!v || !v->is_list()) return out;
  for (const auto& s : v->as_list()) {
    if (s.is_string()) out.push_back(s.as_string());
  }
  return out;
}

std::string string_or(const aws::Value& doc, std::string_view name, std::string fallback) {
  const std::string* s = doc.string_member(name);
  return s ? *s : std::move(fallback);
}

}  // namespace

std::vector<const KeyAttribute*> KeySchema::hash_attributes() const {
  std::vector<const KeyAttribute*> out{&hash};
  for (const KeyAttribute& a : more_hash) out.push_back(&a);
  return out;
}

std::vector<const KeyAttribute*> KeySchema::range_attributes() const {
  std::vector<const KeyAttribute*> out;
  if (range) out.push_back(&*range);
  for (const KeyAttribute& a : more_range) out.push_back(&a);
  return out;
}

std::vector<const KeyAttribute*> KeySchema::attributes() const {
  std::vector<const KeyAttribute*> out = hash_attributes();
  for (const KeyAttribute* a : range_attributes()) out.push_back(a);
  return out;
}

bool KeySchema::has(std::string_view name) const {
  bool found = false;
  for_each([&](const KeyAttribute& a) { found = found || a.name == name; });
  return found;
}

std::string_view table_status_name(TableStatus status) {
  switch (status) {
    case TableStatus::kCreating:
      return "CREATING";
    case TableStatus::kActive:
      return "ACTIVE";
    case TableStatus::kUpdating:
      return "UPDATING";
    case TableStatus::kDeleting:
      return "DELETING";
  }
  return "ACTIVE";
}

std::string_view SecondaryIndex::status_name(int64_t now_ms) const {
  if (deleting_since_ms) return "DELETING";
  if (now_ms < active_at_ms) return "CREATING";
  if (now_ms < updating_until_ms) return "UPDATING";
  return "ACTIVE";
}

TableStatus Table::status(int64_t now_ms) const {
  if (deleting_since_ms) return TableStatus::kDeleting;
  if (now_ms < active_at_ms) return TableStatus::kCreating;
  if (now_ms < updating_until_ms) return TableStatus::kUpdating;
  return TableStatus::kActive;
}

std::string table_arn(const TableKey& key) {
  return "arn:aws:dynamodb:" + key.region + ":" + key.account + ":table/" + key.name;
}

std::string Table::arn() const { return table_arn(key); }

std::string Table::latest_stream_label() const { return stream_label(stream_label_ms); }

std::string stream_label(int64_t label_ms) {
  const std::time_t seconds = static_cast<std::time_t>(label_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(label_ms % 1000));
  return buffer;
}

std::string stream_arn(const TableKey& key, int64_t label_ms) {
  return table_arn(key) + "/stream/" + stream_label(label_ms);
}

const SecondaryIndex* Table::find_index(std::string_view name) const {
  for (const auto& index : indexes) {
    if (index.name == name) return &index;
  }
  return nullptr;
}

std::optional<TableKey> parse_table_arn(std::string_view arn) {
  // arn:<partition>:dynamodb:<region>:<account>:table/<name>
  const std::optional<ArnParts> parts = split_arn(arn);
  if (!parts || parts->prefix != "arn" || parts->service != "dynamodb" || parts->region.empty() ||
      parts->account.empty()) {
    return std::nullopt;
  }
  std::string_view rest = parts->resource;
  constexpr std::string_view kTable = "table/";
  if (rest.substr(0, kTable.size()) != kTable) return std::nullopt;
  rest.remove_prefix(kTable.size());
  if (rest.empty() || rest.find('/') != std::string_view::npos) return std::nullopt;
  return TableKey{std::string(parts->account), std::string(parts->region), std::string(rest)};
}

std::string encode_table(const Table& t) {
  using aws::Value;
  Value doc = Value::map();
  doc.set("id", static_cast<int64_t>(t.id));
  doc.set("account", t.key.account);
  doc.set("region", t.key.region);
  doc.set("name", t.key.name);
  doc.set("table_id", t.table_id);
  doc.set("created_ms", t.created_ms);
  doc.set("active_at_ms", t.active_at_ms);
  set_optional(doc, "deleting_since_ms", t.deleting_since_ms);
  doc.set("gone_at_ms", t.gone_at_ms);
  if (t.updating_until_ms) doc.set("updating_until_ms", t.updating_until_ms);
  Value definitions = Value::list();
  for (const auto& a : t.attribute_definitions) definitions.push(encode_key_attribute(a));
  doc.set("attributes", std::move(definitions));
  doc.set("key", encode_key_schema(t.key_schema));
  doc.set("billing_mode", t.billing_mode);
  set_optional(doc, "billing_mode_changed_ms", t.billing_mode_changed_ms);
  doc.set("throughput", encode_throughput(t.throughput));
  set_optional(doc, "max_read_request_units", t.max_read_request_units);
  set_optional(doc, "max_write_request_units", t.max_write_request_units);
  set_optional(doc, "warm_read_units", t.warm_read_units);
  set_optional(doc, "warm_write_units", t.warm_write_units);
  doc.set("table_class", t.table_class);
  doc.set("deletion_protection", t.deletion_protection);
  if (t.sse_enabled) {
    doc.set("sse_type", t.sse_type);
    doc.set("kms_master_key_id", t.kms_master_key_id);
  }
  if (!t.stream_view_type.empty()) doc.set("stream_view_type", t.stream_view_type);
  if (t.stream_label_ms != 0) {
    doc.set("stream_label_ms", t.stream_label_ms);
    if (!t.stream_enabled) doc.set("stream_disabled", true);
  }
  if (t.resource_policy) doc.set("resource_policy", *t.resource_policy);
  if (!t.resource_policy_revision.empty()) {
    doc.set("resource_policy_revision", t.resource_policy_revision);
  }
  if (!t.resource_policy_deleted_revision.empty()) {
    doc.set("resource_policy_deleted_revision", t.resource_policy_deleted_revision);
  }
  if (t.time_to_live.changed_ms) doc.set("ttl", encode_time_to_live(t.time_to_live));
  if (!t.contributor_insights.empty()) {
    doc.set("insights", encode_contributor_insights(t.contributor_insights));
  }
  if (t.pitr_enabled_ms) {
    doc.set("pitr_enabled_ms", *t.pitr_enabled_ms);
    doc.set("pitr_recovery_days", t.pitr_recovery_days);
  }
  doc.set("tags", aws::encode_stored_tags(t.tags));
  if (!t.kinesis_destinations.empty()) {
    doc.set("kinesis_destinations", encode_kinesis_destinations(t.kinesis_destinations));
  }
  Value indexes = Value::list();
  for (const auto& index : t.indexes) {
    Value iv = Value::map();
    iv.set("name", index.name);
    iv.set("global", index.global);
    iv.set("id", static_cast<int64_t>(index.id));
    iv.set("key", encode_key_schema(index.key_schema));
    iv.set("projection", index.projection_type);
    if (!index.non_key_attributes.empty()) {
      iv.set("non_key_attributes", string_list(index.non_key_attributes));
    }
    iv.set("throughput", encode_throughput(index.throughput));
    set_optional(iv, "max_read_request_units", index.max_read_request_units);
    set_optional(iv, "max_write_request_units", index.max_write_request_units);
    iv.set("created_ms", index.created_ms);
    iv.set("active_at_ms", index.active_at_ms);
    if (index.updating_until_ms) iv.set("updating_until_ms", index.updating_until_ms);
    set_optional(iv, "deleting_since_ms", index.deleting_since_ms);
    set_optional(iv, "gone_at_ms", index.gone_at_ms);
    indexes.push(std::move(iv));
  }
  doc.set("indexes", std::move(indexes));
  doc.set("next_index_id", static_cast<int64_t>(t.next_index_id));
  return aws::encode_stored_document(kTableValueVersion, doc);
}

std::optional<Table> decode_table(std::string_view bytes) {
  auto decoded = aws::decode_stored_document(bytes, kTableValueVersion);
  if (!decoded) return std::nullopt;
  const aws::Value& doc = *decoded;
  Table t;
  auto id = doc.int_member("id");
  const std::string* account = doc.string_member("account");
  const std::string* region = doc.string_member("region");
  const std::string* name = doc.string_member("name");
  auto key_schema = decode_key_schema(doc.find("key"));
  if (!id || !account || !region || !name || !key_schema) return std::nullopt;
  t.id = static_cast<uint64_t>(*id);
  t.key = TableKey{*account, *region, *name};
  t.table_id = string_or(doc, "table_id", "");
  t.created_ms = doc.int_member("created_ms").value_or(0);
  t.active_at_ms = doc.int_member("active_at_ms").value_or(0);
  t.deleting_since_ms = doc.int_member("deleting_since_ms");
  t.gone_at_ms = doc.int_member("gone_at_ms").value_or(std::numeric_limits<int64_t>::max());
  t.updating_until_ms = doc.int_member("updating_until_ms").value_or(0);
  if (const auto* definitions = doc.find("attributes"); definitions && definitions->is_list()) {
    for (const auto& a : definitions->as_list()) {
      auto attribute = decode_key_attribute(&a);
      if (!attribute) return std::nullopt;
      t.attribute_definitions.push_back(*attribute);
    }
  }
  t.key_schema = *key_schema;
  t.billing_mode = string_or(doc, "billing_mode", "PROVISIONED");
  t.billing_mode_changed_ms = doc.int_member("billing_mode_changed_ms");
  t.throughput = decode_throughput(doc.find("throughput"));
  t.max_read_request_units = doc.int_member("max_read_request_units");
  t.max_write_request_units = doc.int_member("max_write_request_units");
  t.warm_read_units = doc.int_member("warm_read_units");
  t.warm_write_units = doc.int_member("warm_write_units");
  t.table_class = string_or(doc, "table_class", "STANDARD");
  t.deletion_protection = doc.bool_member("deletion_protection").value_or(false);
  if (const std::string* sse = doc.string_member("sse_type")) {
    t.sse_enabled = true;
    t.sse_type = *sse;
    t.kms_master_key_id = string_or(doc, "kms_master_key_id", "");
  }
  if (const std::string* view = doc.string_member("stream_view_type")) {
    t.stream_enabled = !doc.bool_member("stream_disabled").value_or(false);
    t.stream_view_type = *view;
  }
  t.stream_label_ms = doc.int_member("stream_label_ms").value_or(0);
  if (const std::string* policy = doc.string_member("resource_policy")) t.resource_policy = *policy;
  t.resource_policy_revision = string_or(doc, "resource_policy_revision", "");
  t.resource_policy_deleted_revision = string_or(doc, "resource_policy_deleted_revision", "");
  t.time_to_live = decode_time_to_live(doc.find("ttl"));
  t.contributor_insights = decode_contributor_insights(doc.find("insights"));
  t.pitr_enabled_ms = doc.int_member("pitr_enabled_ms");
  t.pitr_recovery_days = doc.int_member("pitr_recovery_days").value_or(35);
  if (const auto* tags = doc.find("tags"); tags && tags->is_list()) {
    auto decoded_tags = aws::decode_stored_tags(*tags);
    if (!decoded_tags) return std::nullopt;
    t.tags = std::move(*decoded_tags);
  }
  if (const auto* destinations = doc.find("kinesis_destinations")) {
    auto decoded_destinations = decode_kinesis_destinations(*destinations);
    if (!decoded_destinations) return std::nullopt;
    t.kinesis_destinations = std::move(*decoded_destinations);
  }
  if (const auto* indexes = doc.find("indexes"); indexes && indexes->is_list()) {
    for (const auto& iv : indexes->as_list()) {
      SecondaryIndex index;
      const std::string* index_name = iv.string_member("name");
      auto index_key = decode_key_schema(iv.find("key"));
      if (!index_name || !index_key) return std::nullopt;
      index.name = *index_name;
      index.global = iv.bool_member("global").value_or(false);
      index.id = static_cast<uint32_t>(iv.int_member("id").value_or(0));
      index.key_schema = *index_key;
      index.projection_type = string_or(iv, "projection", "ALL");
      index.non_key_attributes = decode_strings(iv.find("non_key_attributes"));
      index.throughput = decode_throughput(iv.find("throughput"));
      index.max_read_request_units = iv.int_member("max_read_request_units");
      index.max_write_request_units = iv.int_member("max_write_request_units");
      index.created_ms = iv.int_member("created_ms").value_or(0);
      index.active_at_ms = iv.int_member("active_at_ms").value_or(0);
      index.updating_until_ms = iv.int_member("updating_until_ms").value_or(0);
      index.deleting_since_ms = iv.int_member("deleting_since_ms");
      index.gone_at_ms = iv.int_member("gone_at_ms");
      t.indexes.push_back(std::move(index));
    }
  }
  t.next_index_id = static_cast<uint32_t>(doc.int_member("next_index_id").value_or(1));
  return t;
}

}  // namespace trib::dynamodb
