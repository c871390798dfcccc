// BatchGetItem: up to 100 keys over any tables. Reads are always strongly consistent;
// ConsistentRead only decides the capacity charged. Responses has an entry for every table
// asked, UnprocessedKeys is always present (facts §14); keys whose items would take the
// response past 16 MB are returned unprocessed, as AWS does past its limit.
#include <set>

#include "dynamodb/errors.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/item_requests.h"
#include "dynamodb/operations.h"
#include "dynamodb/requests/item_expressions.h"
#include "dynamodb/requests/projected_reads.h"

namespace trib::dynamodb::ops {

namespace {

constexpr size_t kMaxKeys = 100;
constexpr size_t kMaxResponseBytes = 16 * 1024 * 1024;

struct TableReads {
  std::string name;  // as asked (the Responses key)
  const aws::Value* keys_and_attributes = nullptr;
  TableCatalog::TablePtr table;
  requests::ReadProjection projection;
  std::vector<Item> keys;
  std::vector<const aws::Value*> wire_keys;
};

}  // namespace

Output batch_get_item(DynamoDbContext& ctx, const aws::RequestContext& request,
                      const Input& input) {
  const aws::Value* request_items = input.find("RequestItems");
  // Model validation refuses a missing or empty map, in AWS's words for the wording chosen
  // (DynamoDbService's validation style).
  if (!request_items || !request_items->is_map()) return aws::fail(aws::errors::internal_failure());
  std::vector<TableReads> reads;
  size_t count = 0;
  for (const auto& [name, keys_and_attributes] : request_items->as_map()) {
    TableReads r;
    r.name = name;
    r.keys_and_attributes = &keys_and_attributes;
    auto projection = requests::read_projection(keys_and_attributes);
    if (!projection) return aws::fail(std::move(projection.error()));
    r.projection = std::move(*projection);
    if (const aws::Value* keys = keys_and_attributes.find("Keys"); keys && keys->is_list()) {
      for (const aws::Value& wire_key : keys->as_list()) {
        auto key = item_from_wire(wire_key);
        if (!key) return aws::fail(std::move(key.error()));
        r.keys.push_back(std::move(*key));
        r.wire_keys.push_back(&wire_key);
      }
    }
    count += r.keys.size();
    reads.push_back(std::move(r));
  }
  if (count > kMaxKeys) {
    // The model's text for TooManyItems (facts §14).
    return aws::fail(validation("Too many items requested for the BatchGetItem call"));
  }
  for (TableReads& r : reads) {
    auto table = items::item_table(ctx, request, r.name, "RequestItems");
    if (!table) return aws::fail(std::move(table.error()));
    r.table = std::move(*table);
  }
  for (TableReads& r : reads) {
    std::set<std::string> seen;
    for (const Item& key : r.keys) {
      if (auto ok = items::check_key(*r.table, key); !ok) return aws::fail(std::move(ok.error()));
      if (!seen.insert(items::base_item_key(*r.table, key)).second) {
        return aws::fail(validation("Provided list of item keys contains duplicates"));
      }
    }
  }

  const auto detail = items::capacity_detail(input);
  aws::Value responses = aws::Value::map();
  aws::Value unprocessed = aws::Value::map();
  aws::Value capacities = aws::Value::list();
  size_t response_bytes = 0;
  for (const TableReads& r : reads) {
    const bool consistent = r.keys_and_attributes->bool_member("ConsistentRead").value_or(false);
    items::TableCapacity capacity{r.table->key.name};
    aws::Value found = aws::Value::list();
    aws::Value left = aws::Value::list();
    for (size_t i = 0; i < r.keys.size(); ++i) {
      if (response_bytes > kMaxResponseBytes) {
        left.push(*r.wire_keys[i]);
        continue;
      }
      auto item = requests::read_projected_item(ctx.engine, *r.table, r.keys[i], r.projection);
      if (!item) return aws::fail(std::move(item.error()));
      capacity.table_units += items::read_units(*item ? (*item)->size : 0, consistent);
      if (!*item) continue;
      if (response_bytes + (*item)->projected_size > kMaxResponseBytes) {
        response_bytes = kMaxResponseBytes + 1;  // the rest is unprocessed
        left.push(*r.wire_keys[i]);
        continue;
      }
      response_bytes += (*item)->projected_size;
      found.push(std::move((*item)->item));
    }
    responses.set(r.name, std::move(found));
    if (!left.as_list().empty()) {
      aws::Value rest = aws::Value::map();
      for (const auto& [member, value] : r.keys_and_attributes->as_map()) {
        if (member != "Keys") rest.set(member, value);
      }
      rest.set("Keys", std::move(left));
      unprocessed.set(r.name, std::move(rest));
    }
    if (detail != items::CapacityDetail::kNone) {
      capacities.push(items::consumed_capacity(capacity, detail));
    }
  }
  aws::Value out = aws::Value::map();
  out.set("Responses", std::move(responses));
  out.set("UnprocessedKeys", std::move(unprocessed));
  if (detail != items::CapacityDetail::kNone) out.set("ConsumedCapacity", std::move(capacities));
  return out;
}

}  // namespace trib::dynamodb::ops
