#include "dynamodb/items/write_path.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "dynamodb/errors.h"
#include "dynamodb/items/counters.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/values/item_codec.h"

namespace trib::dynamodb::items {

namespace {

aws::AwsError internal_error() {
  return error(Error::kInternalServerError, "Internal server error");
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
  const std::string item_key = base_item_key(table, key);
  const uint64_t hash = partition_key_hash(*find_attribute(key, table.key_schema.hash.name));
  const std::string stripe_key = counter_stripe_key(table.id, counter_stripe(hash));

  WriteOutcome outcome;
  std::optional<aws::AwsError> failure;
  const storage::Status status = engine.transact(
      {{storage::Keyspace::kItems, item_key}, {storage::Keyspace::kItems, stripe_key}},
      [&](storage::Transaction& txn) -> storage::Status {
        // Rebuilt on every run (an optimistic engine may run the body again).
        outcome = WriteOutcome{};
        failure.reset();
        std::string stored;
        storage::Status read = txn.get(storage::Keyspace::kItems, item_key, &stored);
        if (!read.is_ok() && !read.is_not_found()) return read;
        if (read.is_ok()) {
          outcome.old_item = decode_item(stored);
          if (!outcome.old_item) return storage::Status::corruption("undecodable item " + item_key);
          outcome.old_size = item_size(*outcome.old_item);
        }

        auto decided = step(outcome.old_item);
        if (!decided) {
          failure = std::move(decided.error());
          return storage::Status::aborted("write step refused");
        }
        WriteDecision& decision = *decided;
        std::string encoded;
        if (decision.action == WriteDecision::Action::kPut) {
          if (key_attributes(table.key_schema, decision.item) != key) {
            return storage::Status::invalid_argument("a write step changed the item's key");
          }
          encode_item(decision.item, encoded);
          if (read.is_ok() && encoded == stored) {
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
            break;
          case WriteDecision::Action::kDelete:
            outcome.kind = ChangeKind::kRemove;
            break;
          case WriteDecision::Action::kPut:
            outcome.kind = old_image ? ChangeKind::kModify : ChangeKind::kInsert;
            break;
        }

        storage::WriteBatch& batch = txn.batch();
        if (outcome.kind != ChangeKind::kNone) {
          CountsByIndex delta;
          if (outcome.kind == ChangeKind::kRemove) {
            batch.del(storage::Keyspace::kItems, item_key);
          } else {
            batch.put_owned(storage::Keyspace::kItems, std::string(item_key), std::move(encoded));
          }
          Counts& base = delta[kBaseTableIndexId];
          base.items = (new_image ? 1 : 0) - (old_image ? 1 : 0);
          base.bytes = static_cast<int64_t>(new_image ? outcome.new_size : 0) -
                       static_cast<int64_t>(old_image ? outcome.old_size : 0);
          for (IndexChange& change : index_changes(table, old_image, new_image)) {
            if (change.before && is_backfilling(*change.index, now_ms)) {
              // The backfill may not have reached this item: only a stored entry is removed
              // or counted (backfill_index adds the entries it finds missing).
              std::string ignored;
              storage::Status present =
                  txn.get(storage::Keyspace::kItems, change.before->key, &ignored);
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
          std::string stripe_value;
          storage::Status counter = txn.get(storage::Keyspace::kItems, stripe_key, &stripe_value);
          if (!counter.is_ok() && !counter.is_not_found()) return counter;
          std::optional<CountsByIndex> counts =
              counter.is_ok() ? decode_counts(stripe_value) : CountsByIndex{};
          if (!counts) return storage::Status::corruption("undecodable counter " + stripe_key);
          add_counts(*counts, delta);
          if (counts->empty()) {
            batch.del(storage::Keyspace::kItems, stripe_key);
          } else {
            batch.put(storage::Keyspace::kItems, stripe_key, encode_counts(*counts));
          }
        }
        if (change_capture) {
          return change_capture->capture(
              ItemChange{table, old_image, new_image, now_ms, outcome.kind, origin}, batch);
        }
        return storage::Status::ok();
      },
      storage::WriteOptions{.sync = sync_writes});
  if (failure) return aws::fail(std::move(*failure));
  if (!status.is_ok()) {
    spdlog::error("item write to table {} failed: {}", table.key.name, status.message);
    return aws::fail(internal_error());
  }
  if (change_capture && outcome.kind != ChangeKind::kNone) change_capture->committed(table);
  return outcome;
}

}  // namespace trib::dynamodb::items
