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
// Delivery looks only at the stripes a wake named, each from the sequence after the last one it
// delivered there (a cursor kept in memory; from the start of the stripe after a restart): the
// outbox's deleted entries are never walked again (outbox.h explains why that is safe).
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "dynamodb/destination/kinesis_sink.h"
#include "dynamodb/items/counters.h"
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
  // Every stripe of an outbox (bit i: stripe i).
  static constexpr uint64_t kAllStripes = ~uint64_t{0};
  // Something was committed to these stripes of the outbox of this table.
  void wake(uint64_t table_id, const TableKey& key, uint64_t stripes = kAllStripes);
  // The table incarnation was purged (DeleteTable, its outbox gone with its items): the
  // delivery thread drops what it keeps in memory for it.
  void forget(uint64_t table_id);
  // Whether delivery has passed (delivered or dropped) every outbox entry of the table's
  // stripe below sequence `end`.
  bool delivered_below(uint64_t table_id, int stripe, uint64_t end) const;
  // A record the outbox appended in the item's own batch (the direct path): counted as
  // replicated.
  void count_direct(uint64_t table_id, const TableKey& key);
  KinesisSink& sink() { return sink_; }
  // Table incarnations whose per-stripe cursors are kept in memory (tests).
  size_t tables_with_cursors() const;
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
  struct Pending {
    TableKey key;
    uint64_t stripes = 0;
  };
  // Per stripe of a table's outbox, the first sequence not yet delivered (or dropped).
  using Cursors = std::array<uint64_t, items::kCounterStripes>;
  void run();
  // Adds stripes to look at for a table (called with mutex_ held).
  void mark_pending(uint64_t table_id, const TableKey& key, uint64_t stripes);
  // Delivers `stripes` of the table's outbox; false when storage failed (try again later; the
  // stripes still to look at are left in `stripes`).
  bool drain(uint64_t table_id, const TableKey& key, uint64_t& stripes);
  Cursors cursors(uint64_t table_id) const;

  storage::Engine& engine_;
  TableCatalog& tables_;
  KinesisSink& sink_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable stop_requested_;  // the thread's timed waits (stop ends them)
  std::map<uint64_t, Pending> pending_;     // guarded by mutex_
  std::map<uint64_t, TableCounts> counts_;  // guarded by mutex_
  std::map<uint64_t, Cursors> cursors_;     // guarded by mutex_; advanced by the thread only
  std::vector<uint64_t> forgotten_;         // guarded by mutex_: purged tables (forget)
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace trib::dynamodb::destination
