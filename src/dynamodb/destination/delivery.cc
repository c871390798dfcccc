#include "dynamodb/destination/delivery.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "dynamodb/destination/outbox.h"

namespace trib::dynamodb::destination {

namespace {

// Entries per append: PutRecords' 500-record batch, and about its 5 MiB (at least one entry).
constexpr size_t kEntriesPerAppend = 500;
constexpr size_t kBytesPerAppend = 5 << 20;
// After a storage failure, the table is tried again after this long.
constexpr auto kRetryDelay = std::chrono::milliseconds(100);
// Under sustained writes (changes committed while the last pass ran), the next pass starts
// this long after the last one ended, so one pass takes the changes of about this long: per
// change, fewer passes, storage writes, chunks and wake-ups (each pass costs about as much as
// delivering several entries; docs/kinesis-destination.md "Throughput"). A change written
// after a quiet moment is delivered at once.
constexpr auto kGatherDelay = std::chrono::milliseconds(1);

}  // namespace

Delivery::Delivery(storage::Engine& engine, TableCatalog& tables, KinesisSink& sink)
    : engine_(engine), tables_(tables), sink_(sink) {}

Delivery::~Delivery() { stop(); }

void Delivery::start() {
  {
    std::lock_guard lock(mutex_);
    for (const auto& table : tables_.list_all(sink_.now_ms())) {
      pending_[table->id] = {table->key, kAllStripes};
    }
  }
  thread_ = std::thread([this] { run(); });
}

void Delivery::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  stop_requested_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Delivery::wake(uint64_t table_id, const TableKey& key, uint64_t stripes) {
  {
    std::lock_guard lock(mutex_);
    mark_pending(table_id, key, stripes);
  }
  wake_.notify_one();
}

void Delivery::mark_pending(uint64_t table_id, const TableKey& key, uint64_t stripes) {
  pending_.try_emplace(table_id, Pending{key, 0}).first->second.stripes |= stripes;
}

void Delivery::forget(uint64_t table_id) {
  {
    std::lock_guard lock(mutex_);
    cursors_.erase(table_id);  // now, for a delivery job not running
    counts_.erase(table_id);
    // Again after the thread's current pass: a drain of the table in flight may advance its
    // cursors once more (it finds nothing on later passes: the outbox went with the table).
    forgotten_.push_back(table_id);
  }
  wake_.notify_one();
}

bool Delivery::delivered_below(uint64_t table_id, int stripe, uint64_t end) const {
  std::lock_guard lock(mutex_);
  auto it = cursors_.find(table_id);
  return it != cursors_.end() && it->second[stripe] >= end;
}

void Delivery::count_direct(uint64_t table_id, const TableKey& key) {
  std::lock_guard lock(mutex_);
  ++counts_.try_emplace(table_id, TableCounts{key}).first->second.replicated;
}

size_t Delivery::tables_with_cursors() const {
  std::lock_guard lock(mutex_);
  return cursors_.size();
}

uint64_t Delivery::failed_to_replicate(uint64_t table_id) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(table_id);
  return it == counts_.end() ? 0 : it->second.oversized + it->second.stream_gone;
}

std::map<uint64_t, Delivery::TableCounts> Delivery::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

Delivery::Cursors Delivery::cursors(uint64_t table_id) const {
  std::lock_guard lock(mutex_);
  auto it = cursors_.find(table_id);
  return it == cursors_.end() ? Cursors{} : it->second;
}

std::map<uint64_t, uint64_t> Delivery::backlog() const {
  std::map<uint64_t, uint64_t> out;
  for (const auto& table : tables_.list_all(sink_.now_ms())) {
    if (table->kinesis_destinations.empty()) continue;  // never had one: no outbox
    // Each stripe from its cursor: what lies below it is delivered (deleted entries).
    const Cursors from = cursors(table->id);
    uint64_t count = 0;
    for (int stripe = 0; stripe < items::kCounterStripes; ++stripe) {
      storage::IteratorOptions options;
      options.lower_bound = outbox_key(table->id, stripe, from[stripe]);
      options.upper_bound = outbox_key(table->id, stripe + 1, 0);
      auto it = engine_.iterate(storage::Keyspace::kItems, options);
      for (it->seek_to_first(); it->valid(); it->next()) ++count;
    }
    out[table->id] = count;
  }
  return out;
}

void Delivery::run() {
  std::unique_lock lock(mutex_);
  bool gather = false;
  for (;;) {
    if (gather) {
      // Not on wake_: the writers' wake-ups meanwhile find no one waiting (no system call).
      stop_requested_.wait_for(lock, kGatherDelay, [&] { return stopping_; });
    }
    wake_.wait(lock, [&] { return stopping_ || !pending_.empty() || !forgotten_.empty(); });
    if (stopping_) return;
    std::map<uint64_t, Pending> tables;
    tables.swap(pending_);
    lock.unlock();
    std::map<uint64_t, Pending> retry;
    for (auto& [id, pending] : tables) {
      if (!drain(id, pending.key, pending.stripes)) retry.emplace(id, pending);
    }
    lock.lock();
    // Purged tables, after any drain of this pass: a later wake for one finds nothing and
    // leaves no cursors behind.
    for (uint64_t id : forgotten_) {
      cursors_.erase(id);
      counts_.erase(id);
      retry.erase(id);
    }
    forgotten_.clear();
    gather = !pending_.empty();
    if (!retry.empty()) {
      for (const auto& [id, pending] : retry) mark_pending(id, pending.key, pending.stripes);
      stop_requested_.wait_for(lock, kRetryDelay, [&] { return stopping_; });
      gather = false;
    }
  }
}

bool Delivery::drain(uint64_t table_id, const TableKey& key, uint64_t& stripes) {
  struct Entry {
    std::string key;
    std::string value;
    int stripe = 0;
    uint64_t sequence = 0;
    bool keyed = false;  // stripe and sequence decoded from the key
    OutboxEntry entry;
  };
  // Marks entries [first, last) delivered or dropped: their stripes resume after them.
  const auto advance = [&](const std::vector<Entry>& entries, size_t first, size_t last) {
    std::lock_guard lock(mutex_);
    Cursors& cursors = cursors_[table_id];
    for (size_t i = first; i < last; ++i) {
      if (!entries[i].keyed) continue;
      cursors[entries[i].stripe] = std::max(cursors[entries[i].stripe], entries[i].sequence + 1);
    }
  };
  while (stripes != 0) {
    const Cursors from = cursors(table_id);
    std::vector<Entry> entries;
    uint64_t more = 0;  // stripes with entries beyond this pass's limit
    size_t bytes = 0;
    for (int stripe = 0; stripe < items::kCounterStripes; ++stripe) {
      const uint64_t bit = uint64_t{1} << stripe;
      if ((stripes & bit) == 0) continue;
      if (entries.size() >= kEntriesPerAppend || bytes >= kBytesPerAppend) {
        more |= bit;
        continue;
      }
      storage::IteratorOptions options;
      options.lower_bound = outbox_key(table_id, stripe, from[stripe]);
      options.upper_bound = outbox_key(table_id, stripe + 1, 0);
      auto it = engine_.iterate(storage::Keyspace::kItems, options);
      for (it->seek_to_first(); it->valid(); it->next()) {
        if (entries.size() >= kEntriesPerAppend || bytes >= kBytesPerAppend) {
          more |= bit;
          break;
        }
        Entry entry;
        entry.key = it->key();
        entry.value = it->value();
        entry.keyed = decode_outbox_key(table_id, entry.key, &entry.stripe, &entry.sequence);
        bytes += entry.value.size();
        entries.push_back(std::move(entry));
      }
      if (!it->status().is_ok()) return false;
    }
    if (entries.empty()) {
      stripes = 0;
      return true;
    }
    storage::WriteBatch undecodable;
    std::vector<Entry> dropped;
    for (auto it = entries.begin(); it != entries.end();) {
      auto decoded = it->keyed ? decode_outbox_entry(it->value) : std::nullopt;
      if (!decoded) {
        spdlog::error("Kinesis destination of table {}: dropping an undecodable outbox entry",
                      key.name);
        undecodable.del(storage::Keyspace::kItems, it->key);
        dropped.push_back(std::move(*it));
        it = entries.erase(it);
        continue;
      }
      it->entry = *decoded;
      ++it;
    }
    if (!undecodable.empty()) {
      if (!engine_.write(undecodable).is_ok()) return false;
      advance(dropped, 0, dropped.size());
    }
    // Runs of entries for one stream, in key order (a destination changed between writes).
    size_t start = 0;
    while (start < entries.size()) {
      size_t end = start + 1;
      while (end < entries.size() &&
             entries[end].entry.stream_arn == entries[start].entry.stream_arn) {
        ++end;
      }
      std::vector<SinkRecord> records;
      records.reserve(end - start);
      storage::WriteBatch with;
      with.reserve(end - start);
      for (size_t i = start; i < end; ++i) {
        records.push_back({entries[i].entry.partition_key, entries[i].entry.data});
        with.del(storage::Keyspace::kItems, entries[i].key);
      }
      const std::string stream_arn(entries[start].entry.stream_arn);
      const KinesisSink::Delivery delivery = sink_.deliver(stream_arn, records, with);
      switch (delivery.result) {
        case KinesisSink::Delivery::Result::kDelivered: {
          if (delivery.oversized > 0) {
            spdlog::warn(
                "Kinesis destination of table {}: {} record(s) over the maximum record size of "
                "{} skipped (FailedToReplicateRecordCount)",
                key.name, delivery.oversized, stream_arn);
          }
          advance(entries, start, end);
          std::lock_guard lock(mutex_);
          TableCounts& counts = counts_.try_emplace(table_id, TableCounts{key}).first->second;
          counts.replicated += records.size() - delivery.oversized;
          counts.oversized += delivery.oversized;
          break;
        }
        case KinesisSink::Delivery::Result::kStreamGone: {
          // AWS keeps such a destination ACTIVE (recorded); its records cannot go anywhere.
          if (!engine_.write(with).is_ok()) return false;
          advance(entries, start, end);
          std::lock_guard lock(mutex_);
          uint64_t& gone =
              counts_.try_emplace(table_id, TableCounts{key}).first->second.stream_gone;
          if (gone == 0) {  // logged once per table, not per batch
            spdlog::warn(
                "Kinesis destination of table {}: the stream {} does not exist; its records are "
                "dropped (FailedToReplicateRecordCount) until the destination is disabled",
                key.name, stream_arn);
          }
          gone += records.size();
          break;
        }
        case KinesisSink::Delivery::Result::kFailed:
          return false;
      }
      start = end;
    }
    stripes = more;
  }
  return true;
}

}  // namespace trib::dynamodb::destination
