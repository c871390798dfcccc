// The Kinesis streaming destination's delivery job: one thread that moves outbox entries
// (outbox.h) into the Kinesis record log through a KinesisSink, each run of entries for one
// stream appended with the entries' removal in one atomic batch: a crash can neither lose nor
// duplicate a record. Woken after a write that captured a change commits (never polling), and
// at start for every table (what a crash left behind). Item writes never wait for it.
// Records that cannot be delivered are dropped and counted (AWS's FailedToReplicateRecordCount):
// those over the stream's maximum record size (AWS skips them: developer guide, "Monitoring
// change data capture with Kinesis Data Streams"), and those for a Kinesis stream that no longer
// exists; the destination stays ACTIVE then, as AWS's did in a recording (docs/
// kinesis-destination.md), and delivery goes on for other tables and streams.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

#include "dynamodb/destination/kinesis_sink.h"
#include "dynamodb/tables/table_catalog.h"
#include "storage/engine.h"

namespace trib::dynamodb::destination {

class Delivery {
 public:
  Delivery(storage::Engine& engine, TableCatalog& tables, KinesisSink& sink);
  ~Delivery();
  // Starts the thread, with every table of the catalog to look at.
  void start();
  void stop();
  // Something was committed to the outbox of this table.
  void wake(uint64_t table_id, const TableKey& key);
  // What delivery did for one table incarnation since the start.
  struct TableCounts {
    TableKey key;
    uint64_t replicated = 0;   // records appended to the Kinesis stream
    uint64_t oversized = 0;    // skipped: over the stream's maximum record size
    uint64_t stream_gone = 0;  // dropped: the Kinesis stream no longer exists
  };
  // Records of this table incarnation that were not delivered (oversized + stream gone: AWS's
  // FailedToReplicateRecordCount).
  uint64_t failed_to_replicate(uint64_t table_id) const;
  // Every table incarnation delivery has touched since the start, by id.
  std::map<uint64_t, TableCounts> counts() const;
  // Entries waiting in the outbox of each table with a destination (one scan per table; for
  // /metrics and the benchmark, not the data path).
  std::map<uint64_t, uint64_t> backlog() const;

 private:
  void run();
  // Delivers the table's outbox; false when storage failed (try again later).
  bool drain(uint64_t table_id, const TableKey& key);

  storage::Engine& engine_;
  TableCatalog& tables_;
  KinesisSink& sink_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<uint64_t, TableKey> pending_;    // guarded by mutex_
  std::map<uint64_t, TableCounts> counts_;  // guarded by mutex_
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace trib::dynamodb::destination
