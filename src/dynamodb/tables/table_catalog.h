// The catalog of DynamoDB tables of every account and region served by this process.
//
// As the Kinesis stream catalog: readers get immutable snapshots (shared_ptr<const Table>)
// under a short shared lock; mutations are serialized by one control-plane mutex, persisted
// in one atomic batch, then published. Lifecycle states are computed from stored times.
// Storage keys: docs/storage-encoding.md, "DynamoDB tables".
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "aws/error.h"
#include "dynamodb/tables/table.h"
#include "storage/engine.h"
#include "util/result.h"
#include "util/snapshot_map.h"

namespace trib::dynamodb {

// Told of every table create and update (DynamoDB Streams keeps its stream catalog so: a stream
// enabled, disabled or outliving its table commits with the table's document).
class TableObserver {
 public:
  virtual ~TableObserver() = default;
  // Under the control-plane lock, before the batch is written: adds what must commit with the
  // table's new document. `before` is null for a create.
  virtual void stage(const Table* before, const Table& after, int64_t now_ms,
                     storage::WriteBatch& batch) = 0;
  // After that batch committed and the table was published (still under the lock).
  virtual void published(const Table* before, const Table& after, int64_t now_ms) = 0;
};

class TableCatalog {
 public:
  using TablePtr = std::shared_ptr<const Table>;

  explicit TableCatalog(storage::Engine& engine);
  storage::Status load();

  // The live table with this key (any state but gone), or nullptr.
  TablePtr find(const TableKey& key, int64_t now_ms) const;
  // Live tables of one account and region, sorted by name.
  std::vector<TablePtr> list(std::string_view account, std::string_view region,
                             int64_t now_ms) const;
  std::vector<TablePtr> list_all(int64_t now_ms) const;

  // Creates a table from `prototype` (its incarnation id is assigned here); `admit` runs under
  // the control-plane lock to enforce limits atomically. ResourceInUseException when a live
  // table has the name.
  using Admission = std::function<aws::AwsResult<Ok>(const TableCatalog&)>;
  aws::AwsResult<TablePtr> create(Table prototype, int64_t now_ms, const Admission& admit);

  // Replaces a live table with a modified copy: `mutate` edits the copy or fails.
  using Mutation = std::function<aws::AwsResult<Ok>(Table&)>;
  aws::AwsResult<TablePtr> update(const TableKey& key, int64_t now_ms, const Mutation& mutate);

  // Removes tables whose deletion finished, with everything stored under their incarnation.
  // Returns the incarnation ids purged.
  std::vector<uint64_t> purge_gone(int64_t now_ms);

  // At most one; set before the service serves requests.
  void set_observer(TableObserver* observer) { observer_ = observer; }

 private:
  TableObserver* observer_ = nullptr;
  storage::Engine& engine_;
  std::mutex control_mutex_;  // serializes mutations
  SnapshotMap<TableKey, Table> tables_;
  uint64_t next_table_id_ = 1;
};

// Every key of a table incarnation in the items keyspace starts with these 8 bytes.
std::string table_items_prefix(uint64_t table_id);

}  // namespace trib::dynamodb
