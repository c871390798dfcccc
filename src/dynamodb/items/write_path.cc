#include "dynamodb/items/write_path.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <string_view>
#include <utility>

#include "dynamodb/errors.h"
#include "dynamodb/items/counters.h"
#include "dynamodb/items/index_entries.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/values/item_codec.h"

namespace trib::dynamodb::items {

namespace {

aws::AwsError internal_error() {
  return error(Error::kInternalServerError, "Internal server error");
}

// AWS's text is not recorded; the AWS developer guide's error table gives "Collection size
// exceeded" for ItemCollectionSizeLimitExceededException [V docs; the exact punctuation of
// the live message is a guess].
aws::AwsError item_collection_too_large() {
  return error(Error::kItemCollectionSizeLimitExceeded, "Collection size exceeded");
}

}  // namespace

double WriteOutcome::table_units() const {
  const size_t bytes = std::max(old_size, new_size);
  return static_cast<double>(std::max<size_t>(1, (bytes + 1023) / 1024));
}

double WriteOutcome::total_units() const {
  double total = table_units();
  for (const IndexUnits& u : index_units) total += u.units;
  return total;
}

aws::AwsResult<WriteOutcome> WritePath::write(const Table& table, const Item& key,
                                              const WriteStep& step, int64_t now_ms,
                                              WriteOrigin origin) const {
  const ItemWrite one{table, key, step};
  auto group = write_items(std::span<const ItemWrite>(&one, 1), now_ms, origin);
  if (!group) return aws::fail(std::move(group.error()));
  if (!group->step_errors.empty()) return aws::fail(std::move(*group->step_errors.front()));
  return std::move(group->outcomes.front());
}

namespace {

// The storage keys of one item of a write: its base key, its counter stripe's key and, for
// tables with a local index, its item collection's size key (empty otherwise).
struct ItemSlot {
  std::string item_key;
  std::string stripe_key;
  std::string collection_key;
};

ItemSlot item_slot(const ItemWrite& write) {
  const Table& table = write.table;
  const AttributeValue& partition_key = *find_attribute(write.key, table.key_schema.hash.name);
  const uint64_t hash = partition_key_hash(partition_key);
  return {write.item_key ? *write.item_key : base_item_key(table, write.key),
          counter_stripe_key(table.id, counter_stripe(hash), counter_sub_stripe()),
          has_local_index(table) ? collection_size_key(table, partition_key) : std::string()};
}

// Whether the key attributes (of `schema`) of `item` are exactly `key`; compares in place
// instead of copying them out (key_attributes) on every write.
bool holds_key(const KeySchema& schema, const Item& item, const Item& key) {
  size_t present = 0;
  for (const KeyAttribute* attribute : {&schema.hash, schema.range ? &*schema.range : nullptr}) {
    if (attribute == nullptr) continue;
    const AttributeValue* in_item = find_attribute(item, attribute->name);
    const AttributeValue* in_key = find_attribute(key, attribute->name);
    if ((in_item == nullptr) != (in_key == nullptr)) return false;
    if (in_item == nullptr) continue;
    if (!(*in_item == *in_key)) return false;
    ++present;
  }
  return present == key.size();
}

// Turns a step's decision on one item into outcome.kind/new_item and its writes (item, index
// entries) in `batch`, adding its counter deltas to `delta` and the change of its item
// collection's size (the item and its local index entries) to `collection_delta`. `stored` is
// the item's stored value (empty when absent).
storage::Status apply_decision(storage::Transaction& txn, const Table& table,
                               const std::string& item_key, const std::string& stored,
                               const Item& key, WriteDecision decision, int64_t now_ms,
                               WriteOutcome& outcome, CountsByIndex& delta,
                               int64_t& collection_delta) {
  std::string encoded;
  if (decision.action == WriteDecision::Action::kPut) {
    if (!holds_key(table.key_schema, decision.item, key)) {
      return storage::Status::invalid_argument("a write step changed the item's key");
    }
    encode_item(decision.item, encoded);
    if (outcome.old_item && encoded == stored) {
      decision.action = WriteDecision::Action::kKeep;  // identical: a no-op
    } else {
      outcome.new_item = std::move(decision.item);
      outcome.new_size = item_size(*outcome.new_item);
    }
  } else if (decision.action == WriteDecision::Action::kDelete && !outcome.old_item) {
    decision.action = WriteDecision::Action::kKeep;  // nothing to delete
  }
  if (decision.action == WriteDecision::Action::kKeep) outcome.new_item = outcome.old_item;

  const Item* old_image = outcome.old_item ? &*outcome.old_item : nullptr;
  const Item* new_image = outcome.new_item ? &*outcome.new_item : nullptr;
  switch (decision.action) {
    case WriteDecision::Action::kKeep:
      outcome.kind = ChangeKind::kNone;
      outcome.new_size = outcome.old_size;
      return storage::Status::ok();
    case WriteDecision::Action::kDelete:
      outcome.kind = ChangeKind::kRemove;
      break;
    case WriteDecision::Action::kPut:
      outcome.kind = old_image ? ChangeKind::kModify : ChangeKind::kInsert;
      break;
  }

  storage::WriteBatch& batch = txn.batch();
  if (outcome.kind == ChangeKind::kRemove) {
    batch.del(storage::Keyspace::kItems, item_key);
  } else {
    batch.put_owned(storage::Keyspace::kItems, std::string(item_key), std::move(encoded));
  }
  Counts& base = delta[kBaseTableIndexId];
  base.items += (new_image ? 1 : 0) - (old_image ? 1 : 0);
  const int64_t item_delta = static_cast<int64_t>(new_image ? outcome.new_size : 0) -
                             static_cast<int64_t>(old_image ? outcome.old_size : 0);
  base.bytes += item_delta;
  collection_delta += item_delta;
  for (IndexChange& change : index_changes(table, old_image, new_image)) {
    if (!change.index->global) {
      collection_delta += static_cast<int64_t>(change.after ? change.after->size : 0) -
                          static_cast<int64_t>(change.before ? change.before->size : 0);
    }
    if (change.before && is_backfilling(*change.index, now_ms)) {
      // The backfill may not have reached this item: only a stored entry is removed or
      // counted (backfill_index adds the entries it finds missing).
      std::string ignored;
      storage::Status present = txn.get(storage::Keyspace::kItems, change.before->key, &ignored);
      if (!present.is_ok() && !present.is_not_found()) return present;
      if (present.is_not_found()) change.before.reset();
    }
    if (!change.writes()) continue;
    change.apply(batch);
    outcome.index_units.push_back({change.index, change.write_units()});
    Counts& c = delta[change.index->id];
    c.items += (change.after ? 1 : 0) - (change.before ? 1 : 0);
    c.bytes += static_cast<int64_t>(change.after ? change.after->size : 0) -
               static_cast<int64_t>(change.before ? change.before->size : 0);
  }
  return storage::Status::ok();
}

}  // namespace

aws::AwsResult<WriteGroupOutcome> WritePath::write_items(std::span<const ItemWrite> writes,
                                                         int64_t now_ms, WriteOrigin origin,
                                                         const WriteGuard* guard) const {
  std::vector<ItemSlot> slots;
  slots.reserve(writes.size());
  std::vector<storage::LockKey> locks;
  locks.reserve(writes.size() * 3 + (guard ? guard->locks.size() : 0));
  for (const ItemWrite& w : writes) {
    slots.push_back(item_slot(w));
  }
  for (const ItemSlot& slot : slots) {
    locks.push_back({storage::Keyspace::kItems, slot.item_key});
    locks.push_back({storage::Keyspace::kItems, slot.stripe_key});
    // Writes to one partition key of a table with a local index serialise on its collection.
    if (!slot.collection_key.empty()) {
      locks.push_back({storage::Keyspace::kItems, slot.collection_key});
    }
  }
  // The change-capture consumers' own lock names (a stream chain's state key) for every item;
  // none for a table without a stream, so such writes lock what they always did. They join
  // the one sorted lock set, so overlapping transactions still lock in one global order.
  // (LockKey holds views: capture_keys is complete before any view is taken, and outlives the
  // transaction.)
  std::vector<std::string> capture_keys;
  if (change_capture) {
    for (const ItemWrite& w : writes) {
      const uint64_t hash =
          partition_key_hash(*find_attribute(w.key, w.table.key_schema.hash.name));
      change_capture->lock_keys(w.table, hash, capture_keys);
    }
    for (const std::string& name : capture_keys) {
      locks.push_back({storage::Keyspace::kItems, name});
    }
  }
  if (guard) {
    for (const auto& [keyspace, key] : guard->locks) locks.push_back({keyspace, key});
  }
  {
    std::vector<std::string_view> keys;
    for (const ItemSlot& slot : slots) keys.push_back(slot.item_key);
    std::sort(keys.begin(), keys.end());
    if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) {
      spdlog::error("a multi-item write names one item twice");
      return aws::fail(internal_error());
    }
  }

  WriteGroupOutcome group;
  std::optional<aws::AwsError> guard_error;
  // finished() runs after every transaction, even one left by an exception: a consumer may
  // hold something until then (the destination's direct append holds its Kinesis shard).
  struct Finish {
    ChangeCapture* capture;
    void run(bool committed) {
      if (capture) std::exchange(capture, nullptr)->finished(committed);
    }
    ~Finish() { run(false); }
  } finish{change_capture};
  const storage::Status status = engine.transact(
      locks,
      [&](storage::Transaction& txn) -> storage::Status {
        // Rebuilt on every run (an optimistic engine may run the body again).
        group = WriteGroupOutcome{};
        guard_error.reset();
        if (guard && guard->check) {
          auto go_on = guard->check(txn);
          if (!go_on) {
            guard_error = std::move(go_on.error());
            return storage::Status::aborted("write guard refused");
          }
          if (!*go_on) {
            group.stopped = true;
            return storage::Status::ok();  // nothing staged: nothing written
          }
        }
        // Every old item is read and every step run before anything is staged.
        group.outcomes.resize(writes.size());
        std::vector<std::string> stored;
        std::vector<storage::Status> reads;
        if (writes.size() == 1) {
          stored.resize(1);
          reads.push_back(txn.get(storage::Keyspace::kItems, slots[0].item_key, &stored[0]));
        } else {
          // All old items in one read (RocksDB MultiGet).
          std::vector<std::string_view> item_keys;
          item_keys.reserve(writes.size());
          for (const ItemSlot& slot : slots) item_keys.push_back(slot.item_key);
          txn.get_many(storage::Keyspace::kItems, item_keys, &stored, &reads);
        }
        std::vector<std::optional<WriteDecision>> decisions(writes.size());
        std::vector<std::optional<aws::AwsError>> errors(writes.size());
        bool failed = false;
        for (size_t i = 0; i < writes.size(); ++i) {
          WriteOutcome& outcome = group.outcomes[i];
          const storage::Status& read = reads[i];
          if (!read.is_ok() && !read.is_not_found()) return read;
          if (read.is_ok()) {
            outcome.old_item = decode_item(stored[i]);
            if (!outcome.old_item) {
              return storage::Status::corruption("undecodable item " + slots[i].item_key);
            }
            outcome.old_size = item_size(*outcome.old_item);
          }
          auto decided = writes[i].step(outcome.old_item);
          if (decided) {
            decisions[i] = std::move(*decided);
          } else {
            errors[i] = std::move(decided.error());
            failed = true;
          }
        }
        if (failed) {
          group.outcomes.clear();
          group.step_errors = std::move(errors);
          return storage::Status::aborted("a write step refused");
        }

        std::map<std::string_view, CountsByIndex> deltas;       // by counter stripe key
        std::map<std::string_view, int64_t> collection_deltas;  // by collection size key
        std::vector<int64_t> item_collection_deltas(writes.size(), 0);
        for (size_t i = 0; i < writes.size(); ++i) {
          WriteOutcome& outcome = group.outcomes[i];
          CountsByIndex delta;
          storage::Status applied = apply_decision(
              txn, writes[i].table, slots[i].item_key, stored[i], writes[i].key,
              std::move(*decisions[i]), now_ms, outcome, delta, item_collection_deltas[i]);
          if (!applied.is_ok()) return applied;
          if (!slots[i].collection_key.empty()) {
            collection_deltas[slots[i].collection_key] += item_collection_deltas[i];
          }
          if (outcome.kind != ChangeKind::kNone) {
            add_counts(deltas[slots[i].stripe_key], delta);
          }
          if (change_capture) {
            const Item* old_image = outcome.old_item ? &*outcome.old_item : nullptr;
            const Item* new_image = outcome.new_item ? &*outcome.new_item : nullptr;
            storage::Status captured =
                change_capture->capture(ItemChange{writes[i].table, old_image, new_image, now_ms,
                                                   outcome.kind, origin, writes.size() == 1},
                                        txn);
            if (!captured.is_ok()) return captured;
          }
        }
        // Item collections: the summed change per collection against its stored size. A
        // collection that grows past the limit fails every write that grew it
        // (ItemCollectionSizeLimitExceededException; in a transaction the reason
        // ItemCollectionSizeLimitExceeded, facts §13, §15); shrinking is always allowed.
        std::map<std::string_view, uint64_t> collection_sizes;  // after the writes
        bool too_large = false;
        for (const auto& [collection_key, delta] : collection_deltas) {
          std::string value;
          storage::Status got =
              txn.get(storage::Keyspace::kItems, std::string(collection_key), &value);
          if (!got.is_ok() && !got.is_not_found()) return got;
          const std::optional<uint64_t> before = got.is_ok() ? decode_collection_size(value) : 0;
          if (!before) {
            return storage::Status::corruption("undecodable collection size " +
                                               std::string(collection_key));
          }
          const uint64_t after =
              static_cast<uint64_t>(std::max<int64_t>(0, static_cast<int64_t>(*before) + delta));
          collection_sizes[collection_key] = after;
          if (delta > 0 && after > item_collection_limit_bytes) {
            too_large = true;
            for (size_t i = 0; i < writes.size(); ++i) {
              if (slots[i].collection_key == collection_key && item_collection_deltas[i] > 0) {
                errors[i] = item_collection_too_large();
              }
            }
          }
          if (delta == 0 || too_large) continue;
          if (after == 0) {
            txn.batch().del(storage::Keyspace::kItems, std::string(collection_key));
          } else {
            txn.batch().put(storage::Keyspace::kItems, std::string(collection_key),
                            encode_collection_size(after));
          }
        }
        if (too_large) {
          group.outcomes.clear();
          group.step_errors = std::move(errors);
          return storage::Status::aborted("item collection size limit");
        }
        for (size_t i = 0; i < writes.size(); ++i) {
          if (!slots[i].collection_key.empty()) {
            group.outcomes[i].collection_bytes = collection_sizes[slots[i].collection_key];
          }
        }
        for (const auto& [stripe_key, delta] : deltas) {
          if (delta.empty()) continue;
          storage::Status added = add_to_stripe(txn, std::string(stripe_key), delta);
          if (!added.is_ok()) return added;
        }
        if (guard && guard->commit) return guard->commit(txn.batch());
        return storage::Status::ok();
      },
      storage::WriteOptions{.sync = sync_writes});
  finish.run(status.is_ok());
  if (guard_error) return aws::fail(std::move(*guard_error));
  if (!group.step_errors.empty()) return group;
  if (!status.is_ok()) {
    spdlog::error("item write to table {} failed: {}",
                  writes.empty() ? std::string() : writes.front().table.key.name, status.message);
    return aws::fail(internal_error());
  }
  if (change_capture && !group.stopped) {
    // Once per table that changed, after the commit (a transaction may span tables; an
    // item's table is a catalog snapshot, so one table may come as several objects).
    std::vector<uint64_t> told;
    for (size_t i = 0; i < group.outcomes.size(); ++i) {
      if (group.outcomes[i].kind == ChangeKind::kNone) continue;
      const Table& table = writes[i].table;
      if (std::find(told.begin(), told.end(), table.id) != told.end()) continue;
      told.push_back(table.id);
      change_capture->committed(table);
    }
  }
  return group;
}

}  // namespace trib::dynamodb::items
