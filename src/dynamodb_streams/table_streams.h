// Every DynamoDB table stream of the process: the stream catalog, the change-capture consumer
// that writes stream records in the item's own batch, reads, sealing and retention.
//
// Catalog. A stream is a document ('D' key in meta) written in the same batch as the table
// document that enabled it (TableObserver::stage), and rewritten with `disabled_ms` in the batch
// of the UpdateTable that disabled it or the DeleteTable that deleted its table. It outlives
// its table: readable until 24 h after the disable, then purged by the lifecycle job.
//
// Writes. Each shard chain (StreamInfo) has a state key in the items keyspace, under the table's
// prefix: (stream label, current epoch, next n, closed). The write path locks it with the item
// (lock_keys), so the record's n is read, used and committed under one lock: n is dense and
// commits in order within a chain, and a reader never sees n + 1 before n. Writes to tables
// without a stream lock nothing more; writes to different chains run in parallel.
//
// Sealing. A shard closes by the clock (rollover) or by a disable. Before anyone reports a shard
// closed (its EndingSequenceNumber, the end of GetRecords), ensure_sealed moves the chain's state
// past it under the same lock, so a write that took its time before the close but commits after
// it lands in the child (or, after a disable, writes no record) instead of behind the reader.
//
// Retention. Records older than 24 h are hidden by reads and deleted by the lifecycle job
// (whole shards closed for 24 h; the older records of a shard straddling the cut-off, with a
// trim marker so that positions before it answer TrimmedDataAccessException).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <tuple>
#include <vector>

#include "dynamodb/items/change_capture.h"
#include "dynamodb/tables/table_catalog.h"
#include "dynamodb_streams/change_record.h"
#include "dynamodb_streams/stream.h"
#include "storage/engine.h"
#include "streams/retention.h"

namespace trib::dynamodb_streams {

struct StreamsOptions {
  int64_t rollover_ms = kDefaultRolloverMs;  // --stream-shard-rollover-ms
  uint32_t partitions = kDefaultPartitions;
};

class TableStreams final : public dynamodb::items::ChangeCapture, public dynamodb::TableObserver {
 public:
  using StreamPtr = std::shared_ptr<const StreamInfo>;

  TableStreams(storage::Engine& engine, StreamsOptions options);
  storage::Status load();

  // items::ChangeCapture
  storage::Status capture(const dynamodb::items::ItemChange& change,
                          storage::Transaction& txn) override;
  void lock_keys(const dynamodb::Table& table, uint64_t partition_hash,
                 std::vector<std::string>& keys) const override;

  // dynamodb::TableObserver
  void stage(const dynamodb::Table* before, const dynamodb::Table& after, int64_t now_ms,
             storage::WriteBatch& batch) override;
  void published(const dynamodb::Table* before, const dynamodb::Table& after,
                 int64_t now_ms) override;

  // A stream that is not gone, or nullptr.
  StreamPtr find(const StreamKey& key, int64_t now_ms) const;
  // Streams not gone of one account and region (one table's when `table` is non-empty), in
  // (table name, label) order.
  std::vector<StreamPtr> list(std::string_view account, std::string_view region,
                              std::string_view table, int64_t now_ms) const;

  struct Page {
    std::vector<StoredRecord> records;  // decoded when written out (records_to_wire)
    uint64_t next_n = 0;
    bool shard_ended = false;  // closed and read to its end
  };
  // Records of one shard from position `from_n`, at most `limit` and about `max_bytes` (at
  // least one record when any is available), hiding records past retention.
  storage::Status read(const StreamInfo& stream, ShardPos shard, uint64_t from_n, size_t limit,
                       size_t max_bytes, int64_t now_ms, Page* page);
  // The position after the shard's newest record (LATEST). Read errors are returned, never
  // taken for an empty shard.
  storage::Status end_position(const StreamInfo& stream, ShardPos shard, uint64_t* out);
  // The first position not trimmed (TRIM_HORIZON; earlier ones are TrimmedDataAccess).
  storage::Status trim_position(const StreamInfo& stream, ShardPos shard, uint64_t* out);
  // For a closed shard: no write can reach it (nor any earlier shard of its chain) any more.
  storage::Status ensure_sealed(const StreamInfo& stream, ShardPos shard, int64_t now_ms);
  // The n of the shard's last record (nullopt when it has none).
  storage::Status last_position(const StreamInfo& stream, ShardPos shard,
                                std::optional<uint64_t>* out);

  // Purges streams 24 h after their disable and records past retention.
  void run_lifecycle(int64_t now_ms);

  // Storage keys, exposed for tests and docs.
  static std::string record_key(const StreamInfo& stream, ShardPos shard, uint64_t n);
  static std::string chain_state_key(uint64_t table_id, uint32_t partition);

 private:
  StreamInfo info_for(const dynamodb::Table& table) const;
  StreamPtr find_by_id(uint64_t table_id, int64_t label_ms) const;
  void publish(StreamPtr stream);
  storage::Status seal_chain(const StreamInfo& stream, ShardPos shard, bool disable);
  void trim(const StreamInfo& stream, int64_t now_ms);

  storage::Engine& engine_;
  StreamsOptions options_;
  mutable std::shared_mutex map_mutex_;
  std::map<StreamKey, StreamPtr> streams_;
  std::map<std::pair<uint64_t, int64_t>, StreamPtr> by_id_;  // (table id, label)
  std::mutex sealed_mutex_;
  // Caches ensure_sealed: (table id, label, chain) -> epochs sealed through (UINT32_MAX: the
  // disable sealed the chain).
  std::map<std::tuple<uint64_t, int64_t, uint32_t>, uint32_t> sealed_through_;
  streams::HousekeepingCadence housekeeping_;
};

}  // namespace trib::dynamodb_streams
