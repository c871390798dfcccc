#include "dynamodb/items/item_requests.h"

#include <algorithm>

#include "dynamodb/errors.h"
#include "dynamodb/tables/table_ref.h"

namespace trib::dynamodb::items {

aws::AwsResult<TableCatalog::TablePtr> item_table(const DynamoDbContext& ctx,
                                                  const aws::RequestContext& request,
                                                  std::string_view name_or_arn,
                                                  std::string_view member_path) {
  auto key = resolve_table_key(ctx, request, name_or_arn, member_path);
  if (!key) return aws::fail(std::move(key.error()));
  auto table = ctx.tables.find(*key, request.now_ms);
  if (table) {
    const TableStatus status = table->status(request.now_ms);
    if (status == TableStatus::kActive || status == TableStatus::kUpdating) return table;
  }
  return aws::fail(error(Error::kResourceNotFound, std::string(texts::kResourceNotFound)));
}

WritePath write_path(const DynamoDbContext& ctx) {
  return WritePath{ctx.engine, ctx.options.sync_writes, ctx.change_capture,
                   ctx.options.item_collection_limit_bytes};
}

CapacityDetail capacity_detail(const aws::Value& input) {
  const std::string* value = input.string_member("ReturnConsumedCapacity");
  if (!value) return CapacityDetail::kNone;
  if (*value == "TOTAL") return CapacityDetail::kTotal;
  if (*value == "INDEXES") return CapacityDetail::kIndexes;
  return CapacityDetail::kNone;
}

double read_units(size_t item_bytes, bool consistent) {
  const double units = static_cast<double>(std::max<size_t>(1, (item_bytes + 4095) / 4096));
  return consistent ? units : units / 2;
}

void TableCapacity::add_write(const WriteOutcome& outcome, double factor) {
  table_units += outcome.table_units() * factor;
  for (const IndexUnits& written : outcome.index_units) {
    auto it = std::find_if(index_units.begin(), index_units.end(),
                           [&](const IndexUnits& u) { return u.index == written.index; });
    if (it == index_units.end()) {
      index_units.push_back({written.index, written.units * factor});
    } else {
      it->units += written.units * factor;
    }
  }
}

double TableCapacity::total() const {
  double total = table_units;
  for (const IndexUnits& u : index_units) total += u.units;
  return total;
}

aws::Value consumed_capacity(const TableCapacity& capacity, CapacityDetail detail,
                             CapacityUnitsKind kind) {
  // A transaction's read or write units, beside CapacityUnits.
  const auto add_units = [&](aws::Value& out, double units) {
    out.set("CapacityUnits", units);
    if (kind == CapacityUnitsKind::kTransactionRead) out.set("ReadCapacityUnits", units);
    if (kind == CapacityUnitsKind::kTransactionWrite) out.set("WriteCapacityUnits", units);
  };
  aws::Value out = aws::Value::map();
  out.set("TableName", capacity.table_name);
  add_units(out, capacity.total());
  if (detail == CapacityDetail::kIndexes) {
    aws::Value table = aws::Value::map();
    add_units(table, capacity.table_units);
    out.set("Table", std::move(table));
    aws::Value global = aws::Value::map();
    aws::Value local = aws::Value::map();
    for (const IndexUnits& u : capacity.index_units) {
      aws::Value units = aws::Value::map();
      add_units(units, u.units);
      (u.index->global ? global : local).set(u.index->name, std::move(units));
    }
    if (!global.as_map().empty()) out.set("GlobalSecondaryIndexes", std::move(global));
    if (!local.as_map().empty()) out.set("LocalSecondaryIndexes", std::move(local));
  }
  return out;
}

TableCapacity& CapacityByTable::of(const Table& table) {
  for (TableCapacity& c : tables) {
    if (c.table_name == table.key.name) return c;
  }
  return tables.emplace_back(table.key.name);
}

aws::Value CapacityByTable::to_wire(CapacityDetail detail, CapacityUnitsKind kind) const {
  aws::Value out = aws::Value::list();
  for (const TableCapacity& c : tables) out.push(consumed_capacity(c, detail, kind));
  return out;
}

bool wants_item_collection_metrics(const aws::Value& input, const Table& table) {
  const std::string* value = input.string_member("ReturnItemCollectionMetrics");
  if (!value || *value != "SIZE") return false;
  return std::any_of(table.indexes.begin(), table.indexes.end(),
                     [](const SecondaryIndex& index) { return !index.global; });
}

std::pair<double, double> size_estimate_range_gb(uint64_t bytes) {
  const double lower = static_cast<double>(bytes >> 30);
  return {lower, lower + 1};
}

aws::Value item_collection_metrics(const Table& table, const Item& key,
                                   const WriteOutcome& outcome) {
  aws::Value out = aws::Value::map();
  Item collection_key;
  if (const AttributeValue* hash = find_attribute(key, table.key_schema.hash.name)) {
    collection_key.emplace_back(table.key_schema.hash.name, *hash);
  }
  out.set("ItemCollectionKey", item_to_wire(collection_key));
  const auto [lower, upper] = size_estimate_range_gb(outcome.collection_bytes.value_or(0));
  aws::Value range = aws::Value::list();
  range.push(lower);
  range.push(upper);
  out.set("SizeEstimateRangeGB", std::move(range));
  return out;
}

void add_write_reports(aws::Value& out, const aws::Value& input, const Table& table,
                       const Item& key, const WriteOutcome& outcome) {
  if (const auto detail = capacity_detail(input); detail != CapacityDetail::kNone) {
    TableCapacity capacity{table.key.name};
    capacity.add_write(outcome);
    out.set("ConsumedCapacity", consumed_capacity(capacity, detail));
  }
  if (wants_item_collection_metrics(input, table)) {
    out.set("ItemCollectionMetrics", item_collection_metrics(table, key, outcome));
  }
}

}  // namespace trib::dynamodb::items
