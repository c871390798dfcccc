// The Kinesis streaming destination's delivery job: one thread that moves outbox entries
// (outbox.h) into the Kinesis record log through a KinesisSink, each run of entries for one
// stream appended with the entries' removal in one atomic batch: a crash can neither lose nor
// duplicate a record. Woken after a write that captured a change commits (never polling), and
// at start for every table (what a crash left behind). Item writes never wait for it.
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
  // Records of this table incarnation skipped because they exceeded the stream's maximum
  // record size (AWS's FailedToReplicateRecordCount).
  uint64_t failed_to_replicate(uint64_t table_id) const;

 private:
  void run();
  // Delivers the table's outbox; false when storage failed (try again later).
  bool drain(uint64_t table_id, const TableKey& key);
  // The destination of `key` to `stream_arn` lost its stream: DISABLED.
  void stream_gone(const TableKey& key, std::string_view stream_arn);

  storage::Engine& engine_;
  TableCatalog& tables_;
  KinesisSink& sink_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<uint64_t, TableKey> pending_;  // guarded by mutex_
  std::map<uint64_t, uint64_t> failed_;   // guarded by mutex_
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace trib::dynamodb::destination
