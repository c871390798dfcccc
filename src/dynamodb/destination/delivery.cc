#include "dynamodb/destination/delivery.h"

#include <spdlog/spdlog.h>

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

}  // namespace

Delivery::Delivery(storage::Engine& engine, TableCatalog& tables, KinesisSink& sink)
    : engine_(engine), tables_(tables), sink_(sink) {}

Delivery::~Delivery() { stop(); }

void Delivery::start() {
  {
    std::lock_guard lock(mutex_);
    for (const auto& table : tables_.list_all(sink_.now_ms())) pending_[table->id] = table->key;
  }
  thread_ = std::thread([this] { run(); });
}

void Delivery::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Delivery::wake(uint64_t table_id, const TableKey& key) {
  {
    std::lock_guard lock(mutex_);
    pending_.try_emplace(table_id, key);
  }
  wake_.notify_one();
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

std::map<uint64_t, uint64_t> Delivery::backlog() const {
  std::map<uint64_t, uint64_t> out;
  for (const auto& table : tables_.list_all(sink_.now_ms())) {
    if (table->kinesis_destinations.empty()) continue;  // never had one: no outbox
    storage::IteratorOptions options;
    options.lower_bound = outbox_begin(table->id);
    options.upper_bound = outbox_end(table->id);
    auto it = engine_.iterate(storage::Keyspace::kItems, options);
    uint64_t count = 0;
    for (it->seek_to_first(); it->valid(); it->next()) ++count;
    out[table->id] = count;
  }
  return out;
}

void Delivery::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
    if (stopping_) return;
    std::map<uint64_t, TableKey> tables;
    tables.swap(pending_);
    lock.unlock();
    std::map<uint64_t, TableKey> retry;
    for (const auto& [id, key] : tables) {
      if (!drain(id, key)) retry.emplace(id, key);
    }
    lock.lock();
    if (!retry.empty()) {
      pending_.merge(retry);
      wake_.wait_for(lock, kRetryDelay, [&] { return stopping_; });
    }
  }
}

bool Delivery::drain(uint64_t table_id, const TableKey& key) {
  struct Entry {
    std::string key;
    std::string value;
    OutboxEntry entry;
  };
  for (;;) {
    std::vector<Entry> entries;
    {
      storage::IteratorOptions options;
      options.lower_bound = outbox_begin(table_id);
      options.upper_bound = outbox_end(table_id);
      auto it = engine_.iterate(storage::Keyspace::kItems, options);
      size_t bytes = 0;
      for (it->seek_to_first();
           it->valid() && entries.size() < kEntriesPerAppend && bytes < kBytesPerAppend;
           it->next()) {
        bytes += it->value().size();
        entries.push_back({std::string(it->key()), std::string(it->value()), {}});
      }
      if (!it->status().is_ok()) return false;
    }
    if (entries.empty()) return true;
    storage::WriteBatch undecodable;
    for (auto it = entries.begin(); it != entries.end();) {
      auto decoded = decode_outbox_entry(it->value);
      if (!decoded) {
        spdlog::error("Kinesis destination of table {}: dropping an undecodable outbox entry",
                      key.name);
        undecodable.del(storage::Keyspace::kItems, it->key);
        it = entries.erase(it);
        continue;
      }
      it->entry = *decoded;
      ++it;
    }
    if (!undecodable.empty() && !engine_.write(undecodable).is_ok()) return false;
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
          std::lock_guard lock(mutex_);
          TableCounts& counts = counts_.try_emplace(table_id, TableCounts{key}).first->second;
          counts.replicated += records.size() - delivery.oversized;
          counts.oversized += delivery.oversized;
          break;
        }
        case KinesisSink::Delivery::Result::kStreamGone: {
          // AWS keeps such a destination ACTIVE (recorded); its records cannot go anywhere.
          if (!engine_.write(with).is_ok()) return false;
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
  }
}

}  // namespace trib::dynamodb::destination
