// The RocksDB storage engine: the embedded, durable default behind storage/engine.h.
//
// This header deliberately forward-declares the RocksDB types it mentions so that including it
// never pulls RocksDB headers into other code; rocksdb_engine.cc is the only file in the project
// that includes them. Everything above src/storage/ should use open_rocksdb_engine() from
// engine.h and never name this class.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "storage/engine.h"
#include "storage/key_locks.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace trib::storage {

// Owns the open database and its column family handles. Shared by the engine, its snapshots
// and its iterators, so the database is closed only after the last of them is gone.
struct RocksDbHandle;

class RocksDbEngine final : public Engine {
 public:
  // Opens (creating if needed) the database in `path`; nullptr with a non-ok status on failure.
  static std::unique_ptr<RocksDbEngine> open(const std::string& path, Status* status,
                                             const EngineOptions& options = {});
  ~RocksDbEngine() override;

  Status write(const WriteBatch& batch, const WriteOptions& options) override;
  Status get(Keyspace ks, std::string_view key, std::string* value,
             const Snapshot* snapshot) override;
  void multi_get(Keyspace ks, std::span<const std::string_view> keys,
                 std::vector<std::string>* values, std::vector<Status>* statuses,
                 const Snapshot* snapshot) override;
  std::unique_ptr<Iterator> iterate(Keyspace ks, const IteratorOptions& options) override;
  std::shared_ptr<const Snapshot> snapshot() override;
  void compact_range(Keyspace ks, std::string_view begin, std::string_view end) override;
  Status flush_wal(bool sync) override;
  uint64_t approximate_size(Keyspace ks) override;
  std::string name() const override { return "rocksdb"; }
  std::vector<Statistic> statistics() override;

 protected:
  Status run_transaction(std::span<const LockKey> keys, const TransactionBody& body,
                         const WriteOptions& options) override;

 private:
  RocksDbEngine(std::shared_ptr<RocksDbHandle> handle, const EngineOptions& options);
  rocksdb::ColumnFamilyHandle* column_family(Keyspace ks) const;
  // After a failed write, RocksDB refuses every write (its background-error state) until
  // DB::Resume() succeeds; see write().
  void resume_after_failed_write();

  std::shared_ptr<RocksDbHandle> handle_;
  const EngineOptions options_;
  std::atomic<uint64_t> synced_writes_{0};  // acknowledged after an fsync (statistics())
  // Transactions lock stripes here, then read and write through the plain database (a
  // pessimistic TransactionDB would put its lock manager on every write, the record path too).
  KeyLocks key_locks_;
  std::atomic<bool> write_failed_{false};
  std::mutex resume_mutex_;  // one Resume() at a time; other writers do not wait for it
};

}  // namespace trib::storage
