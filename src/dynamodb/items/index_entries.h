// Secondary index maintenance as a function of the change (DESIGN.md, scale-out rule 3): the
// entries an item has in each index, and the index changes a write from an old image to a new
// image implies. Pure functions of (table, old image, new image): a cluster backend may apply
// them later (as AWS applies GSI updates asynchronously); single-node mode applies them in the
// item's own batch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dynamodb/tables/table.h"
#include "dynamodb/values/attribute_value.h"
#include "storage/engine.h"

namespace trib::dynamodb::items {

// One item's entry in one index: its storage key and stored value (the projected item in the
// item codec), and the projected item's size (facts §8), which IndexSizeBytes and the index's
// write units count.
struct IndexEntry {
  std::string key;
  std::string value;
  size_t size = 0;
  friend bool operator==(const IndexEntry&, const IndexEntry&) = default;
};

// Whether writes maintain `index`: every index but one being deleted. A global index still
// CREATING (backfilling) is maintained, so the backfill and live writes meet.
bool is_maintained(const SecondaryIndex& index);

// Whether `index` is a global index still being backfilled at `now_ms` (created by UpdateTable,
// CREATING until active_at_ms): some items may not have their entry yet, so the write path
// checks that an old entry is stored before removing or counting it.
bool is_backfilling(const SecondaryIndex& index, int64_t now_ms);

// Whether the table has a local index: only such tables have item collections (facts §13).
bool has_local_index(const Table& table);

// The size that counts against the 400 KB item limit: the item plus its entries in every local
// index ("For each local secondary index on a table, there is a 400 KB limit on the total of
// the item's data in the table and its corresponding entries in all local secondary indexes",
// AWS developer guide, quotas [V]). Entries are sized as items (facts §8).
size_t item_size_with_local_entries(const Table& table, const Item& item);

// The attributes of `item` an index stores: the table's and the index's key attributes, plus
// NonKeyAttributes (INCLUDE) or everything (ALL).
Item project(const Table& table, const SecondaryIndex& index, const Item& item);

// The item's entry in `index`, or nullopt when the item lacks one of the index's key
// attributes (sparse indexes) or holds one of another type or empty (writes refuse those, so
// only stored items from before a schema change could).
std::optional<IndexEntry> index_entry(const Table& table, const SecondaryIndex& index,
                                      const Item& item);

// What one write does to one index.
struct IndexChange {
  const SecondaryIndex* index = nullptr;
  std::optional<IndexEntry> before;  // the old image's entry
  std::optional<IndexEntry> after;   // the new image's entry
  // Whether the index is written at all (an entry added, removed, moved or rewritten).
  bool writes() const { return before != after; }
  // Write capacity units (facts §12 [V]): 0 when the item is in the index neither before nor
  // after or its entry is unchanged; adding or removing an entry, or rewriting one in place
  // (only projected attributes changed), costs ⌈entry size / 1 KB⌉; a moved entry (its index
  // key changed) costs the removal plus the addition.
  double write_units() const;
  // Applies the change to `batch` (delete the old key, put the new entry).
  void apply(storage::WriteBatch& batch) const;
};

// The changes a write from `old_item` to `new_item` (either may be null: insert, delete)
// implies, one per maintained index, in the table's index order.
std::vector<IndexChange> index_changes(const Table& table, const Item* old_item,
                                       const Item* new_item);

}  // namespace trib::dynamodb::items
