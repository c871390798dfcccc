// TransactGetItems: up to 100 Gets over any tables, all read from ONE storage snapshot, so
// the answer is a consistent view across the items: it shows every TransactWriteItems either
// wholly or not at all (a transaction commits in one atomic batch). Reads take no locks and
// never wait for writers.
//
// Checks (facts §15): a missing table is ResourceNotFoundException; a Key not matching its
// table's schema (an empty Key [V, rec]) cancels the transaction with ValidationError for that
// Get; two Gets of one item are refused with the TransactWriteItems text [U: assumed the same
// rule as TransactWriteItems]; more than 4 MB of items read is refused [U: text and error
// guessed, see transact_write_items.cc]. Capacity: 2 · ⌈size / 4 KB⌉ per item (facts §12).
#include <set>
#include <vector>

#include "dynamodb/errors.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/item_reads.h"
#include "dynamodb/items/item_requests.h"
#include "dynamodb/operations.h"
#include "dynamodb/requests/item_expressions.h"
#include "dynamodb/transactions/cancellation.h"
#include "dynamodb/transactions/limits.h"

namespace trib::dynamodb::ops {

namespace {

struct PlannedGet {
  Item key;
  requests::ReadProjection projection;
  TableCatalog::TablePtr table;
};

}  // namespace

Output transact_get_items(DynamoDbContext& ctx, const aws::RequestContext& request,
                          const Input& input) {
  // The model bounds TransactItems to 1-100 members, each with its required Get.
  const aws::Value* transact_items = input.find("TransactItems");
  if (!transact_items || !transact_items->is_list()) {
    return aws::fail(validation("The transactItems parameter is required"));
  }
  std::vector<PlannedGet> gets;
  for (const aws::Value& transact_item : transact_items->as_list()) {
    const aws::Value* get = transact_item.find("Get");
    const aws::Value empty = aws::Value::map();
    const aws::Value& member = get ? *get : empty;
    const aws::Value* wire_key = member.find("Key");
    auto key = item_from_wire(wire_key ? *wire_key : aws::Value::map());
    if (!key) return aws::fail(std::move(key.error()));
    auto projection = requests::read_projection(member);
    if (!projection) return aws::fail(std::move(projection.error()));
    gets.push_back(PlannedGet{std::move(*key), std::move(*projection), nullptr});
  }
  for (size_t i = 0; i < gets.size(); ++i) {
    const aws::Value* get = transact_items->as_list()[i].find("Get");
    const std::string* name = get ? get->string_member("TableName") : nullptr;
    auto table = items::item_table(ctx, request, name ? *name : std::string_view());
    if (!table) return aws::fail(std::move(table.error()));
    gets[i].table = std::move(*table);
  }
  for (size_t i = 0; i < gets.size(); ++i) {
    if (auto ok = items::check_key(*gets[i].table, gets[i].key); !ok) {
      std::vector<std::optional<aws::AwsError>> failures(gets.size());
      failures[i] = std::move(ok.error());
      return aws::fail(transactions::transaction_canceled(failures));
    }
  }
  {
    std::set<std::string> seen;
    for (const PlannedGet& get : gets) {
      if (!seen.insert(items::base_item_key(*get.table, get.key)).second) {
        return aws::fail(validation(std::string(transactions::kMultipleOperationsOnOneItem)));
      }
    }
  }

  const std::shared_ptr<const storage::Snapshot> snapshot = ctx.engine.snapshot();
  const auto detail = items::capacity_detail(input);
  items::CapacityByTable capacity;
  aws::Value responses = aws::Value::list();
  size_t bytes = 0;
  for (const PlannedGet& get : gets) {
    auto item = items::read_item(ctx.engine, *get.table, get.key, snapshot.get());
    if (!item) return aws::fail(std::move(item.error()));
    const size_t size = *item ? item_size(**item) : 0;
    bytes += size;
    if (bytes > transactions::kMaxTransactionBytes) {
      return aws::fail(validation(std::string(transactions::kTransactionTooLarge)));
    }
    capacity.of(*get.table).table_units += 2 * items::read_units(size, /*consistent=*/true);
    aws::Value response = aws::Value::map();
    if (*item) response.set("Item", item_to_wire(get.projection.apply(**item)));
    responses.push(std::move(response));
  }
  aws::Value out = aws::Value::map();
  if (detail != items::CapacityDetail::kNone) {
    out.set("ConsumedCapacity",
            capacity.to_wire(detail, items::CapacityUnitsKind::kTransactionRead));
  }
  out.set("Responses", std::move(responses));
  return out;
}

}  // namespace trib::dynamodb::ops
