// TransactWriteItems: up to 100 Put, Update, Delete and ConditionCheck actions over any tables
// of the account and region, applied atomically through the one write path
// (items::WritePath::write_items: one storage batch with every item, index entry, counter and
// change record, or nothing). Each action is parsed and checked by the code PutItem, UpdateItem
// and DeleteItem use (requests/item_writes.h).
//
// Which failures reject the request and which cancel it (facts §15; scylladb's
// test/alternator/test_transact.py, written to pass against AWS [P, AWS-checked]):
// - a ValidationException for the whole request: an action with not exactly one member, an
//   action's expressions or values (syntax, unused or missing names and values), the 4 MB
//   limit, two actions on one item; ResourceNotFoundException for a missing table;
// - TransactionCanceledException: the first action whose key does not match its table's schema
//   (reason ValidationError, every other action None), or, once everything was checked, every
//   action whose condition failed (ConditionalCheckFailed) or whose update is invalid on the
//   stored item (ValidationError), all of them listed; then every action that grew an item
//   collection past its limit (ItemCollectionSizeLimitExceeded, items/write_path.h).
//
// Isolation: the items are locked (in one global order) from the first read to the commit, so
// a concurrent transaction, BatchWriteItem or single-item write on one of them waits and then
// sees the commit: conflicting requests serialise, which is serializable and loses no update.
// AWS instead cancels one of two conflicting transactions (reason TransactionConflict) and
// rejects a single write to an item inside a running transaction with
// TransactionConflictException, "Operation was rejected because there is an ongoing
// transaction for the item" (botocore model; AWS developer guide, "Transaction conflict
// handling in DynamoDB", transaction-apis.html). We never send either: both are retryable on
// AWS, so clients written for AWS handle a server that never sends them (docs/compatibility.md).
//
// ClientRequestToken (transactions/idempotency_tokens.h): the token's record commits in the
// transaction's own batch under a lock on the token, so a replay either sees the transaction
// applied (and succeeds without writing) or runs it. A replay while the first request is still
// running waits for it, so TransactionInProgressException is never sent.
#include <spdlog/spdlog.h>

#include <memory>
#include <set>
#include <vector>

#include "dynamodb/errors.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/item_reads.h"
#include "dynamodb/items/item_requests.h"
#include "dynamodb/operations.h"
#include "dynamodb/requests/item_writes.h"
#include "dynamodb/transactions/cancellation.h"
#include "dynamodb/transactions/idempotency_tokens.h"
#include "dynamodb/transactions/limits.h"

namespace trib::dynamodb::ops {

namespace {

// Guess [U]: AWS's wording is not recorded in our sources.
constexpr std::string_view kOneActionMember =
    "TransactItems can only contain one of Check, Put, Update or Delete";
// Guess [U]: not recorded.
constexpr std::string_view kTokenMismatch =
    "The request uses the same client token as a previous, but non-identical request";

// Each expired token is deleted by some later transaction: a few per request.
constexpr size_t kTokensSweptPerRequest = 4;

struct Action {
  requests::WriteKind kind;
  const aws::Value* member;
};

aws::AwsResult<Action> action_of(const aws::Value& transact_item) {
  static constexpr std::pair<std::string_view, requests::WriteKind> kMembers[] = {
      {"ConditionCheck", requests::WriteKind::kConditionCheck},
      {"Put", requests::WriteKind::kPut},
      {"Delete", requests::WriteKind::kDelete},
      {"Update", requests::WriteKind::kUpdate}};
  std::optional<Action> found;
  for (const auto& [name, kind] : kMembers) {
    if (const aws::Value* member = transact_item.find(name)) {
      if (found) return aws::fail(validation(std::string(kOneActionMember)));
      found = Action{kind, member};
    }
  }
  if (!found) return aws::fail(validation(std::string(kOneActionMember)));
  return *found;
}

}  // namespace

Output transact_write_items(DynamoDbContext& ctx, const aws::RequestContext& request,
                            const Input& input) {
  // The model bounds TransactItems to 1-100 members (validated before this runs).
  const aws::Value* transact_items = input.find("TransactItems");
  if (!transact_items || !transact_items->is_list()) {
    return aws::fail(validation("The transactItems parameter is required"));
  }
  std::vector<std::unique_ptr<requests::ItemWriteRequest>> writes;
  size_t payload = 0;
  for (const aws::Value& transact_item : transact_items->as_list()) {
    auto action = action_of(transact_item);
    if (!action) return aws::fail(std::move(action.error()));
    auto& write = writes.emplace_back(
        std::make_unique<requests::ItemWriteRequest>(action->kind, *action->member));
    if (auto ok = write->parse(); !ok) return aws::fail(std::move(ok.error()));
    payload += write->payload_bytes();
  }
  if (payload > transactions::kMaxTransactionBytes) {
    return aws::fail(validation(std::string(transactions::kTransactionTooLarge)));
  }
  for (auto& write : writes) {
    if (auto ok = write->find_table(ctx, request); !ok) return aws::fail(std::move(ok.error()));
  }
  for (size_t i = 0; i < writes.size(); ++i) {
    if (auto ok = writes[i]->check_keys(); !ok) {
      std::vector<std::optional<aws::AwsError>> failures(writes.size());
      failures[i] = std::move(ok.error());
      return aws::fail(transactions::transaction_canceled(failures));
    }
  }
  // A Put too large with its local index entries is rejected like one too large by itself
  // (parse(); whether AWS cancels instead is not recorded).
  for (const auto& write : writes) {
    if (auto ok = write->check_local_index_size(); !ok) return aws::fail(std::move(ok.error()));
  }
  // Each item's storage key, computed once: for the duplicate check and for the write path.
  std::vector<std::string> item_keys;
  item_keys.reserve(writes.size());
  {
    std::set<std::string_view> seen;
    for (const auto& write : writes) {
      item_keys.push_back(items::base_item_key(write->table(), write->key()));
    }
    for (const std::string& key : item_keys) {
      if (!seen.insert(key).second) {
        return aws::fail(validation(std::string(transactions::kMultipleOperationsOnOneItem)));
      }
    }
  }

  const auto detail = items::capacity_detail(input);
  const std::string* token = input.string_member("ClientRequestToken");
  std::string token_key;
  std::string fingerprint;
  std::optional<items::WriteGuard> guard;
  if (token) {
    // "A change in other parameters" is a mismatch (API reference [V]): everything but the
    // token itself is fingerprinted.
    static constexpr std::string_view kNotFingerprinted[] = {"ClientRequestToken"};
    fingerprint = transactions::request_fingerprint(input, kNotFingerprinted);
    token_key = transactions::token_key(request.account, request.region, *token);
    // The guard's functions run after this block: they capture only what outlives it.
    guard = items::WriteGuard{
        {{storage::Keyspace::kMeta, token_key}},
        [&](storage::Transaction& txn) -> aws::AwsResult<bool> {
          std::string stored;
          const auto read = txn.get(storage::Keyspace::kMeta, token_key, &stored);
          const auto s =
              transactions::token_state(read.is_ok(), stored, fingerprint, request.now_ms);
          if (s == transactions::TokenState::kMismatch) {
            return aws::fail(
                error(Error::kIdempotentParameterMismatch, std::string(kTokenMismatch)));
          }
          return s == transactions::TokenState::kNew;
        },
        [&](storage::WriteBatch& batch) {
          transactions::record_token(batch, token_key, fingerprint, request.now_ms);
          return storage::Status::ok();
        }};
  }

  std::vector<items::ItemWrite> item_writes;
  item_writes.reserve(writes.size());
  for (size_t i = 0; i < writes.size(); ++i) {
    item_writes.push_back({writes[i]->table(), writes[i]->key(), writes[i]->step(), &item_keys[i]});
  }
  auto group = items::write_path(ctx).write_items(
      item_writes, request.now_ms, items::WriteOrigin::kRequest, guard ? &*guard : nullptr);
  if (token) {
    if (auto swept =
            transactions::sweep_expired_tokens(ctx.engine, request.now_ms, kTokensSweptPerRequest);
        !swept.is_ok()) {
      spdlog::warn("sweeping expired transaction tokens failed: {}", swept.message);
    }
  }
  if (!group) return aws::fail(std::move(group.error()));
  if (!group->step_errors.empty()) {
    return aws::fail(transactions::transaction_canceled(group->step_errors));
  }

  aws::Value out = aws::Value::map();
  items::CapacityByTable capacity;
  if (group->stopped) {
    // An identical replay: nothing written; the capacity is what reading the items costs
    // (API reference, ClientRequestToken [V]).
    if (detail != items::CapacityDetail::kNone) {
      for (const auto& write : writes) {
        auto item = items::read_item(ctx.engine, write->table(), write->key());
        if (!item) return aws::fail(std::move(item.error()));
        capacity.of(write->table()).table_units +=
            items::read_units(*item ? item_size(**item) : 0, /*consistent=*/true);
      }
      out.set("ConsumedCapacity",
              capacity.to_wire(detail, items::CapacityUnitsKind::kTransactionRead));
    }
    return out;
  }
  aws::Value metrics = aws::Value::map();
  for (size_t i = 0; i < writes.size(); ++i) {
    const Table& table = writes[i]->table();
    capacity.of(table).add_write(group->outcomes[i], /*factor=*/2);
    if (writes[i]->kind() != requests::WriteKind::kConditionCheck &&
        items::wants_item_collection_metrics(input, table)) {
      aws::Value* list = nullptr;
      for (auto& [name, value] : metrics.as_map()) {
        if (name == table.key.name) list = &value;
      }
      if (!list) list = &metrics.set(table.key.name, aws::Value::list()).as_map().back().second;
      list->push(items::item_collection_metrics(table, writes[i]->key(), group->outcomes[i]));
    }
  }
  if (detail != items::CapacityDetail::kNone) {
    out.set("ConsumedCapacity",
            capacity.to_wire(detail, items::CapacityUnitsKind::kTransactionWrite));
  }
  if (!metrics.as_map().empty()) out.set("ItemCollectionMetrics", std::move(metrics));
  return out;
}

}  // namespace trib::dynamodb::ops
