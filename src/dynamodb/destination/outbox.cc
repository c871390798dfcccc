#include "dynamodb/destination/outbox.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "dynamodb/destination/delivery.h"
#include "dynamodb/destination/record.h"
#include "dynamodb/items/counters.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/tables/schema.h"
#include "dynamodb/tables/table_catalog.h"
#include "dynamodb/values/item_codec.h"
#include "storage/keys.h"
#include "util/big_endian.h"

namespace trib::dynamodb::destination {

namespace {

constexpr uint8_t kEntryVersion = 1;
constexpr size_t kPartitionKeyBytes = 32;

std::string outbox_prefix(uint64_t table_id) {
  return storage::KeyBuilder().raw(table_items_prefix(table_id)).u32(items::kOutboxRangeId).take();
}

// The tables whose changes capture() put in the outbox on this thread since their last
// committed() (the write path calls both on the writing thread), with the stripes written (bit
// i: stripe i): only writes that captured wake the delivery job, for those stripes. A write that
// captured but then failed leaves its table here; its next commit wakes the job once more than
// needed, which is harmless.
struct Captured {
  uint64_t table_id;
  uint64_t stripes;
};
thread_local std::vector<Captured> captured_on_this_thread;

// Records this thread's current write appended straight to the Kinesis record log (the direct
// path): each holds its target shard until finished() publishes or abandons it.
struct Direct {
  uint64_t table_id;
  TableKey key;
  KinesisSink::Finish finish;
};
thread_local std::vector<Direct> direct_on_this_thread;
static_assert(items::kCounterStripes <= 64, "a stripe set is one 64-bit mask");

// Microseconds within the current millisecond, for MICROSECOND precision: the one clock counts
// milliseconds; the system clock supplies the rest.
int64_t sub_millisecond_micros() {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  return micros % 1000;
}

}  // namespace

std::string outbox_begin(uint64_t table_id) { return outbox_prefix(table_id); }
std::string outbox_end(uint64_t table_id) {
  return storage::KeyBuilder()
      .raw(table_items_prefix(table_id))
      .u32(items::kOutboxRangeId + 1)
      .take();
}

std::string outbox_key(uint64_t table_id, int stripe, uint64_t sequence) {
  return storage::KeyBuilder()
      .raw(outbox_prefix(table_id))
      .u8(static_cast<uint8_t>(stripe))
      .u64(sequence)
      .take();
}

bool decode_outbox_key(uint64_t table_id, std::string_view key, int* stripe, uint64_t* sequence) {
  const std::string prefix = outbox_prefix(table_id);
  if (key.size() != prefix.size() + 9 || key.substr(0, prefix.size()) != prefix) return false;
  storage::KeyReader reader(key.substr(prefix.size()));
  uint8_t stored_stripe = 0;
  if (!reader.u8(&stored_stripe) || !reader.u64(sequence)) return false;
  if (stored_stripe >= items::kCounterStripes) return false;
  *stripe = stored_stripe;
  return true;
}

std::string encode_outbox_entry(const OutboxEntry& entry) {
  std::string out;
  out.reserve(3 + entry.stream_arn.size() + kPartitionKeyBytes + entry.data.size());
  out.push_back(static_cast<char>(kEntryVersion));
  util::append_big_endian<2>(out, entry.stream_arn.size());
  out.append(entry.stream_arn);
  out.append(entry.partition_key);
  out.append(entry.data);
  return out;
}

std::optional<OutboxEntry> decode_outbox_entry(std::string_view value) {
  if (value.size() < 3 || static_cast<uint8_t>(value[0]) != kEntryVersion) return std::nullopt;
  const size_t arn_length = util::load_big_endian(value.data() + 1, 2);
  if (value.size() < 3 + arn_length + kPartitionKeyBytes) return std::nullopt;
  OutboxEntry entry;
  entry.stream_arn = value.substr(3, arn_length);
  entry.partition_key = value.substr(3 + arn_length, kPartitionKeyBytes);
  entry.data = value.substr(3 + arn_length + kPartitionKeyBytes);
  return entry;
}

storage::Status Outbox::table_state(uint64_t table_id, TableState** out) {
  // Called with mutex_ held.
  auto found = tables_.find(table_id);
  if (found == tables_.end()) {
    // One seek to the last entry of each stripe: the table's next sequence, and where each
    // stripe's stored entries end.
    storage::IteratorOptions options;
    options.lower_bound = outbox_begin(table_id);
    options.upper_bound = outbox_end(table_id);
    auto it = engine_.iterate(storage::Keyspace::kItems, options);
    TableState state;
    const std::string prefix = outbox_prefix(table_id);
    for (int stripe = 0; stripe < items::kCounterStripes; ++stripe) {
      it->seek_for_prev(storage::KeyBuilder()
                            .raw(prefix)
                            .u8(static_cast<uint8_t>(stripe))
                            .u64(~uint64_t{0})
                            .take());
      if (!it->valid()) {
        // Each seek starts afresh: a read error must be seen before the next one hides it.
        if (!it->status().is_ok()) return it->status();
        continue;
      }
      storage::KeyReader reader(it->key().substr(prefix.size()));
      uint8_t at_stripe = 0;
      uint64_t stored = 0;
      if (reader.u8(&at_stripe) && reader.u64(&stored) && at_stripe == stripe) {
        state.next_sequence = std::max(state.next_sequence, stored + 1);
        state.stripe_end[stripe] = stored + 1;
      }
    }
    if (!it->status().is_ok()) return it->status();
    found = tables_.emplace(table_id, state).first;
  }
  *out = &found->second;
  return storage::Status::ok();
}

bool Outbox::stripe_delivered(uint64_t table_id, int stripe) {
  uint64_t end = 0;
  {
    std::lock_guard lock(mutex_);
    TableState* state = nullptr;
    if (!table_state(table_id, &state).is_ok()) return false;
    end = state->stripe_end[stripe];
  }
  return end == 0 || delivery_.delivered_below(table_id, stripe, end);
}

storage::Status Outbox::next_sequence(uint64_t table_id, int stripe, uint64_t* sequence) {
  std::lock_guard lock(mutex_);
  TableState* state = nullptr;
  if (auto status = table_state(table_id, &state); !status.is_ok()) return status;
  *sequence = state->next_sequence++;
  // Set before the commit, under the stripe's lock: a direct append of the same stripe waits
  // until delivery has passed this entry (or a later one, should this write fail).
  state->stripe_end[stripe] = *sequence + 1;
  return storage::Status::ok();
}

storage::Status Outbox::capture(const items::ItemChange& change, storage::Transaction& txn) {
  if (change.kind == items::ChangeKind::kNone) return storage::Status::ok();
  const Table& table = change.table;
  const KinesisDestination* destination = nullptr;
  for (const KinesisDestination& d : table.kinesis_destinations) {
    if (d.captures_at(change.time_ms)) {
      destination = &d;
      break;
    }
  }
  if (!destination) return storage::Status::ok();

  const bool microseconds = destination->microseconds();
  const int64_t creation_time =
      microseconds ? change.time_ms * 1000 + sub_millisecond_micros() : change.time_ms;
  const std::string data =
      destination_record(change, destination_event_id(), creation_time, microseconds);
  const Item& image = change.new_image ? *change.new_image : *change.old_image;
  const std::string partition_key = destination_partition_key(table, image);
  const AttributeValue* hash_key = find_attribute(image, table.key_schema.hash.name);
  if (!hash_key) return storage::Status::invalid_argument("an item change without its key");
  const int stripe = items::counter_stripe(partition_key_hash(*hash_key));

  // The direct path (docs/kinesis-destination.md, "Appending in the item's batch"): the Kinesis
  // record commits in the item's own batch. Only for a write of one item to an ACTIVE
  // destination whose stripe has nothing left in the outbox (this change must not overtake an
  // earlier one of the same item still there); anything the sink cannot take now (no usable
  // stream, a record too large, a shard closed by a reshard) goes through the outbox.
  if (change.single_item && destination->status_at(change.time_ms) == "ACTIVE" &&
      stripe_delivered(table.id, stripe)) {
    KinesisSink::Finish finish =
        delivery_.sink().stage(destination->stream_arn, {partition_key, data}, txn.batch());
    if (finish) {
      direct_on_this_thread.push_back({table.id, table.key, std::move(finish)});
      return storage::Status::ok();
    }
  }

  uint64_t sequence = 0;
  if (auto status = next_sequence(table.id, stripe, &sequence); !status.is_ok()) return status;
  txn.batch().put_owned(storage::Keyspace::kItems, outbox_key(table.id, stripe, sequence),
                        encode_outbox_entry({destination->stream_arn, partition_key, data}));
  auto captured = std::find_if(captured_on_this_thread.begin(), captured_on_this_thread.end(),
                               [&](const Captured& c) { return c.table_id == table.id; });
  if (captured == captured_on_this_thread.end()) {
    captured_on_this_thread.push_back({table.id, 0});
    captured = captured_on_this_thread.end() - 1;
  }
  captured->stripes |= uint64_t{1} << stripe;
  return storage::Status::ok();
}

void Outbox::finished(bool committed) {
  if (direct_on_this_thread.empty()) return;
  std::vector<Direct> direct;
  direct.swap(direct_on_this_thread);
  for (Direct& d : direct) {
    d.finish(committed);
    if (committed) delivery_.count_direct(d.table_id, d.key);
  }
}

void Outbox::lock_keys(const Table& table, uint64_t partition_hash,
                       std::vector<std::string>& keys) const {
  if (table.kinesis_destinations.empty()) return;
  // The write path locks the counter stripe of every write already; named here because
  // delivery's per-stripe resumption depends on it (outbox.h).
  keys.push_back(items::counter_stripe_key(table.id, items::counter_stripe(partition_hash)));
}

void Outbox::forget(uint64_t table_id) {
  std::lock_guard lock(mutex_);
  tables_.erase(table_id);
}

void Outbox::committed(const Table& table) {
  auto it = std::find_if(captured_on_this_thread.begin(), captured_on_this_thread.end(),
                         [&](const Captured& c) { return c.table_id == table.id; });
  if (it == captured_on_this_thread.end()) return;
  const uint64_t stripes = it->stripes;
  captured_on_this_thread.erase(it);
  delivery_.wake(table.id, table.key, stripes);
}

}  // namespace trib::dynamodb::destination
