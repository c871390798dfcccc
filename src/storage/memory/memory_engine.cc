// The in-memory storage engine: the same semantics as the RocksDB engine, kept in process
// memory. Used by --in-memory (including benchmarks) and by tests.
//
// Design: multi-version concurrency control.
// - Every committed batch gets the next sequence number; all its mutations carry it.
// - Each keyspace is an ordered map from key to its versions: the latest, plus older ones only
//   while a live snapshot may still need them. A deletion is a version without a value.
// - A snapshot is a sequence number registered in a multiset; reads through it see, for each
//   key, the newest version at or below that sequence.
// - Garbage collection: a write drops the version it supersedes unless some live snapshot can
//   see it, and drops everything the oldest live snapshot cannot see. A key still holding old
//   versions or a deletion marker is queued (once); the queue is drained a little on every
//   write and completely by compact_range() once the snapshots that needed them are released.
// - Iterators hold no lock between calls: each step takes the shared lock briefly, re-seeks
//   from the current key and filters by the iterator's snapshot sequence, so writers never wait
//   for a live iterator.
#include <pthread.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <utility>
#include <vector>

#include "storage/engine.h"
#include "storage/key_locks.h"

namespace trib::storage {

namespace {

using Sequence = uint64_t;
constexpr Sequence kMaxSequence = std::numeric_limits<Sequence>::max();

// Rough per-entry costs of the map node and version bookkeeping, so approximate_size() tracks
// memory use and not just payload bytes.
constexpr uint64_t kEntryOverhead = 96;
constexpr uint64_t kVersionOverhead = 48;
// Map entries an iterator examines per lock hold while skipping deleted or invisible keys.
constexpr int kEntriesPerLockHold = 256;
// Garbage queue entries a write processes besides one per mutation, and per lock hold in
// compact_range().
constexpr size_t kGarbagePerWrite = 64;
constexpr size_t kGarbagePerLockHold = 4096;

using Value = std::shared_ptr<const std::string>;

struct Version {
  Sequence sequence = 0;
  Value value;  // nullptr: the key was deleted at `sequence`
};

struct Entry {
  std::vector<Version> older;  // ascending sequence, all below latest.sequence; usually empty
  Version latest;
  bool queued = false;  // in the garbage queue
};

using EntryMap = std::map<std::string, Entry, std::less<>>;

struct KeyspaceData {
  EntryMap entries;
  uint64_t bytes = 0;  // approximate memory of `entries`
};

// A key that may hold garbage; all of it is collectable once every live snapshot is at or
// above `sequence`.
struct GarbageCandidate {
  Sequence sequence;
  Keyspace keyspace;
  std::string key;
};

// The live snapshots' range at the start of a write. New snapshots cannot appear during a
// write (see MemoryState::acquire_snapshot), so it only becomes more permissive meanwhile.
struct SnapshotRange {
  Sequence oldest = kMaxSequence;  // kMaxSequence: no live snapshot
  Sequence newest = 0;
};

uint64_t version_bytes(const Version& version) {
  return kVersionOverhead + (version.value ? version.value->size() : 0);
}

// The newest version visible at `sequence`, or nullptr.
const Version* visible_version(const Entry& entry, Sequence sequence) {
  if (entry.latest.sequence <= sequence) return &entry.latest;
  for (auto it = entry.older.rbegin(); it != entry.older.rend(); ++it) {
    if (it->sequence <= sequence) return &*it;
  }
  return nullptr;
}

// A reader-writer lock where a waiting writer keeps new readers out. glibc's default (and so
// std::shared_mutex) prefers readers, which lets a steady stream of overlapping iterator steps
// starve writers. No code path takes it recursively.
class SharedMutex {
 public:
  SharedMutex() {
    pthread_rwlockattr_t attributes;
    pthread_rwlockattr_init(&attributes);
#ifdef __GLIBC__
    pthread_rwlockattr_setkind_np(&attributes, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    pthread_rwlock_init(&lock_, &attributes);
    pthread_rwlockattr_destroy(&attributes);
  }
  ~SharedMutex() { pthread_rwlock_destroy(&lock_); }
  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;

  void lock() { pthread_rwlock_wrlock(&lock_); }
  void unlock() { pthread_rwlock_unlock(&lock_); }
  void lock_shared() { pthread_rwlock_rdlock(&lock_); }
  void unlock_shared() { pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;
};

// Memory released by a write, freed after the lock is dropped so that readers and other
// writers do not wait for deallocation of large values or many map nodes.
struct Released {
  std::vector<EntryMap::node_type> nodes;
  std::vector<Value> values;
};

struct MemoryState {
  // Guards `keyspaces` and `garbage`. Writers hold it exclusively for one batch; readers and
  // iterator steps hold it shared for one lookup or step.
  SharedMutex mutex;
  std::array<KeyspaceData, kKeyspaceCount> keyspaces;
  std::deque<GarbageCandidate> garbage;  // in non-decreasing sequence order
  // The sequence of the last committed batch; advanced while `mutex` is held exclusively.
  std::atomic<Sequence> last_sequence{0};

  std::mutex snapshots_mutex;
  std::multiset<Sequence> live_snapshots;  // guarded by snapshots_mutex

  // Registers a snapshot of everything committed so far. The shared lock keeps writers out, so
  // no write can drop versions visible at the returned sequence before it is registered.
  Sequence acquire_snapshot() {
    std::shared_lock data_lock(mutex);
    std::lock_guard lock(snapshots_mutex);
    const Sequence sequence = last_sequence.load();
    live_snapshots.insert(sequence);
    return sequence;
  }
  // Registers another holder of a sequence that is already registered (so the protected range
  // does not grow).
  void acquire_existing(Sequence sequence) {
    std::lock_guard lock(snapshots_mutex);
    live_snapshots.insert(sequence);
  }
  void release_snapshot(Sequence sequence) {
    std::lock_guard lock(snapshots_mutex);
    live_snapshots.erase(live_snapshots.find(sequence));
  }
  SnapshotRange snapshot_range() {
    std::lock_guard lock(snapshots_mutex);
    if (live_snapshots.empty()) return {};
    return {*live_snapshots.begin(), *live_snapshots.rbegin()};
  }

  // The following require `mutex` held exclusively.

  // Drops the versions of `entry` that no snapshot at or above `oldest` can see. Returns true
  // when nothing visible remains and the whole entry can be erased.
  bool prune(KeyspaceData& data, Entry& entry, Sequence oldest, Released* released) {
    size_t drop = 0;  // older[0, drop) are dropped
    if (entry.latest.sequence <= oldest) {
      drop = entry.older.size();
    } else {
      // The newest older version at or below `oldest` is still visible to the oldest snapshot;
      // everything before it is not. A deletion in that place is equivalent to absence, so it
      // goes too.
      for (size_t i = entry.older.size(); i-- > 0;) {
        if (entry.older[i].sequence <= oldest) {
          drop = entry.older[i].value ? i : i + 1;
          break;
        }
      }
    }
    for (size_t i = 0; i < drop; ++i) {
      data.bytes -= version_bytes(entry.older[i]);
      if (entry.older[i].value) released->values.push_back(std::move(entry.older[i].value));
    }
    entry.older.erase(entry.older.begin(), entry.older.begin() + static_cast<ptrdiff_t>(drop));
    return entry.older.empty() && entry.latest.value == nullptr;
  }

  void erase_entry(KeyspaceData& data, EntryMap::iterator it, Released* released) {
    data.bytes -= kEntryOverhead + it->first.size() + version_bytes(it->second.latest);
    for (const Version& version : it->second.older) data.bytes -= version_bytes(version);
    released->nodes.push_back(data.entries.extract(it));
  }

  // Prunes the entry at `it` and erases or queues it as needed. Returns the next iterator.
  EntryMap::iterator settle(Keyspace ks, EntryMap::iterator it, Sequence oldest,
                            Sequence queue_sequence, Released* released) {
    KeyspaceData& data = keyspaces[static_cast<size_t>(ks)];
    auto next = std::next(it);
    Entry& entry = it->second;
    if (prune(data, entry, oldest, released)) {
      erase_entry(data, it, released);
    } else if (!entry.queued && (!entry.older.empty() || entry.latest.value == nullptr)) {
      entry.queued = true;
      garbage.push_back({queue_sequence, ks, it->first});
    }
    return next;
  }

  // Adds `version` as the newest version of the entry at `it`. Returns the iterator after it
  // (the entry may be erased).
  EntryMap::iterator add_version(Keyspace ks, EntryMap::iterator it, Version version,
                                 SnapshotRange snapshots, Released* released) {
    KeyspaceData& data = keyspaces[static_cast<size_t>(ks)];
    Entry& entry = it->second;
    const Sequence sequence = version.sequence;
    data.bytes += version_bytes(version);
    Version superseded = std::exchange(entry.latest, std::move(version));
    if (superseded.sequence != sequence && snapshots.newest >= superseded.sequence) {
      entry.older.push_back(std::move(superseded));  // some live snapshot can still see it
    } else {
      // Replaced within the same batch, or visible to no snapshot.
      data.bytes -= version_bytes(superseded);
      if (superseded.value) released->values.push_back(std::move(superseded.value));
    }
    return settle(ks, it, snapshots.oldest, sequence, released);
  }

  void put(Keyspace ks, std::string_view key, Value value, Sequence sequence,
           SnapshotRange snapshots, Released* released) {
    KeyspaceData& data = keyspaces[static_cast<size_t>(ks)];
    Version version{sequence, std::move(value)};
    auto it = data.entries.lower_bound(key);
    if (it == data.entries.end() || it->first != key) {
      data.bytes += kEntryOverhead + key.size() + version_bytes(version);
      data.entries.emplace_hint(it, std::string(key), Entry{{}, std::move(version), false});
      return;
    }
    add_version(ks, it, std::move(version), snapshots, released);
  }

  void del(Keyspace ks, std::string_view key, Sequence sequence, SnapshotRange snapshots,
           Released* released) {
    KeyspaceData& data = keyspaces[static_cast<size_t>(ks)];
    auto it = data.entries.find(key);
    // An absent key is absent for every snapshot too: nothing to record.
    if (it == data.entries.end() || it->second.latest.value == nullptr) return;
    add_version(ks, it, Version{sequence, nullptr}, snapshots, released);
  }

  void delete_range(Keyspace ks, std::string_view begin, std::string_view end, Sequence sequence,
                    SnapshotRange snapshots, Released* released) {
    if (begin >= end) return;
    KeyspaceData& data = keyspaces[static_cast<size_t>(ks)];
    auto it = data.entries.lower_bound(begin);
    while (it != data.entries.end() && std::string_view(it->first) < end) {
      if (snapshots.oldest == kMaxSequence) {
        // No snapshot can see the old data: unlink the entries outright.
        auto next = std::next(it);
        erase_entry(data, it, released);
        it = next;
      } else if (it->second.latest.value == nullptr) {
        ++it;  // already deleted
      } else {
        it = add_version(ks, it, Version{sequence, nullptr}, snapshots, released);
      }
    }
  }

  bool garbage_ready(Sequence oldest) const {
    return !garbage.empty() && garbage.front().sequence <= oldest;
  }

  // Processes up to `budget` queued keys whose garbage no live snapshot can see any more.
  void collect_garbage(Sequence oldest, size_t budget, Released* released) {
    for (; budget > 0 && garbage_ready(oldest); --budget) {
      GarbageCandidate candidate = std::move(garbage.front());
      garbage.pop_front();
      KeyspaceData& data = keyspaces[static_cast<size_t>(candidate.keyspace)];
      auto it = data.entries.find(candidate.key);
      if (it == data.entries.end()) continue;
      it->second.queued = false;
      // Whatever is left was written after `candidate.sequence`; queue it again at a sequence
      // above every version stored (the current batch's at most), which keeps the queue ordered.
      settle(candidate.keyspace, it, oldest, last_sequence.load() + 1, released);
    }
  }
};

class MemorySnapshot final : public Snapshot {
 public:
  MemorySnapshot(std::shared_ptr<MemoryState> state, Sequence sequence)
      : state_(std::move(state)), sequence_(sequence) {}
  ~MemorySnapshot() override { state_->release_snapshot(sequence_); }

  const MemoryState* state() const { return state_.get(); }
  Sequence sequence() const { return sequence_; }

 private:
  std::shared_ptr<MemoryState> state_;
  Sequence sequence_;
};

Status resolve_snapshot(const MemoryState* state, const Snapshot* snapshot, Sequence* sequence) {
  const auto* ours = dynamic_cast<const MemorySnapshot*>(snapshot);
  if (ours == nullptr || ours->state() != state) {
    return Status::invalid_argument("snapshot belongs to a different storage engine");
  }
  *sequence = ours->sequence();
  return Status::ok();
}

class MemoryIterator final : public Iterator {
 public:
  MemoryIterator(std::shared_ptr<MemoryState> state, Keyspace ks, const IteratorOptions& options)
      : state_(std::move(state)),
        keyspace_(ks),
        lower_bound_(options.lower_bound),
        upper_bound_(options.upper_bound) {
    if (options.snapshot == nullptr) {
      sequence_ = state_->acquire_snapshot();
    } else {
      status_ = resolve_snapshot(state_.get(), options.snapshot, &sequence_);
      if (!status_.is_ok()) return;
      // Hold the sequence ourselves so the iterator stays consistent even if the caller
      // releases the snapshot first.
      state_->acquire_existing(sequence_);
    }
    holds_snapshot_ = true;
  }
  ~MemoryIterator() override {
    if (holds_snapshot_) state_->release_snapshot(sequence_);
  }

  void seek(std::string_view target) override {
    if (lower_bound_ && target < std::string_view(*lower_bound_)) target = *lower_bound_;
    scan_forward(target, /*inclusive=*/true);
  }
  void seek_for_prev(std::string_view target) override {
    if (upper_bound_ && target >= std::string_view(*upper_bound_)) {
      scan_backward(*upper_bound_, /*inclusive=*/false);
    } else {
      scan_backward(target, /*inclusive=*/true);
    }
  }
  void seek_to_first() override { scan_forward(lower_bound_.value_or(""), /*inclusive=*/true); }
  void seek_to_last() override {
    if (upper_bound_) {
      scan_backward(*upper_bound_, /*inclusive=*/false);
    } else {
      scan_backward(std::nullopt, /*inclusive=*/true);
    }
  }
  bool valid() const override { return valid_; }
  void next() override {
    if (valid_) scan_forward(key_, /*inclusive=*/false);
  }
  void prev() override {
    if (valid_) scan_backward(key_, /*inclusive=*/false);
  }
  std::string_view key() const override { return key_; }
  std::string_view value() const override { return *value_; }
  Status status() const override { return status_; }

 private:
  const EntryMap& entries() const {
    return state_->keyspaces[static_cast<size_t>(keyspace_)].entries;
  }

  bool take_if_visible(const EntryMap::value_type& entry) {
    const Version* version = visible_version(entry.second, sequence_);
    if (version == nullptr || version->value == nullptr) return false;
    key_.assign(entry.first);
    value_ = version->value;
    valid_ = true;
    return true;
  }

  void invalidate() {
    valid_ = false;
    value_.reset();
  }

  // Positions on the first visible key at or after `start` (after it when not inclusive).
  void scan_forward(std::string_view start, bool inclusive) {
    invalidate();
    if (!status_.is_ok()) return;
    std::string resume(start);
    for (;;) {
      std::shared_lock lock(state_->mutex);
      auto it = inclusive ? entries().lower_bound(resume) : entries().upper_bound(resume);
      for (int budget = kEntriesPerLockHold; it != entries().end(); ++it) {
        if (upper_bound_ && it->first >= *upper_bound_) return;
        if (take_if_visible(*it)) return;
        if (--budget == 0) break;
      }
      if (it == entries().end()) return;
      // Long run of deleted keys: let writers in, then continue after the last one examined.
      resume = it->first;
      inclusive = false;
    }
  }

  // Positions on the last visible key at or before `start` (before it when not inclusive);
  // no start means from the end of the keyspace.
  void scan_backward(std::optional<std::string_view> start, bool inclusive) {
    invalidate();
    if (!status_.is_ok()) return;
    std::optional<std::string> resume;
    if (start) resume.emplace(*start);
    for (;;) {
      std::shared_lock lock(state_->mutex);
      auto it = !resume     ? entries().end()
                : inclusive ? entries().upper_bound(*resume)
                            : entries().lower_bound(*resume);
      int budget = kEntriesPerLockHold;
      while (it != entries().begin()) {
        --it;
        if (lower_bound_ && it->first < *lower_bound_) return;
        if (take_if_visible(*it)) return;
        if (--budget == 0) break;
      }
      if (budget > 0) return;  // reached the first key
      resume = it->first;
      inclusive = false;
    }
  }

  std::shared_ptr<MemoryState> state_;
  Keyspace keyspace_;
  std::optional<std::string> lower_bound_;
  std::optional<std::string> upper_bound_;
  Sequence sequence_ = 0;
  bool holds_snapshot_ = false;
  Status status_;
  bool valid_ = false;
  std::string key_;
  Value value_;  // shares the stored value; stays alive even if the version is pruned
};

class MemoryEngine final : public Engine {
 public:
  MemoryEngine() : state_(std::make_shared<MemoryState>()) {}

  Status write(const WriteBatch& batch, const WriteOptions& options) override {
    // Copy the values before taking the lock, so large values do not hold up readers.
    std::vector<Value> values(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      const WriteBatch::Op& op = batch.ops()[i];
      if (static_cast<size_t>(op.keyspace) >= kKeyspaceCount) {
        return Status::invalid_argument("unknown keyspace in write batch");
      }
      if (op.type == WriteBatch::OpType::kPut) {
        values[i] = std::make_shared<const std::string>(op.value);
      }
    }
    Released released;  // destroyed after the lock is released
    {
      std::unique_lock lock(state_->mutex);
      const SnapshotRange snapshots = state_->snapshot_range();
      const Sequence sequence = state_->last_sequence.load() + 1;
      for (size_t i = 0; i < batch.size(); ++i) {
        const WriteBatch::Op& op = batch.ops()[i];
        switch (op.type) {
          case WriteBatch::OpType::kPut:
            state_->put(op.keyspace, op.key, std::move(values[i]), sequence, snapshots, &released);
            break;
          case WriteBatch::OpType::kDelete:
            state_->del(op.keyspace, op.key, sequence, snapshots, &released);
            break;
          case WriteBatch::OpType::kDeleteRange:
            state_->delete_range(op.keyspace, op.key, op.value, sequence, snapshots, &released);
            break;
        }
      }
      state_->collect_garbage(snapshots.oldest, batch.size() + kGarbagePerWrite, &released);
      // Publishing the sequence makes the batch visible to new snapshots, all at once.
      state_->last_sequence.store(sequence);
    }
    return Status::ok();
  }

  Status get(Keyspace ks, std::string_view key, std::string* value,
             const Snapshot* snapshot) override {
    Sequence sequence = kMaxSequence;  // no snapshot: the latest committed version
    if (snapshot != nullptr) {
      Status resolved = resolve_snapshot(state_.get(), snapshot, &sequence);
      if (!resolved.is_ok()) return resolved;
    }
    std::shared_lock lock(state_->mutex);
    const EntryMap& entries = state_->keyspaces[static_cast<size_t>(ks)].entries;
    auto it = entries.find(key);
    if (it == entries.end()) return Status::not_found();
    const Version* version = visible_version(it->second, sequence);
    if (version == nullptr || version->value == nullptr) return Status::not_found();
    value->assign(*version->value);
    return Status::ok();
  }

  std::unique_ptr<Iterator> iterate(Keyspace ks, const IteratorOptions& options) override {
    return std::make_unique<MemoryIterator>(state_, ks, options);
  }

  std::shared_ptr<const Snapshot> snapshot() override {
    return std::make_shared<MemorySnapshot>(state_, state_->acquire_snapshot());
  }

  // Reclaims every version no live snapshot needs, in all keyspaces (the range is only a hint).
  void compact_range(Keyspace ks, std::string_view begin, std::string_view end) override {
    for (;;) {
      Released released;
      std::unique_lock lock(state_->mutex);
      const Sequence oldest = state_->snapshot_range().oldest;
      state_->collect_garbage(oldest, kGarbagePerLockHold, &released);
      const bool more = state_->garbage_ready(oldest);
      lock.unlock();
      if (!more) return;
    }
  }

  Status flush_wal(bool sync) override { return Status::ok(); }

  uint64_t approximate_size(Keyspace ks) override {
    std::shared_lock lock(state_->mutex);
    return state_->keyspaces[static_cast<size_t>(ks)].bytes;
  }

  std::string name() const override { return "memory"; }

 protected:
  Status run_transaction(std::span<const LockKey> keys, const TransactionBody& body,
                         const WriteOptions& options) override {
    return transact_with_key_locks(*this, key_locks_, keys, body, options);
  }

 private:
  std::shared_ptr<MemoryState> state_;
  KeyLocks key_locks_;
};

}  // namespace

std::unique_ptr<Engine> make_memory_engine() { return std::make_unique<MemoryEngine>(); }

}  // namespace trib::storage
