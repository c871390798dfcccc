// Building and dropping a secondary index over a table's existing items (UpdateTable's
// GlobalSecondaryIndexUpdates Create and Delete), consistent with the write path: each item
// is indexed under its own item lock, and counts change only for entries actually added or
// removed, so live writes and the backfill can interleave freely.
#pragma once

#include <cstdint>

#include "dynamodb/items/write_path.h"

namespace trib::dynamodb::items {

// Adds the missing entries of `index` for every item of `table`, one item transaction at a
// time (never holding a lock across items), with the index's counts. Writers maintain the
// index meanwhile as long as their table snapshot lists it (is_maintained); a write still
// running on a snapshot from before the index existed can leave one entry stale, so start the
// backfill after publishing the index. Idempotent: running it again adds nothing.
// Returns the first storage error (the entries added so far stay).
storage::Status backfill_index(const WritePath& path, const Table& table,
                               const SecondaryIndex& index);

// Deletes every entry of the index `index_id` of table incarnation `table_id` and its counts
// (once writers no longer maintain it: deleting_since_ms set).
storage::Status drop_index(storage::Engine& engine, uint64_t table_id, uint32_t index_id);

}  // namespace trib::dynamodb::items
