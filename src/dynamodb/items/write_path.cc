#include "dynamodb/items/write_path.h"

#include <spdlog/spdlog.h>

#include <algorithm>

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
  const std::string item_key = base_item_key(table, key);
  const uint64_t hash = partition_key_hash(*find_attribute(key, table.key_schema.hash.name));
  const std::string stripe_key = counter_stripe_key(table.id, counter_stripe(hash));
  // Tables with a local index: the item collection's size, one key per partition-key value,
  // locked with the item (writes to one partition key serialise on it).
  const bool collections = has_local_index(table);
  const std::string collection_key =
      collections ? collection_size_key(table, *find_attribute(key, table.key_schema.hash.name))
                  : std::string();
  std::vector<storage::LockKey> locks = {{storage::Keyspace::kItems, item_key},
                                         {storage::Keyspace::kItems, stripe_key}};
  if (collections) locks.push_back({storage::Keyspace::kItems, collection_key});

  // The consumers' own lock names (a stream partition's sequence counter); none for a table
  // without a stream, so such writes lock what they always did.
  std::vector<std::string> capture_keys;
  if (change_capture) change_capture->lock_keys(table, hash, capture_keys);
  for (const std::string& name : capture_keys) locks.push_back({storage::Keyspace::kItems, name});

  WriteOutcome outcome;
  std::optional<aws::AwsError> failure;
  const storage::Status status = engine.transact(
      locks,
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
        if (collections) {
          std::string value;
          storage::Status got = txn.get(storage::Keyspace::kItems, collection_key, &value);
          if (!got.is_ok() && !got.is_not_found()) return got;
          outcome.collection_bytes = got.is_ok() ? decode_collection_size(value) : 0;
          if (!outcome.collection_bytes) {
            return storage::Status::corruption("undecodable collection size " + collection_key);
          }
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
          int64_t collection_delta = base.bytes;  // the item and its local index entries
          for (IndexChange& change : index_changes(table, old_image, new_image)) {
            if (!change.index->global) {
              collection_delta += static_cast<int64_t>(change.after ? change.after->size : 0) -
                                  static_cast<int64_t>(change.before ? change.before->size : 0);
            }
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
          if (collections && collection_delta != 0) {
            // Writes that shrink a collection are always allowed (facts §13).
            const uint64_t before = *outcome.collection_bytes;
            const uint64_t after = static_cast<uint64_t>(
                std::max<int64_t>(0, static_cast<int64_t>(before) + collection_delta));
            if (collection_delta > 0 && after > item_collection_limit_bytes) {
              failure = item_collection_too_large();
              return storage::Status::aborted("item collection size limit");
            }
            outcome.collection_bytes = after;
            if (after == 0) {
              batch.del(storage::Keyspace::kItems, collection_key);
            } else {
              batch.put(storage::Keyspace::kItems, collection_key, encode_collection_size(after));
            }
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
              ItemChange{table, old_image, new_image, now_ms, outcome.kind, origin}, txn);
        }
        return storage::Status::ok();
      },
      storage::WriteOptions{.sync = sync_writes});
  if (failure) return aws::fail(std::move(*failure));
  if (!status.is_ok()) {
    spdlog::error("item write to table {} failed: {}", table.key.name, status.message);
    return aws::fail(internal_error());
  }
  return outcome;
}

}  // namespace trib::dynamodb::items
