#include "dynamodb/ops/reads.h"

#include <algorithm>
#include <string_view>

#include "dynamodb/documents/projection.h"
#include "dynamodb/errors.h"
#include "dynamodb/expressions/request.h"
#include "dynamodb/items/index_entries.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/item_reads.h"
#include "dynamodb/items/item_requests.h"

namespace trib::dynamodb::ops {

namespace {

// "Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES" (and "... only the
// Count") [V: moto's AWS-verified test_select_attributes_to_get]; the ProjectionExpression form
// by analogy [D: DynamoDB Local's "Cannot specify the ProjectionExpression when choosing to get
// only the Count"].
aws::AwsError select_conflict(std::string_view member, std::string_view select) {
  return validation("Cannot specify the " + std::string(member) + " when choosing to get " +
                    std::string(select == "COUNT" ? "only the Count" : select));
}

}  // namespace

aws::AwsResult<ReadRequest> read_request(DynamoDbContext& ctx, const aws::RequestContext& request,
                                         const Input& input, ReadKind kind) {
  ReadRequest read;
  read.kind = kind;
  const bool query = kind == ReadKind::kQuery;
  const std::string_view filter_member = query ? "QueryFilter" : "ScanFilter";

  // Legacy and expression members mixed (facts §19 [V, rec] for the text). The lists follow
  // the model's member order [U].
  std::vector<std::string_view> legacy;
  std::vector<std::string_view> expression;
  for (std::string_view m :
       {std::string_view("AttributesToGet"), std::string_view(query ? "KeyConditions" : ""),
        filter_member, std::string_view("ConditionalOperator")}) {
    if (!m.empty() && input.find(m)) legacy.push_back(m);
  }
  for (std::string_view m :
       {"ProjectionExpression", "FilterExpression", query ? "KeyConditionExpression" : ""}) {
    if (!m.empty() && input.find(m)) expression.push_back(m);
  }
  if (auto e = expressions::mixed_parameters_error(legacy, expression)) return aws::fail(*e);

  expressions::RequestExpressions expressions;
  expressions.filter = input.string_member("FilterExpression");
  expressions.projection = input.string_member("ProjectionExpression");
  if (query) expressions.key_condition = input.string_member("KeyConditionExpression");
  expressions.names = input.find("ExpressionAttributeNames");
  expressions.values = input.find("ExpressionAttributeValues");
  static constexpr expressions::ExpressionKind kQueryKinds[] = {
      expressions::ExpressionKind::kKeyCondition, expressions::ExpressionKind::kFilter};
  static constexpr expressions::ExpressionKind kScanKinds[] = {
      expressions::ExpressionKind::kFilter};
  if (query) {
    expressions.accepted = kQueryKinds;
  } else {
    expressions.accepted = kScanKinds;
  }
  auto parsed = documents::parse_request(expressions, *read.values);
  if (!parsed) return aws::fail(std::move(parsed.error()));
  read.parsed = std::move(*parsed);

  const std::string* conditional_operator = input.string_member("ConditionalOperator");
  if (const aws::Value* filter = input.find(filter_member)) {
    auto conditions = documents::parse_conditions(*filter, conditional_operator);
    if (!conditions) return aws::fail(std::move(conditions.error()));
    read.legacy_filter = std::move(*conditions);
  }
  if (query) {
    if (const aws::Value* key_conditions = input.find("KeyConditions")) {
      auto conditions = documents::parse_conditions(*key_conditions, nullptr);
      if (!conditions) return aws::fail(std::move(conditions.error()));
      read.key_conditions = std::move(*conditions);
    }
  }
  if (const aws::Value* names = input.find("AttributesToGet"); names && names->is_list()) {
    std::vector<std::string> list;
    std::vector<std::string_view> views;
    for (const aws::Value& name : names->as_list()) {
      if (name.is_string()) list.push_back(name.as_string());
    }
    for (const std::string& name : list) views.push_back(name);
    if (auto e = documents::check_attributes_to_get(views)) return aws::fail(*e);
    read.attributes_to_get = std::move(list);
  }

  // Select, as dynalite checks it (its texts were taken from AWS) [P].
  const std::string* index_name = input.string_member("IndexName");
  const std::string* select = input.string_member("Select");
  const bool has_projection = read.attributes_to_get || read.parsed.projection;
  const std::string_view projection_member =
      read.attributes_to_get ? "AttributesToGet" : "ProjectionExpression";
  if (!select) {
    read.select = has_projection ? "SPECIFIC_ATTRIBUTES"
                  : index_name   ? "ALL_PROJECTED_ATTRIBUTES"
                                 : "ALL_ATTRIBUTES";
  } else {
    read.select = *select;
    if (read.select == "SPECIFIC_ATTRIBUTES") {
      if (!has_projection) {
        return aws::fail(validation(
            "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
            "SPECIFIC_ATTRIBUTES"));
      }
    } else {
      if (read.select == "ALL_PROJECTED_ATTRIBUTES" && !index_name) {
        return aws::fail(validation(
            "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"));
      }
      if (has_projection) return aws::fail(select_conflict(projection_member, read.select));
    }
  }

  if (!query) {
    // facts §10 [V, rec].
    const auto segment = input.int_member("Segment");
    const auto total = input.int_member("TotalSegments");
    if (total && !segment) {
      return aws::fail(validation(
          "The Segment parameter is required but was not present in the request when parameter "
          "TotalSegments is present"));
    }
    if (segment && !total) {
      return aws::fail(validation(
          "The TotalSegments parameter is required but was not present in the request when "
          "Segment parameter is present"));
    }
    if (segment && *segment >= *total) {
      return aws::fail(validation(
          "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
          "Segment: " +
          std::to_string(*segment) + " is not less than TotalSegments: " + std::to_string(*total)));
    }
  }

  if (const aws::Value* start = input.find("ExclusiveStartKey")) {
    auto key = item_from_wire(*start);
    if (!key) return aws::fail(std::move(key.error()));
    read.exclusive_start = std::move(*key);
  }

  const std::string* name = input.string_member("TableName");
  auto table = items::item_table(ctx, request, name ? *name : std::string_view());
  if (!table) return aws::fail(std::move(table.error()));
  read.table = std::move(*table);
  read.consistent = input.bool_member("ConsistentRead").value_or(false);
  if (index_name) {
    for (const SecondaryIndex& index : read.table->indexes) {
      if (index.name == *index_name && !index.is_gone(request.now_ms)) read.index = &index;
    }
    // facts §10 [P].
    if (!read.index) {
      return aws::fail(validation("The table does not have the specified index: " + *index_name));
    }
    if (read.index->global && read.consistent) {
      // facts §10 [V, rec].
      return aws::fail(
          validation("Consistent reads are not supported on global secondary indexes"));
    }
    if (read.index->global && read.select == "ALL_ATTRIBUTES" &&
        read.index->projection_type != "ALL") {
      // facts §10 [P].
      return aws::fail(invalid_parameter(
          "Select type ALL_ATTRIBUTES is not supported for global secondary index " +
          read.index->name + " because its projection type is not ALL"));
    }
    if (read.index->global && items::is_backfilling(*read.index, request.now_ms)) {
      // A global index added by UpdateTable is not readable until it is ACTIVE [P: AWS's text
      // as applications quote and handle it, e.g. in retry code for new indexes; the order
      // among the index checks is a guess].
      return aws::fail(
          validation("Cannot read from backfilling global secondary index: " + read.index->name));
    }
  }
  return read;
}

const KeySchema& read_key_schema(const ReadRequest& read) {
  return read.index ? read.index->key_schema : read.table->key_schema;
}

uint32_t read_index_id(const ReadRequest& read) {
  return read.index ? read.index->id : items::kBaseTableIndexId;
}

aws::AwsResult<std::optional<std::string>> start_key(const ReadRequest& read) {
  if (!read.exclusive_start) return std::optional<std::string>();
  const Item& start = *read.exclusive_start;
  const Table& table = *read.table;
  // Exactly the table's key attributes plus the index's (all of a multi-attribute key's), of
  // their types [P: dynalite validations (AWS's texts), facts §10].
  std::vector<const KeyAttribute*> expected = {&table.key_schema.hash};
  if (table.key_schema.range) expected.push_back(&*table.key_schema.range);
  if (read.index) {
    for (const KeyAttribute* k : read.index->key_schema.attributes()) {
      if (std::none_of(expected.begin(), expected.end(),
                       [&](const KeyAttribute* e) { return e->name == k->name; })) {
        expected.push_back(k);
      }
    }
  }
  const auto invalid = [] {
    return aws::fail(validation(
        "The provided starting key is invalid: The provided key element does not match the "
        "schema"));
  };
  if (start.size() != expected.size()) return invalid();
  for (const KeyAttribute* k : expected) {
    const AttributeValue* value = find_attribute(start, k->name);
    if (!value || items::key_type_char(value->type()) != k->type) return invalid();
  }
  if (auto ok = items::check_key(table, items::key_attributes(table.key_schema, start)); !ok) {
    return aws::fail(std::move(ok.error()));
  }
  if (!read.index) return std::optional<std::string>(items::base_item_key(table, start));
  auto entry = items::index_entry(table, *read.index, start);
  if (!entry) return invalid();
  return std::optional<std::string>(std::move(entry->key));
}

Output read_page(DynamoDbContext& ctx, const ReadRequest& read, const Input& input,
                 items::RangeRead range) {
  if (const auto limit = input.int_member("Limit"); limit && *limit > 0) {
    range.limit = static_cast<size_t>(*limit);
  }
  const bool count_only = read.select == "COUNT";
  // A local index whose projection is not ALL: AWS fetches each item from the table when the
  // read needs attributes the index does not hold ("Local secondary indexes", attribute
  // projections, AWS developer guide [V]). Tributary fetches whenever the read asks for all or
  // specific attributes or filters, then keeps only projected attributes for
  // ALL_PROJECTED_ATTRIBUTES. The fetches are not charged (docs/compatibility.md).
  const bool fetch_base =
      read.index && !read.index->global && read.index->projection_type != "ALL" &&
      (read.select == "ALL_ATTRIBUTES" || read.select == "SPECIFIC_ATTRIBUTES" ||
       read.parsed.filter || read.legacy_filter);
  std::vector<std::string_view> attribute_names;
  if (read.attributes_to_get) {
    for (const std::string& n : *read.attributes_to_get) attribute_names.push_back(n);
  }
  aws::Value found = aws::Value::list();
  size_t count = 0;
  std::optional<aws::AwsError> failure;
  const auto visit = [&](Item& stored) {
    if (failure) return;
    Item* item = &stored;
    std::optional<Item> base;
    if (fetch_base) {
      auto fetched = items::read_item(ctx.engine, *read.table,
                                      items::key_attributes(read.table->key_schema, stored));
      if (!fetched) {
        failure = std::move(fetched.error());
        return;
      }
      if (!*fetched) return;  // deleted since the snapshot: not counted
      base = std::move(**fetched);
      item = &*base;
    }
    if (read.parsed.filter && !documents::evaluate(*read.parsed.filter, item, *read.values)) {
      return;
    }
    if (read.legacy_filter && !documents::matches(*read.legacy_filter, item)) return;
    ++count;
    if (count_only) return;
    std::optional<Item> projected;
    if (base && read.select == "ALL_PROJECTED_ATTRIBUTES") {
      projected = items::project(*read.table, *read.index, *base);
      item = &*projected;
    }
    if (read.parsed.projection) {
      found.push(item_to_wire(documents::project(*item, *read.parsed.projection)));
    } else if (read.attributes_to_get) {
      found.push(item_to_wire(documents::project_attributes(*item, attribute_names)));
    } else {
      found.push(item_to_wire(std::move(*item)));
    }
  };
  // Every item evaluated is returned as stored: written to JSON from its encoding, undecoded.
  const bool as_stored = !fetch_base && !count_only && !read.parsed.filter && !read.legacy_filter &&
                         !read.parsed.projection && !read.attributes_to_get;
  auto result = as_stored ? items::read_range_to_wire(ctx.engine, *read.table, range, found)
                          : items::read_range(ctx.engine, *read.table, range, visit);
  if (!result) return aws::fail(std::move(result.error()));
  if (failure) return aws::fail(std::move(*failure));
  if (as_stored) count = result->scanned;

  aws::Value out = aws::Value::map();
  if (!count_only) out.set("Items", std::move(found));
  out.set("Count", static_cast<int64_t>(count));
  out.set("ScannedCount", static_cast<int64_t>(result->scanned));
  if (result->last) {
    Item key = items::key_attributes(read.table->key_schema, *result->last);
    if (read.index) {
      for (const auto& [n, v] : items::key_attributes(read.index->key_schema, *result->last)) {
        put_attribute(key, n, v);
      }
    }
    out.set("LastEvaluatedKey", item_to_wire(key));
  }
  if (const auto detail = items::capacity_detail(input); detail != items::CapacityDetail::kNone) {
    // facts §12 [V]: the sizes of all items read, summed, rounded up once; a global index is
    // always read eventually consistent and charged to the index.
    const bool consistent = read.consistent && !(read.index && read.index->global);
    items::TableCapacity capacity{read.table->key.name};
    const double units = items::read_units(result->bytes, consistent);
    if (read.index) {
      capacity.index_units.push_back({read.index, units});
    } else {
      capacity.table_units = units;
    }
    out.set("ConsumedCapacity", items::consumed_capacity(capacity, detail));
  }
  return out;
}

}  // namespace trib::dynamodb::ops
