// The storage engine interface. Everything above src/storage/ talks to this header only;
// no engine type (RocksDB or otherwise) leaks past it.
//
// Model: a fixed set of ordered keyspaces (byte-string keys compared with memcmp order),
// atomic write batches across keyspaces, point reads, forward/backward iterators over a
// consistent snapshot, and read-modify-write transactions over locked keys (Engine::transact).
// Key and value layouts are documented in docs/storage-encoding.md; the full contract is in
// src/storage/README.md.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace trib::storage {

// Keyspaces are fixed at compile time. Adding one is an encoding change: document it.
enum class Keyspace : uint8_t {
  kMeta = 0,     // catalog: streams, tables, counters, server keys
  kRecords = 1,  // stream records, keyed by (stream incarnation, shard, position)
  kItems = 2,    // DynamoDB items (later issues)
};
inline constexpr int kKeyspaceCount = 3;
const char* keyspace_name(Keyspace ks);

struct Status {
  enum class Code : uint8_t { kOk, kNotFound, kCorruption, kIoError, kInvalidArgument, kAborted };
  Code code = Code::kOk;
  std::string message;

  static Status ok() { return {}; }
  static Status not_found() { return {Code::kNotFound, "not found"}; }
  static Status io_error(std::string m) { return {Code::kIoError, std::move(m)}; }
  static Status corruption(std::string m) { return {Code::kCorruption, std::move(m)}; }
  static Status invalid_argument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  // Nothing was written because a precondition changed under the caller; retrying with fresh
  // state may succeed (an append to a shard a reshard just closed).
  static Status aborted(std::string m) { return {Code::kAborted, std::move(m)}; }
  bool is_ok() const { return code == Code::kOk; }
  bool is_not_found() const { return code == Code::kNotFound; }
  bool is_aborted() const { return code == Code::kAborted; }
};

// An ordered list of mutations applied atomically by Engine::write.
class WriteBatch {
 public:
  enum class OpType : uint8_t { kPut, kDelete, kDeleteRange };
  struct Op {
    OpType type;
    Keyspace keyspace;
    std::string key;    // for kDeleteRange: begin (inclusive)
    std::string value;  // for kDeleteRange: end (exclusive)
  };

  void put(Keyspace ks, std::string_view key, std::string_view value) {
    ops_.push_back({OpType::kPut, ks, std::string(key), std::string(value)});
  }
  // Takes ownership of already-built buffers (no copy).
  void put_owned(Keyspace ks, std::string&& key, std::string&& value) {
    ops_.push_back({OpType::kPut, ks, std::move(key), std::move(value)});
  }
  void reserve(size_t n) { ops_.reserve(n); }
  void del(Keyspace ks, std::string_view key) {
    ops_.push_back({OpType::kDelete, ks, std::string(key), {}});
  }
  // Deletes every key k with begin <= k < end.
  void delete_range(Keyspace ks, std::string_view begin, std::string_view end) {
    ops_.push_back({OpType::kDeleteRange, ks, std::string(begin), std::string(end)});
  }
  const std::vector<Op>& ops() const { return ops_; }
  bool empty() const { return ops_.empty(); }
  size_t size() const { return ops_.size(); }
  void clear() { ops_.clear(); }

 private:
  std::vector<Op> ops_;
};

struct WriteOptions {
  // true: the write is on stable storage (fsync) before write() returns.
  // false: it is in the write-ahead log (survives a process crash, not a power loss).
  bool sync = false;
};

// A consistent point-in-time view. Reads through a snapshot never see later writes.
class Snapshot {
 public:
  virtual ~Snapshot() = default;
};

// Iterates one keyspace in key order over a consistent view (a snapshot, either given or
// taken when the iterator is created). Never blocks writers.
class Iterator {
 public:
  virtual ~Iterator() = default;
  virtual void seek(std::string_view target) = 0;           // first key >= target
  virtual void seek_for_prev(std::string_view target) = 0;  // last key <= target
  virtual void seek_to_first() = 0;
  virtual void seek_to_last() = 0;
  virtual bool valid() const = 0;
  virtual void next() = 0;
  virtual void prev() = 0;
  virtual std::string_view key() const = 0;    // valid() must be true
  virtual std::string_view value() const = 0;  // valid() must be true
  virtual Status status() const = 0;           // non-ok if iteration hit an error
};

struct IteratorOptions {
  const Snapshot* snapshot = nullptr;  // nullptr: an implicit snapshot taken now
  // Optional bounds: the iterator never yields keys outside [lower_bound, upper_bound).
  std::optional<std::string> lower_bound;
  std::optional<std::string> upper_bound;
};

// A name Engine::transact locks. Usually a key the transaction reads and rewrites, but any byte
// string naming what must be serialised will do (a partition's key prefix, say), as long as every
// transaction touching that data locks the same name. Locks are not stored.
struct LockKey {
  Keyspace keyspace;
  std::string_view key;
};

// What the body of Engine::transact works with: fresh reads and the batch to commit.
class Transaction {
 public:
  virtual ~Transaction() = default;
  // The latest committed value (no snapshot), never the body's own staged writes.
  // Status::not_found() when absent.
  virtual Status get(Keyspace ks, std::string_view key, std::string* value) = 0;
  // get() of several keys: (*statuses)[i] and (*values)[i] for keys[i] (both resized to
  // keys.size()). An engine may read them in one pass; by default one after the other.
  virtual void get_many(Keyspace ks, std::span<const std::string_view> keys,
                        std::vector<std::string>* values, std::vector<Status>* statuses) {
    values->assign(keys.size(), std::string());
    statuses->assign(keys.size(), Status::ok());
    for (size_t i = 0; i < keys.size(); ++i) (*statuses)[i] = get(ks, keys[i], &(*values)[i]);
  }
  // The writes committed atomically (as by Engine::write) when the body returns ok. They may
  // touch keys that are not locked (index entries, change records under keys only this
  // transaction writes), but only locked keys are protected from concurrent transactions.
  WriteBatch& batch() { return batch_; }

 private:
  WriteBatch batch_;
};

// Returns ok to commit the transaction's batch; anything else aborts it (nothing is written) and
// is what Engine::transact returns.
using TransactionBody = std::function<Status(Transaction&)>;

class Engine {
 public:
  virtual ~Engine() = default;

  // Read-modify-write: locks `keys` (duplicates allowed) against every other transaction on this
  // engine, runs `body`, and if it returns ok commits its batch atomically with `options` before
  // the locks are released. Returns the body's non-ok status (nothing written) or the commit's.
  // - Transactions sharing a locked key are serialised: each one's reads see every earlier one's
  //   commit, so two can never both commit a change computed from the same old value.
  // - Transactions with disjoint keys run in parallel (an engine may occasionally serialise two
  //   unrelated keys, e.g. by lock striping, but never all of them). Locks are taken in one
  //   global order, so overlapping key sets never deadlock.
  // - Readers (get, iterate, snapshots) never wait for these locks, and see a transaction's
  //   batch all or nothing. write() takes no locks: data changed through transact must be
  //   written only through transact.
  // - `body` runs exactly once on the engines here; an optimistic engine (compare-and-set on a
  //   distributed store) may run it again after a conflict, so a body keeps its effects in `txn`
  //   and in state it rebuilds on every call. It must not call transact on the same engine
  //   (refused with kInvalidArgument, nothing written).
  Status transact(std::span<const LockKey> keys, const TransactionBody& body,
                  const WriteOptions& options = {}) {
    return run_transaction(keys, body, options);
  }
  Status transact(std::initializer_list<LockKey> keys, const TransactionBody& body,
                  const WriteOptions& options = {}) {
    return run_transaction(std::span<const LockKey>(keys.begin(), keys.size()), body, options);
  }

  virtual Status write(const WriteBatch& batch, const WriteOptions& options = {}) = 0;
  // Point read; Status::not_found() when absent.
  virtual Status get(Keyspace ks, std::string_view key, std::string* value,
                     const Snapshot* snapshot = nullptr) = 0;
  // Point reads of several keys of one keyspace, each answered as get() would: (*statuses)[i]
  // and (*values)[i] for keys[i] (both resized to keys.size()). RocksDB reads them in one
  // batch (MultiGet: one view of the memtables and files, lookups in one pass); the default
  // reads one after the other.
  virtual void multi_get(Keyspace ks, std::span<const std::string_view> keys,
                         std::vector<std::string>* values, std::vector<Status>* statuses,
                         const Snapshot* snapshot = nullptr) {
    values->assign(keys.size(), std::string());
    statuses->assign(keys.size(), Status::ok());
    for (size_t i = 0; i < keys.size(); ++i) {
      (*statuses)[i] = get(ks, keys[i], &(*values)[i], snapshot);
    }
  }
  virtual std::unique_ptr<Iterator> iterate(Keyspace ks, const IteratorOptions& options = {}) = 0;
  virtual std::shared_ptr<const Snapshot> snapshot() = 0;

  // Hint to reclaim space in [begin, end) after large deletions (retention, stream deletion).
  virtual void compact_range(Keyspace ks, std::string_view begin, std::string_view end) = 0;
  // Makes everything written so far durable on disk (no-op for the in-memory engine).
  virtual Status flush_wal(bool sync) = 0;

  // Bytes of on-disk (or in-memory) data, approximate; for metrics and tests of space reclaim.
  virtual uint64_t approximate_size(Keyspace ks) = 0;
  virtual std::string name() const = 0;
  // The engine's own health figures for /metrics (RocksDB: compactions, write stalls); none by
  // default. Names are Prometheus metric names without a prefix.
  struct Statistic {
    std::string name;  // e.g. "rocksdb_running_compactions"
    std::string type;  // "gauge" or "counter"
    std::string help;
    double value = 0;
  };
  virtual std::vector<Statistic> statistics() { return {}; }

 protected:
  // Implements transact (the engines here share storage/key_locks.h).
  virtual Status run_transaction(std::span<const LockKey> keys, const TransactionBody& body,
                                 const WriteOptions& options) = 0;
};

struct EngineOptions {
  // Every write is on stable storage before write() returns, whatever its WriteOptions say
  // (--sync-writes: the control plane and housekeeping as well as the data writes).
  bool sync_every_write = false;
  // Start on a directory whose write-ahead log has a damaged record with intact writes after
  // it, keeping what precedes the damage (--recover-damaged-wal). Without it the open refuses.
  bool recover_damaged_wal = false;
};

// Opens (creating if needed) a RocksDB database in `path`.
std::unique_ptr<Engine> open_rocksdb_engine(const std::string& path, Status* status,
                                            const EngineOptions& options = {});
// A process-local engine with the same semantics, for --in-memory and tests.
std::unique_ptr<Engine> make_memory_engine();

}  // namespace trib::storage
