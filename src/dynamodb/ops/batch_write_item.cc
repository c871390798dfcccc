// BatchWriteItem: up to 25 puts and deletes over any tables, not atomic as a whole (as on
// AWS): the writes to one partition key of a table go through the write path together, in
// one WritePath::write_items (one lock set, one read and write of the counter stripe, one
// storage batch), so a batch of one partition costs one commit instead of one per item, and
// an atomic write still never spans two partitions (DESIGN.md, scale-out rule 1). Different
// partitions commit one after the other. Everything is checked before anything is written: a
// missing table or a bad key fails the whole call (DynamoDB Local probe recorded by
// ddbsqlite's conformance notes; AWS documents the same). A partition whose item collection
// would pass the limit writes none of its items and fails the call
// (ItemCollectionSizeLimitExceededException); partitions committed before it stay written.
// Nothing is left unprocessed: UnprocessedItems is always `{}` (facts §14). 25 items of at
// most 400 KB cannot reach the 16 MB request limit.
#include <set>

#include "dynamodb/errors.h"
#include "dynamodb/items/index_entries.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/item_requests.h"
#include "dynamodb/operations.h"

namespace trib::dynamodb::ops {

namespace {

constexpr size_t kMaxWrites = 25;

struct PlannedWrite {
  bool put = false;
  Item item;  // put: the item; delete: the key
  Item key;
  std::string item_key;  // base_item_key of `key`, computed once for both uses
};

struct TableWrites {
  TableCatalog::TablePtr table;
  std::vector<PlannedWrite> writes;
};

// The positions of `writes` grouped by partition-key value, groups in order of first
// appearance, positions ascending.
std::vector<std::vector<size_t>> partition_groups(const Table& table,
                                                  const std::vector<PlannedWrite>& writes) {
  std::vector<const AttributeValue*> partition_keys;
  std::vector<std::vector<size_t>> groups;
  for (size_t i = 0; i < writes.size(); ++i) {
    const AttributeValue* partition_key = find_attribute(writes[i].key, table.key_schema.hash.name);
    size_t g = 0;
    while (g < partition_keys.size() && !(*partition_keys[g] == *partition_key)) ++g;
    if (g == partition_keys.size()) {
      partition_keys.push_back(partition_key);
      groups.emplace_back();
    }
    groups[g].push_back(i);
  }
  return groups;
}

}  // namespace

Output batch_write_item(DynamoDbContext& ctx, const aws::RequestContext& request,
                        const Input& input) {
  const aws::Value* request_items = input.find("RequestItems");
  // Model validation refuses a missing or empty map, in AWS's words for the wording chosen
  // (DynamoDbService's validation style).
  if (!request_items || !request_items->is_map()) return aws::fail(aws::errors::internal_failure());
  // Shape of every request first (values, sizes, count), then tables, then keys.
  std::vector<std::pair<std::string, std::vector<PlannedWrite>>> planned;
  size_t count = 0;
  for (const auto& [name, requests] : request_items->as_map()) {
    std::vector<PlannedWrite> writes;
    if (requests.is_list()) {
      for (const aws::Value& write_request : requests.as_list()) {
        const aws::Value* put = write_request.find("PutRequest");
        const aws::Value* del = write_request.find("DeleteRequest");
        if ((put == nullptr) == (del == nullptr)) {
          // Guess (not captured): AWS's text for a WriteRequest with neither or both members.
          return aws::fail(invalid_parameter(
              "A WriteRequest must contain exactly one of PutRequest or DeleteRequest"));
        }
        const aws::Value* value = put ? put->find("Item") : del->find("Key");
        auto item = value ? item_from_wire(*value) : item_from_wire(aws::Value::map());
        if (!item) return aws::fail(std::move(item.error()));
        if (put && item_size(*item) > items::kMaxItemBytes) {
          return aws::fail(validation(std::string(items::kItemTooLarge)));
        }
        writes.push_back(PlannedWrite{put != nullptr, std::move(*item), {}, {}});
      }
    }
    count += writes.size();
    planned.emplace_back(name, std::move(writes));
  }
  if (count > kMaxWrites) {
    // dynalite's and DynamoDB Local's text.
    return aws::fail(validation("Too many items requested for the BatchWriteItem call"));
  }
  std::vector<TableWrites> tables;
  for (auto& [name, writes] : planned) {
    auto table = items::item_table(ctx, request, name, "RequestItems");
    if (!table) return aws::fail(std::move(table.error()));
    tables.push_back(TableWrites{std::move(*table), std::move(writes)});
  }
  for (TableWrites& t : tables) {
    std::set<std::string_view> seen;
    for (PlannedWrite& w : t.writes) {
      if (w.put) {
        auto key = items::check_item_keys(*t.table, w.item);
        if (!key) return aws::fail(std::move(key.error()));
        if (items::item_size_with_local_entries(*t.table, w.item) > items::kMaxItemBytes) {
          return aws::fail(validation(std::string(items::kItemTooLarge)));
        }
        w.key = std::move(*key);
      } else {
        if (auto ok = items::check_key(*t.table, w.item); !ok)
          return aws::fail(std::move(ok.error()));
        w.key = w.item;
      }
      w.item_key = items::base_item_key(*t.table, w.key);
      if (!seen.insert(w.item_key).second) {
        return aws::fail(validation("Provided list of item keys contains duplicates"));
      }
    }
  }

  const items::WritePath path = items::write_path(ctx);
  const auto detail = items::capacity_detail(input);
  aws::Value capacities = aws::Value::list();
  aws::Value metrics = aws::Value::map();
  for (const TableWrites& t : tables) {
    items::TableCapacity capacity{t.table->key.name};
    const bool wants_metrics = items::wants_item_collection_metrics(input, *t.table);
    aws::Value table_metrics = aws::Value::list();
    std::vector<items::WriteOutcome> outcomes(t.writes.size());
    for (const std::vector<size_t>& group : partition_groups(*t.table, t.writes)) {
      std::vector<items::ItemWrite> group_writes;
      group_writes.reserve(group.size());
      for (size_t i : group) {
        const PlannedWrite& w = t.writes[i];
        group_writes.push_back(items::ItemWrite{
            *t.table, w.key,
            [&w](const std::optional<Item>&) -> aws::AwsResult<items::WriteDecision> {
              return w.put ? items::WriteDecision::put(w.item) : items::WriteDecision::remove();
            },
            &w.item_key});
      }
      auto written = path.write_items(group_writes, request.now_ms);
      if (!written) return aws::fail(std::move(written.error()));
      // Steps never refuse here; an item collection grown past the limit does.
      for (std::optional<aws::AwsError>& step_error : written->step_errors) {
        if (step_error) return aws::fail(std::move(*step_error));
      }
      for (size_t k = 0; k < group.size(); ++k) {
        outcomes[group[k]] = std::move(written->outcomes[k]);
      }
    }
    for (size_t i = 0; i < t.writes.size(); ++i) {
      capacity.add_write(outcomes[i]);
      if (wants_metrics) {
        table_metrics.push(items::item_collection_metrics(*t.table, t.writes[i].key, outcomes[i]));
      }
    }
    if (detail != items::CapacityDetail::kNone) {
      capacities.push(items::consumed_capacity(capacity, detail));
    }
    if (wants_metrics) metrics.set(t.table->key.name, std::move(table_metrics));
  }
  aws::Value out = aws::Value::map();
  out.set("UnprocessedItems", aws::Value::map());
  if (detail != items::CapacityDetail::kNone) out.set("ConsumedCapacity", std::move(capacities));
  if (!metrics.as_map().empty()) out.set("ItemCollectionMetrics", std::move(metrics));
  return out;
}

}  // namespace trib::dynamodb::ops
