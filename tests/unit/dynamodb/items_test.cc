// The item storage layout, index entries as a function of (old image, new image), the
// counters and the write path (dynamodb/items/).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "dynamodb/items/counters.h"
#include "dynamodb/items/index_entries.h"
#include "dynamodb/items/index_maintenance.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/item_reads.h"
#include "dynamodb/items/item_requests.h"
#include "dynamodb/items/range_reads.h"
#include "dynamodb/items/write_path.h"
#include "dynamodb/requests/projected_reads.h"
#include "dynamodb/tables/table_catalog.h"
#include "dynamodb/values/item_codec.h"
#include "dynamodb/values/item_json.h"
#include "item_builders.h"
#include "storage/keys.h"

namespace trib::dynamodb::items {
namespace {

using testing::item;
using testing::n;
using testing::s;

// pk S, sk N; LSI "bylsi" on (pk, l) KEYS_ONLY (id 1); GSI "bygsi" on (g S, gs N) INCLUDE x
// (id 2); GSI "byall" on (a S) ALL (id 3).
Table test_table() {
  Table t;
  t.id = 42;
  t.key.name = "tbl";
  t.key_schema.hash = {"pk", 'S'};
  t.key_schema.range = KeyAttribute{"sk", 'N'};
  SecondaryIndex lsi;
  lsi.name = "bylsi";
  lsi.id = 1;
  lsi.key_schema.hash = {"pk", 'S'};
  lsi.key_schema.range = KeyAttribute{"l", 'S'};
  lsi.projection_type = "KEYS_ONLY";
  SecondaryIndex gsi;
  gsi.name = "bygsi";
  gsi.global = true;
  gsi.id = 2;
  gsi.key_schema.hash = {"g", 'S'};
  gsi.key_schema.range = KeyAttribute{"gs", 'N'};
  gsi.projection_type = "INCLUDE";
  gsi.non_key_attributes = {"x"};
  SecondaryIndex all;
  all.name = "byall";
  all.global = true;
  all.id = 3;
  all.key_schema.hash = {"a", 'S'};
  all.projection_type = "ALL";
  t.indexes = {lsi, gsi, all};
  return t;
}

TEST(ItemLayout, BaseKeyIsTableIndexZeroHashThenKeyComponents) {
  const Table t = test_table();
  const Item i = item({{"pk", s("p1")}, {"sk", n("10")}, {"v", s("x")}});
  const std::string key = base_item_key(t, i);
  std::string expected = table_items_prefix(42);
  expected += storage::KeyBuilder().u32(0).u64(partition_key_hash(s("p1"))).str();
  append_key_component(expected, s("p1"));
  append_key_component(expected, n("10"));
  EXPECT_EQ(key, expected);
  // docs/storage-encoding.md's example: table 7, pk "a", sk 1.
  Table seven = t;
  seven.id = 7;
  EXPECT_EQ(base_item_key(seven, item({{"pk", s("a")}, {"sk", n("1")}})),
            std::string("\0\0\0\0\0\0\0\x07\0\0\0\0", 12) +
                storage::KeyBuilder().u64(partition_key_hash(s("a"))).str() +
                std::string("a\0\x01\x03\x82\x0b\0", 7));
  EXPECT_EQ(key.substr(0, 12), index_range_prefix(42, kBaseTableIndexId));
  // Equal numbers are one key; sort keys of one partition sort numerically.
  EXPECT_EQ(key, base_item_key(t, item({{"pk", s("p1")}, {"sk", n("1e1")}})));
  EXPECT_LT(base_item_key(t, item({{"pk", s("p1")}, {"sk", n("9")}})), key);
  EXPECT_LT(base_item_key(t, item({{"pk", s("p1")}, {"sk", n("-100")}})),
            base_item_key(t, item({{"pk", s("p1")}, {"sk", n("-99")}})));
}

TEST(ItemLayout, EveryKeyOfATableStartsWithItsIncarnationPrefix) {
  const Table t = test_table();
  const Item i = item({{"pk", s("p")},
                       {"sk", n("1")},
                       {"l", s("L")},
                       {"g", s("G")},
                       {"gs", n("2")},
                       {"a", s("A")}});
  const std::string prefix = table_items_prefix(42);
  EXPECT_EQ(base_item_key(t, i).rfind(prefix, 0), 0u);
  for (const SecondaryIndex& index : t.indexes) {
    auto entry = index_entry(t, index, i);
    ASSERT_TRUE(entry) << index.name;
    EXPECT_EQ(entry->key.rfind(index_range_prefix(42, index.id), 0), 0u) << index.name;
  }
  EXPECT_EQ(counter_stripe_key(42, 5).rfind(prefix, 0), 0u);
}

TEST(IndexEntries, SparseAndProjected) {
  const Table t = test_table();
  const Item i = item({{"pk", s("p")},
                       {"sk", n("1")},
                       {"g", s("G")},
                       {"gs", n("2")},
                       {"x", s("X")},
                       {"y", s("Y")}});
  // No "l": not in the LSI; no "a": not in byall.
  EXPECT_FALSE(index_entry(t, t.indexes[0], i));
  EXPECT_FALSE(index_entry(t, t.indexes[2], i));
  // A GSI key of the wrong type or empty is not indexed either.
  EXPECT_FALSE(index_entry(t, t.indexes[1],
                           item({{"pk", s("p")}, {"sk", n("1")}, {"g", n("1")}, {"gs", n("2")}})));
  EXPECT_FALSE(index_entry(t, t.indexes[1],
                           item({{"pk", s("p")}, {"sk", n("1")}, {"g", s("")}, {"gs", n("2")}})));
  auto entry = index_entry(t, t.indexes[1], i);
  ASSERT_TRUE(entry);
  // INCLUDE x: table keys + index keys + x, not y.
  const Item projected =
      item({{"pk", s("p")}, {"sk", n("1")}, {"g", s("G")}, {"gs", n("2")}, {"x", s("X")}});
  EXPECT_EQ(decode_item(entry->value), projected);
  EXPECT_EQ(entry->size, item_size(projected));
  // KEYS_ONLY and ALL.
  const Item with_l = item({{"pk", s("p")}, {"sk", n("1")}, {"l", s("L")}, {"y", s("Y")}});
  EXPECT_EQ(decode_item(index_entry(t, t.indexes[0], with_l)->value),
            item({{"pk", s("p")}, {"sk", n("1")}, {"l", s("L")}}));
  const Item with_a = item({{"pk", s("p")}, {"sk", n("1")}, {"a", s("A")}, {"y", s("Y")}});
  EXPECT_EQ(decode_item(index_entry(t, t.indexes[2], with_a)->value), with_a);
}

TEST(IndexEntries, EqualIndexKeysCoexistAndLocalIndexesShareThePartitionHash) {
  const Table t = test_table();
  const Item a =
      item({{"pk", s("p1")}, {"sk", n("1")}, {"g", s("G")}, {"gs", n("2")}, {"l", s("L")}});
  const Item b =
      item({{"pk", s("p2")}, {"sk", n("1")}, {"g", s("G")}, {"gs", n("2")}, {"l", s("L")}});
  EXPECT_NE(index_entry(t, t.indexes[1], a)->key, index_entry(t, t.indexes[1], b)->key);
  // GSI: the index partition key's hash leads.
  const std::string gsi_key = index_entry(t, t.indexes[1], a)->key;
  EXPECT_EQ(gsi_key.substr(12, 8), storage::KeyBuilder().u64(partition_key_hash(s("G"))).str());
  // LSI: the table's partition hash leads, as for the base item.
  const std::string lsi_key = index_entry(t, t.indexes[0], a)->key;
  EXPECT_EQ(lsi_key.substr(12, 8), base_item_key(t, a).substr(12, 8));
  // Two items of one partition with one LSI sort key value: distinct entries.
  const Item a2 = item({{"pk", s("p1")}, {"sk", n("2")}, {"l", s("L")}});
  EXPECT_NE(index_entry(t, t.indexes[0], a)->key, index_entry(t, t.indexes[0], a2)->key);
}

TEST(IndexEntries, ChangesAndWriteUnitsFollowFromOldAndNewImages) {
  const Table t = test_table();
  const Item base = item({{"pk", s("p")},
                          {"sk", n("1")},
                          {"g", s("G")},
                          {"gs", n("2")},
                          {"x", s("X")},
                          {"y", s("Y")}});
  const auto gsi_change = [&](const Item* before, const Item* after) {
    for (const IndexChange& c : index_changes(t, before, after)) {
      if (c.index->name == "bygsi") return c;
    }
    return IndexChange{};
  };
  // Insert and delete: one entry written, 1 unit.
  EXPECT_EQ(gsi_change(nullptr, &base).write_units(), 1.0);
  EXPECT_EQ(gsi_change(&base, nullptr).write_units(), 1.0);
  // Only a non-projected attribute changes: nothing written.
  Item y_changed = base;
  put_attribute(y_changed, "y", s("Z"));
  EXPECT_FALSE(gsi_change(&base, &y_changed).writes());
  EXPECT_EQ(gsi_change(&base, &y_changed).write_units(), 0.0);
  // A projected attribute changes: rewritten in place, 1 unit.
  Item x_changed = base;
  put_attribute(x_changed, "x", s("W"));
  EXPECT_EQ(gsi_change(&base, &x_changed).write_units(), 1.0);
  // The index key changes: removal + addition, 2 units.
  Item moved = base;
  put_attribute(moved, "g", s("H"));
  EXPECT_EQ(gsi_change(&base, &moved).write_units(), 2.0);
  // Neither before nor after in the index: 0.
  const Item plain = item({{"pk", s("p")}, {"sk", n("1")}});
  EXPECT_EQ(gsi_change(&plain, &plain).write_units(), 0.0);
  // Large entries: ⌈size / 1 KB⌉.
  Item big = base;
  put_attribute(big, "x", s(std::string(3000, 'x')));
  EXPECT_EQ(gsi_change(nullptr, &big).write_units(), 3.0);

  // apply(): a moved entry deletes its old key and puts the new one.
  storage::WriteBatch batch;
  gsi_change(&base, &moved).apply(batch);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch.ops()[0].type, storage::WriteBatch::OpType::kDelete);
  EXPECT_EQ(batch.ops()[1].type, storage::WriteBatch::OpType::kPut);
  // An index being deleted is not maintained.
  Table deleting = t;
  deleting.indexes[1].deleting_since_ms = 1;
  EXPECT_EQ(index_changes(deleting, nullptr, &base).size(), 2u);
}

TEST(Counters, EncodeDecodeAndAdd) {
  CountsByIndex counts{{0, {3, 120}}, {2, {1, 40}}};
  EXPECT_EQ(decode_counts(encode_counts(counts)), counts);
  EXPECT_FALSE(decode_counts("abc"));
  add_counts(counts, {{0, {-3, -120}}, {5, {1, 7}}});
  EXPECT_EQ(counts, (CountsByIndex{{2, {1, 40}}, {5, {1, 7}}}));
  EXPECT_EQ(counter_stripe(0), 0);
  EXPECT_EQ(counter_stripe(~uint64_t{0}), kCounterStripes - 1);
}

struct RecordingCapture : ChangeCapture {
  std::vector<ChangeKind> kinds;
  std::vector<uint64_t> committed_tables;  // committed(table) calls, by table id
  storage::Status capture(const ItemChange& change, storage::Transaction& txn) override {
    kinds.push_back(change.kind);
    txn.batch().put(storage::Keyspace::kItems, "~capture" + std::to_string(kinds.size()),
                    change.new_image ? encode_item(*change.new_image) : "");
    return storage::Status::ok();
  }
  void committed(const Table& table) override { committed_tables.push_back(table.id); }
};

Item key_of(std::string pk, std::string_view sk) { return item({{"pk", s(pk)}, {"sk", n(sk)}}); }

TEST(WritePath, PutDeleteNoOpCountersIndexesAndCapture) {
  auto engine = storage::make_memory_engine();
  RecordingCapture capture;
  const WritePath path{*engine, false, &capture};
  const Table t = test_table();
  const Item i =
      item({{"pk", s("p")}, {"sk", n("1")}, {"g", s("G")}, {"gs", n("2")}, {"x", s("X")}});
  const auto put = [&](const Item& value) {
    return path
        .write(
            t, key_of("p", "1"),
            [&](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
              return WriteDecision::put(value);
            },
            1000)
        .value();
  };
  const auto remove = [&] {
    return path
        .write(
            t, key_of("p", "1"),
            [&](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
              return WriteDecision::remove();
            },
            1000)
        .value();
  };
  const auto counts = [&] {
    CountsByIndex c;
    EXPECT_TRUE(read_counts(*engine, t.id, &c).is_ok());
    return c;
  };

  WriteOutcome first = put(i);
  EXPECT_EQ(first.kind, ChangeKind::kInsert);
  EXPECT_FALSE(first.old_item);
  ASSERT_EQ(first.index_units.size(), 1u);
  EXPECT_EQ(first.index_units[0].index->name, "bygsi");
  EXPECT_EQ(first.total_units(), 2.0);
  EXPECT_EQ(read_item(*engine, t, key_of("p", "1")).value(), i);
  const int64_t gsi_size = static_cast<int64_t>(index_entry(t, t.indexes[1], i)->size);
  EXPECT_EQ(counts(),
            (CountsByIndex{{0, {1, static_cast<int64_t>(item_size(i))}}, {2, {1, gsi_size}}}));
  std::string stored;
  EXPECT_TRUE(engine->get(storage::Keyspace::kItems, index_entry(t, t.indexes[1], i)->key, &stored)
                  .is_ok());

  // The same item again: a no-op, shown to the hook as kNone, nothing counted twice.
  WriteOutcome same = put(i);
  EXPECT_EQ(same.kind, ChangeKind::kNone);
  EXPECT_TRUE(same.index_units.empty());
  EXPECT_EQ(counts()[0].items, 1);

  // Moving out of the GSI (g removed) deletes its entry.
  const Item without_g = item({{"pk", s("p")}, {"sk", n("1")}, {"x", s("X")}});
  WriteOutcome modified = put(without_g);
  EXPECT_EQ(modified.kind, ChangeKind::kModify);
  EXPECT_EQ(modified.old_item, i);
  EXPECT_TRUE(engine->get(storage::Keyspace::kItems, index_entry(t, t.indexes[1], i)->key, &stored)
                  .is_not_found());
  EXPECT_EQ(counts(), (CountsByIndex{{0, {1, static_cast<int64_t>(item_size(without_g))}}}));

  EXPECT_EQ(remove().kind, ChangeKind::kRemove);
  EXPECT_EQ(remove().kind, ChangeKind::kNone);  // already gone
  EXPECT_TRUE(counts().empty());
  EXPECT_FALSE(read_item(*engine, t, key_of("p", "1")).value());
  EXPECT_EQ(capture.kinds,
            (std::vector<ChangeKind>{ChangeKind::kInsert, ChangeKind::kNone, ChangeKind::kModify,
                                     ChangeKind::kRemove, ChangeKind::kNone}));
  // Told after each commit that changed something (3 of the 5 writes), never for a no-op.
  EXPECT_EQ(capture.committed_tables, (std::vector<uint64_t>(3, t.id)));
  // The hook's output was committed with the writes.
  EXPECT_TRUE(engine->get(storage::Keyspace::kItems, "~capture3", &stored).is_ok());
}

TEST(WritePath, AStepErrorWritesNothing) {
  auto engine = storage::make_memory_engine();
  RecordingCapture capture;
  const WritePath path{*engine, false, &capture};
  const Table t = test_table();
  auto result = path.write(
      t, key_of("p", "1"),
      [](const std::optional<Item>& old) -> aws::AwsResult<WriteDecision> {
        EXPECT_FALSE(old);
        return aws::fail(aws::AwsError::client("ConditionalCheckFailedException", "no"));
      },
      1);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().type, "ConditionalCheckFailedException");
  EXPECT_TRUE(capture.kinds.empty());
  EXPECT_TRUE(capture.committed_tables.empty());
  CountsByIndex c;
  EXPECT_TRUE(read_counts(*engine, t.id, &c).is_ok());
  EXPECT_TRUE(c.empty());
}

// Tables with a local index: the item collection of a partition key is the items plus their
// local index entries (facts §13), measured in the item's batch; growth past the limit fails
// with ItemCollectionSizeLimitExceededException and writes nothing, shrinking is allowed.
TEST(WritePath, ItemCollectionsAreMeasuredAndLimited) {
  auto engine = storage::make_memory_engine();
  const Table t = test_table();  // "bylsi" is a local index (KEYS_ONLY)
  const Item big = item({{"pk", s("p")}, {"sk", n("1")}, {"l", s("L")}, {"x", s("0123456789")}});
  const size_t member = item_size(big) + index_entry(t, t.indexes[0], big)->size;
  EXPECT_EQ(item_size_with_local_entries(t, big), member);
  WritePath path{*engine, false, nullptr};
  path.item_collection_limit_bytes = 2 * member;
  const auto put = [&](const Item& value) {
    return path.write(
        t, key_attributes(t.key_schema, value),
        [&](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
          return WriteDecision::put(value);
        },
        1000);
  };
  auto first = put(big);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->collection_bytes, member);
  Item second = big;
  put_attribute(second, "sk", n("2"));
  EXPECT_EQ(put(second)->collection_bytes, 2 * member);
  Item third = big;
  put_attribute(third, "sk", n("3"));
  auto refused = put(third);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().type, "ItemCollectionSizeLimitExceededException");
  EXPECT_EQ(refused.error().message, "Collection size exceeded");
  EXPECT_FALSE(read_item(*engine, t, key_of("p", "3")).value());
  // Another partition key is another collection; a shrinking write passes.
  Item other = big;
  put_attribute(other, "pk", s("q"));
  EXPECT_EQ(put(other)->collection_bytes, member);
  const Item smaller = item({{"pk", s("p")}, {"sk", n("2")}});
  EXPECT_EQ(put(smaller)->collection_bytes, member + item_size(smaller));
  // Back to empty: the collection's key is removed with the last member.
  for (const char* sk : {"1", "2"}) {
    auto gone = path.write(
        t, key_of("p", sk),
        [](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
          return WriteDecision::remove();
        },
        1000);
    ASSERT_TRUE(gone);
  }
  std::string stored;
  EXPECT_TRUE(engine->get(storage::Keyspace::kItems, collection_size_key(t, s("p")), &stored)
                  .is_not_found());
  // A table without a local index has no collections.
  Table plain = t;
  plain.indexes.erase(plain.indexes.begin());
  EXPECT_FALSE(has_local_index(plain));
  WritePath unlimited{*engine, false, nullptr};
  unlimited.item_collection_limit_bytes = 1;
  auto plain_write = unlimited.write(
      plain, key_of("p", "1"),
      [&](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
        return WriteDecision::put(big);
      },
      1000);
  ASSERT_TRUE(plain_write);
  EXPECT_FALSE(plain_write->collection_bytes);
}

TEST(ItemRequests, SizeEstimateRangeIsTheWholeGigabytesAround) {
  EXPECT_EQ(size_estimate_range_gb(0), (std::pair<double, double>{0.0, 1.0}));
  EXPECT_EQ(size_estimate_range_gb((1ULL << 30) - 1), (std::pair<double, double>{0.0, 1.0}));
  EXPECT_EQ(size_estimate_range_gb(1ULL << 30), (std::pair<double, double>{1.0, 2.0}));
  EXPECT_EQ(size_estimate_range_gb(10ULL << 30), (std::pair<double, double>{10.0, 11.0}));
}

TEST(WritePath, ConcurrentWritersKeepCountsExact) {
  auto engine = storage::make_memory_engine();
  const WritePath path{*engine, false, nullptr};
  const Table t = test_table();
  constexpr int kThreads = 8;
  constexpr int kOps = 400;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&, w] {
      for (int op = 0; op < kOps; ++op) {
        // Keys 0..49 shared by all threads; puts and deletes interleave.
        const std::string pk = "k" + std::to_string((op * 7 + w) % 50);
        const bool del = (op + w) % 3 == 0;
        Item value = item({{"pk", s(pk)},
                           {"sk", n("1")},
                           {"g", s("G" + std::to_string(op % 4))},
                           {"gs", n("1")}});
        auto r = path.write(
            t, key_of(pk, "1"),
            [&](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
              return del ? WriteDecision::remove() : WriteDecision::put(value);
            },
            1);
        if (!r) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  // Recount from storage and compare with the counters.
  int64_t items = 0, bytes = 0, gsi_items = 0, gsi_bytes = 0;
  auto it = engine->iterate(storage::Keyspace::kItems);
  const std::string base = index_range_prefix(t.id, 0);
  const std::string gsi = index_range_prefix(t.id, 2);
  for (it->seek_to_first(); it->valid(); it->next()) {
    const std::string_view key = it->key();
    if (key.substr(0, base.size()) == base) {
      ++items;
      bytes += static_cast<int64_t>(item_size(*decode_item(it->value())));
    } else if (key.substr(0, gsi.size()) == gsi) {
      ++gsi_items;
      gsi_bytes += static_cast<int64_t>(item_size(*decode_item(it->value())));
    }
  }
  CountsByIndex c;
  ASSERT_TRUE(read_counts(*engine, t.id, &c).is_ok());
  EXPECT_EQ(c[0], (Counts{items, bytes}));
  EXPECT_EQ(c[2], (Counts{gsi_items, gsi_bytes}));
  EXPECT_EQ(gsi_items, items);  // every item has g and gs
}

// Threads add their counts to their own sub-stripe of the item's stripe (so two threads writing
// to one partition do not wait for one counter lock); readers sum every key.
TEST(WritePath, EachThreadCountsInItsOwnSubStripe) {
  auto engine = storage::make_memory_engine();
  const WritePath path{*engine, false, nullptr};
  const Table t = test_table();
  std::vector<int> sub_stripes(3, -1);
  std::vector<std::thread> threads;
  for (int w = 0; w < 3; ++w) {
    threads.emplace_back([&, w] {
      sub_stripes[w] = counter_sub_stripe();
      EXPECT_EQ(counter_sub_stripe(), sub_stripes[w]);  // fixed per thread
      const Item value = item({{"pk", s("one")}, {"sk", n(std::to_string(w))}});
      EXPECT_TRUE(path.write(
          t, key_of("one", std::to_string(w)),
          [&](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
            return WriteDecision::put(value);
          },
          1));
    });
  }
  for (auto& thread : threads) thread.join();
  std::sort(sub_stripes.begin(), sub_stripes.end());
  EXPECT_EQ(std::unique(sub_stripes.begin(), sub_stripes.end()), sub_stripes.end());
  std::vector<std::string> keys;
  ASSERT_TRUE(counter_keys(*engine, t.id, &keys).is_ok());
  ASSERT_EQ(keys.size(), 3u);
  const int stripe = counter_stripe(partition_key_hash(s("one")));
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(keys[i], counter_stripe_key(t.id, stripe, sub_stripes[i]));
  }
  EXPECT_EQ(counter_stripe_key(t.id, stripe, 0), counter_stripe_key(t.id, stripe));
  CountsByIndex c;
  ASSERT_TRUE(read_counts(*engine, t.id, &c).is_ok());
  EXPECT_EQ(c[kBaseTableIndexId].items, 3);
}

// A multi-item write whose steps all pass commits every item, and counters of items sharing a
// stripe (one partition key, two sort keys) add up (the transaction reads each stripe once).
TEST(WriteItems, AllItemsCommitInOneBatchWithExactCounters) {
  auto engine = storage::make_memory_engine();
  RecordingCapture capture;
  const WritePath path{*engine, false, &capture};
  const Table t = test_table();
  const Item a = item({{"pk", s("p")}, {"sk", n("1")}, {"g", s("G")}, {"gs", n("1")}});
  const Item b = item({{"pk", s("p")}, {"sk", n("2")}});
  const Item c = item({{"pk", s("q")}, {"sk", n("1")}});
  const Item ka = key_of("p", "1"), kb = key_of("p", "2"), kc = key_of("q", "1");
  const auto put = [](const Item& value) -> WriteStep {
    return [value](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
      return WriteDecision::put(value);
    };
  };
  const ItemWrite writes[] = {{t, ka, put(a)}, {t, kb, put(b)}, {t, kc, put(c)}};
  auto group = path.write_items(writes, 5);
  ASSERT_TRUE(group);
  EXPECT_FALSE(group->stopped);
  EXPECT_TRUE(group->step_errors.empty());
  ASSERT_EQ(group->outcomes.size(), 3u);
  for (const WriteOutcome& o : group->outcomes) EXPECT_EQ(o.kind, ChangeKind::kInsert);
  EXPECT_EQ(capture.kinds.size(), 3u);
  CountsByIndex counts;
  ASSERT_TRUE(read_counts(*engine, t.id, &counts).is_ok());
  EXPECT_EQ(counts[0].items, 3);
  EXPECT_EQ(counts[0].bytes, static_cast<int64_t>(item_size(a) + item_size(b) + item_size(c)));
  EXPECT_EQ(counts[2].items, 1);

  // Delete two of one stripe in one transaction: counts go back exactly.
  const auto remove = [](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
    return WriteDecision::remove();
  };
  const ItemWrite deletes[] = {{t, ka, remove}, {t, kb, remove}};
  ASSERT_TRUE(path.write_items(deletes, 6));
  counts.clear();
  ASSERT_TRUE(read_counts(*engine, t.id, &counts).is_ok());
  EXPECT_EQ(counts, (CountsByIndex{{0, {1, static_cast<int64_t>(item_size(c))}}}));
}

// committed(table) after a multi-item write: once per table with a change (a transaction or a
// batch over two tables, several items of one table), none for a table whose only write was a
// no-op; the consumer of the Kinesis destination wakes its delivery job there.
TEST(WriteItems, CommittedIsToldOncePerChangedTable) {
  auto engine = storage::make_memory_engine();
  RecordingCapture capture, second;
  ChangeCaptureList fan_out;  // passes it on to every consumer
  fan_out.add(&capture);
  fan_out.add(&second);
  const WritePath path{*engine, false, &fan_out};
  const Table t1 = test_table();
  Table t2 = test_table();
  t2.id = t1.id + 1;
  Table t3 = test_table();
  t3.id = t1.id + 2;
  const Item k1 = key_of("a", "1"), k2 = key_of("b", "1"), k3 = key_of("c", "1");
  const auto put = [](const Item& value) -> WriteStep {
    return [value](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
      return WriteDecision::put(value);
    };
  };
  const auto keep = [](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
    return WriteDecision::keep();
  };
  const ItemWrite writes[] = {
      {t1, k1, put(k1)}, {t2, k1, put(k1)}, {t1, k2, put(k2)}, {t3, k3, keep}, {t2, k3, put(k3)}};
  ASSERT_TRUE(path.write_items(writes, 1));
  EXPECT_EQ(capture.kinds.size(), 5u);
  EXPECT_EQ(capture.committed_tables, (std::vector<uint64_t>{t1.id, t2.id}));
  EXPECT_EQ(second.committed_tables, capture.committed_tables);
}

// One failing step: nothing is written (no item, no counter, no change record), and every
// step ran, so every failure is reported in order.
TEST(WriteItems, OneFailingStepWritesNothing) {
  auto engine = storage::make_memory_engine();
  RecordingCapture capture;
  const WritePath path{*engine, false, &capture};
  const Table t = test_table();
  const Item k1 = key_of("a", "1"), k2 = key_of("b", "1"), k3 = key_of("c", "1");
  int steps_run = 0;
  const auto put = [&](const Item& key) -> WriteStep {
    return [&, key](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
      ++steps_run;
      return WriteDecision::put(key);
    };
  };
  const auto fail = [&](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
    ++steps_run;
    return aws::fail(aws::AwsError::client("ConditionalCheckFailedException", "no"));
  };
  const ItemWrite writes[] = {{t, k1, put(k1)}, {t, k2, fail}, {t, k3, fail}};
  auto group = path.write_items(writes, 1);
  ASSERT_TRUE(group);
  EXPECT_EQ(steps_run, 3);
  ASSERT_EQ(group->step_errors.size(), 3u);
  EXPECT_FALSE(group->step_errors[0]);
  EXPECT_EQ(group->step_errors[1]->type, "ConditionalCheckFailedException");
  EXPECT_TRUE(group->step_errors[2]);
  EXPECT_TRUE(group->outcomes.empty());
  EXPECT_TRUE(capture.kinds.empty());
  EXPECT_TRUE(capture.committed_tables.empty());
  auto it = engine->iterate(storage::Keyspace::kItems);
  it->seek_to_first();
  EXPECT_FALSE(it->valid());  // not one key written
}

// Item collections in a multi-item write: the changes of one collection are summed over its
// items (three that each fit alone may not fit together), every write that grew a collection
// past the limit fails with ItemCollectionSizeLimitExceededException, the others none, and
// nothing is written; a transaction whose net change shrinks or keeps a collection passes, and
// every outcome carries its collection's size after the whole write.
TEST(WriteItems, ItemCollectionsAreSummedOverTheWrite) {
  auto engine = storage::make_memory_engine();
  const Table t = test_table();  // "bylsi" is a local index
  const auto member_item = [](const char* pk, const char* sk) {
    return item({{"pk", s(pk)}, {"sk", n(sk)}, {"l", s("L")}, {"x", s("0123456789")}});
  };
  const Item p1 = member_item("p", "1");
  const size_t member = item_size_with_local_entries(t, p1);
  WritePath path{*engine, false, nullptr};
  path.item_collection_limit_bytes = 2 * member;
  const auto put = [](const Item& value) -> WriteStep {
    return [value](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
      return WriteDecision::put(value);
    };
  };
  const auto remove = [](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
    return WriteDecision::remove();
  };
  const Item p2 = member_item("p", "2"), p3 = member_item("p", "3"), q1 = member_item("q", "1");
  const Item kp1 = key_of("p", "1"), kp2 = key_of("p", "2"), kp3 = key_of("p", "3");
  const Item kq1 = key_of("q", "1");

  // Three members of p in one write: each fits alone, together they do not.
  const ItemWrite three[] = {{t, kp1, put(p1)}, {t, kp2, put(p2)}, {t, kp3, put(p3)}};
  auto refused = path.write_items(three, 1);
  ASSERT_TRUE(refused);
  ASSERT_EQ(refused->step_errors.size(), 3u);
  for (const auto& e : refused->step_errors) {
    ASSERT_TRUE(e);
    EXPECT_EQ(e->type, "ItemCollectionSizeLimitExceededException");
    EXPECT_EQ(e->message, "Collection size exceeded");
  }
  {
    auto it = engine->iterate(storage::Keyspace::kItems);
    it->seek_to_first();
    EXPECT_FALSE(it->valid());  // not one key written
  }

  // Two fit: both outcomes report the collection after both.
  const ItemWrite two[] = {{t, kp1, put(p1)}, {t, kp2, put(p2)}};
  auto group = path.write_items(two, 2);
  ASSERT_TRUE(group);
  ASSERT_TRUE(group->step_errors.empty());
  EXPECT_EQ(group->outcomes[0].collection_bytes, 2 * member);
  EXPECT_EQ(group->outcomes[1].collection_bytes, 2 * member);

  // One more member of p fails alone; the write to q beside it has no error but is not written.
  const ItemWrite grow[] = {{t, kq1, put(q1)}, {t, kp3, put(p3)}};
  auto one_full = path.write_items(grow, 3);
  ASSERT_TRUE(one_full);
  ASSERT_EQ(one_full->step_errors.size(), 2u);
  EXPECT_FALSE(one_full->step_errors[0]);
  ASSERT_TRUE(one_full->step_errors[1]);
  EXPECT_EQ(one_full->step_errors[1]->type, "ItemCollectionSizeLimitExceededException");
  EXPECT_FALSE(read_item(*engine, t, kq1).value());
  EXPECT_FALSE(read_item(*engine, t, kp3).value());

  // Adding p3 while deleting p1 keeps the collection's size: allowed.
  const ItemWrite swap[] = {{t, kp3, put(p3)}, {t, kp1, remove}};
  auto swapped = path.write_items(swap, 4);
  ASSERT_TRUE(swapped);
  ASSERT_TRUE(swapped->step_errors.empty());
  EXPECT_EQ(swapped->outcomes[0].collection_bytes, 2 * member);
  EXPECT_EQ(swapped->outcomes[1].collection_bytes, 2 * member);
  std::string stored;
  ASSERT_TRUE(
      engine->get(storage::Keyspace::kItems, collection_size_key(t, s("p")), &stored).is_ok());
  EXPECT_EQ(decode_collection_size(stored), 2 * member);
}

// The guard runs under the locks: `false` stops with nothing written, an error is returned
// as is, and its commit goes into the same batch as the items.
TEST(WriteItems, GuardStopsRefusesOrCommitsWithTheItems) {
  auto engine = storage::make_memory_engine();
  const WritePath path{*engine, false, nullptr};
  const Table t = test_table();
  const Item k = key_of("a", "1");
  const ItemWrite writes[] = {
      {t, k, [&](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
         return WriteDecision::put(k);
       }}};
  WriteGuard stop{{{storage::Keyspace::kMeta, "guard"}},
                  [](storage::Transaction&) -> aws::AwsResult<bool> { return false; },
                  nullptr};
  auto stopped = path.write_items(writes, 1, WriteOrigin::kRequest, &stop);
  ASSERT_TRUE(stopped);
  EXPECT_TRUE(stopped->stopped);
  EXPECT_FALSE(read_item(*engine, t, k).value());

  WriteGuard refuse{{{storage::Keyspace::kMeta, "guard"}},
                    [](storage::Transaction&) -> aws::AwsResult<bool> {
                      return aws::fail(aws::AwsError::client("Mismatch", "m"));
                    },
                    nullptr};
  auto refused = path.write_items(writes, 1, WriteOrigin::kRequest, &refuse);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().type, "Mismatch");
  EXPECT_FALSE(read_item(*engine, t, k).value());

  WriteGuard record{{{storage::Keyspace::kMeta, "guard"}},
                    [](storage::Transaction& txn) -> aws::AwsResult<bool> {
                      std::string v;
                      return txn.get(storage::Keyspace::kMeta, "guard", &v).is_not_found();
                    },
                    [](storage::WriteBatch& batch) {
                      batch.put(storage::Keyspace::kMeta, "guard", "done");
                      return storage::Status::ok();
                    }};
  ASSERT_TRUE(path.write_items(writes, 1, WriteOrigin::kRequest, &record));
  EXPECT_TRUE(read_item(*engine, t, k).value());
  std::string v;
  EXPECT_TRUE(engine->get(storage::Keyspace::kMeta, "guard", &v).is_ok());
  auto again = path.write_items(writes, 1, WriteOrigin::kRequest, &record);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->stopped);
}

// Lock order: threads move amounts between K items, naming them in opposite orders, while
// single-item writes hit the same items. Items are locked in one global order (ascending
// lock stripe, storage/key_locks.h), so nothing deadlocks, and since all locks are held
// from the reads to the commit no update is lost: the total is conserved.
TEST(WriteItems, TransfersInOppositeOrdersNeitherDeadlockNorLoseUpdates) {
  auto engine = storage::make_memory_engine();
  const WritePath path{*engine, false, nullptr};
  const Table t = test_table();
  constexpr int kAccounts = 6;
  const auto key = [](int i) { return key_of("acct" + std::to_string(i), "1"); };
  const auto balance_item = [&](int i, int64_t balance) {
    Item value = key(i);
    put_attribute(value, "bal", n(std::to_string(balance)));
    return value;
  };
  for (int i = 0; i < kAccounts; ++i) {
    ASSERT_TRUE(path.write(
        t, key(i),
        [&](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
          return WriteDecision::put(balance_item(i, 100));
        },
        0));
  }
  const auto balance_of = [](const std::optional<Item>& value) -> int64_t {
    return std::stoll(find_attribute(*value, "bal")->as_number().to_string());
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < 6; ++w) {
    threads.emplace_back([&, w] {
      for (int op = 0; op < 300; ++op) {
        int from = (op + w) % kAccounts;
        int to = (op * 5 + w + 1) % kAccounts;
        if (from == to) to = (to + 1) % kAccounts;
        if (w % 2 == 1) std::swap(from, to);  // the other order
        const Item kf = key(from), kt = key(to);
        const ItemWrite writes[] = {
            {t, kf,
             [&](const std::optional<Item>& old) -> aws::AwsResult<WriteDecision> {
               return WriteDecision::put(balance_item(from, balance_of(old) - 3));
             }},
            {t, kt, [&](const std::optional<Item>& old) -> aws::AwsResult<WriteDecision> {
               return WriteDecision::put(balance_item(to, balance_of(old) + 3));
             }}};
        EXPECT_TRUE(path.write_items(writes, 1));
        if (op % 10 == 0) {  // a single-item no-op rewrite on the same locks
          EXPECT_TRUE(path.write(
              t, kf,
              [&](const std::optional<Item>& old) -> aws::AwsResult<WriteDecision> {
                return WriteDecision::put(*old);
              },
              1));
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  int64_t total = 0;
  for (int i = 0; i < kAccounts; ++i) total += balance_of(read_item(*engine, t, key(i)).value());
  EXPECT_EQ(total, 100 * kAccounts);
}

// Every entry of index `index_id` must be exactly the entries of the stored items, and the
// counters must match a recount.
void expect_index_matches_items(storage::Engine& engine, const Table& table,
                                const SecondaryIndex& index) {
  std::map<std::string, std::string> expected;
  auto items_it = engine.iterate(storage::Keyspace::kItems);
  const std::string base = index_range_prefix(table.id, 0);
  const std::string range = index_range_prefix(table.id, index.id);
  std::map<std::string, std::string> actual;
  int64_t bytes = 0;
  for (items_it->seek_to_first(); items_it->valid(); items_it->next()) {
    const std::string key(items_it->key());
    if (key.rfind(base, 0) == 0) {
      if (auto entry = index_entry(table, index, *decode_item(items_it->value()))) {
        expected[entry->key] = entry->value;
      }
    } else if (key.rfind(range, 0) == 0) {
      actual[key] = std::string(items_it->value());
      bytes += static_cast<int64_t>(item_size(*decode_item(items_it->value())));
    }
  }
  EXPECT_EQ(actual, expected);
  CountsByIndex counts;
  ASSERT_TRUE(read_counts(engine, table.id, &counts).is_ok());
  EXPECT_EQ(counts[index.id], (Counts{static_cast<int64_t>(actual.size()), bytes}));
}

// The encoding of `with_a_and_b` (which has null attributes "a" and "b") with "b" stored before
// "a": decode_item puts them in order, append_item_json refuses it (not canonical).
std::string not_canonical_encoding(const Item& with_a_and_b) {
  std::string unsorted = encode_item(with_a_and_b);
  const std::string in_order(
      "\x01"
      "a\x04\x01"
      "b\x04",
      6);
  const size_t at = unsorted.find(in_order);
  EXPECT_NE(at, std::string::npos);
  if (at == std::string::npos) return unsorted;
  unsorted.replace(at, in_order.size(),
                   std::string("\x01"
                               "b\x04\x01"
                               "a\x04",
                               6));
  std::string refused;
  EXPECT_FALSE(append_item_json(refused, unsorted));
  EXPECT_TRUE(decode_item(unsorted));
  return unsorted;
}

// An item read for the wire (GetItem without a projection) is the item of the decoding read:
// the same JSON, item_size and Value form, written from the stored bytes, or decoded when they
// are not canonical; absent is absent and undecodable bytes are an internal error either way.
TEST(ItemReads, WireItemIsTheItemOfTheDecodingRead) {
  auto engine = storage::make_memory_engine();
  const Table t = test_table();
  const Item canonical = item({{"pk", s("p")},
                               {"sk", n("1")},
                               {"text", s("caf\xc3\xa9 \"\n")},
                               {"m", AttributeValue::map({{"z", n("-1.50")}, {"a", s("")}})},
                               {"ss", AttributeValue::string_set({"b", "a"})}});
  const Item unsorted = item({{"a", AttributeValue::null()},
                              {"b", AttributeValue::null()},
                              {"pk", s("p")},
                              {"sk", n("2")}});
  storage::WriteBatch batch;
  batch.put(storage::Keyspace::kItems, base_item_key(t, canonical), encode_item(canonical));
  batch.put(storage::Keyspace::kItems, base_item_key(t, unsorted),
            not_canonical_encoding(unsorted));
  batch.put(storage::Keyspace::kItems, base_item_key(t, key_of("p", "3")), "\x7f damaged");
  ASSERT_TRUE(engine->write(batch, {}).is_ok());

  for (const char* sk : {"1", "2"}) {
    auto decoded = read_item(*engine, t, key_of("p", sk));
    auto wire = read_item_to_wire(*engine, t, key_of("p", sk));
    ASSERT_TRUE(decoded && *decoded && wire && *wire) << sk;
    std::string expected;
    item_to_wire(**decoded).as_fragment().write_json(expected);
    std::string actual;
    (*wire)->item.as_fragment().write_json(actual);
    EXPECT_EQ(actual, expected) << sk;
    EXPECT_EQ((*wire)->size, item_size(**decoded)) << sk;
    EXPECT_EQ(item_from_wire((*wire)->item.as_fragment().to_value()).value(), **decoded) << sk;
  }
  auto absent = read_item_to_wire(*engine, t, key_of("p", "4"));
  ASSERT_TRUE(absent);
  EXPECT_FALSE(*absent);
  EXPECT_FALSE(read_item(*engine, t, key_of("p", "3")));
  EXPECT_FALSE(read_item_to_wire(*engine, t, key_of("p", "3")));
}

// The read GetItem and BatchGetItem answer with: the whole item as read_item_to_wire gives it,
// or the projection of the decoded item, with the whole item's size (charged) and the
// returned one's.
TEST(ItemReads, ProjectedItemIsTheProjectionOfTheItem) {
  auto engine = storage::make_memory_engine();
  const Table t = test_table();
  const Item whole = item({{"pk", s("p")},
                           {"sk", n("1")},
                           {"text", s(std::string(300, 'x'))},
                           {"m", AttributeValue::map({{"z", n("-1.50")}, {"a", s("")}})}});
  storage::WriteBatch batch;
  batch.put(storage::Keyspace::kItems, base_item_key(t, whole), encode_item(whole));
  ASSERT_TRUE(engine->write(batch, {}).is_ok());
  const auto json = [](const aws::Value& wire) {
    std::string out;
    wire.as_fragment().write_json(out);
    return out;
  };

  const aws::Value no_projection = aws::Value::map();
  const auto everything = requests::read_projection(no_projection);
  ASSERT_TRUE(everything);
  auto read = requests::read_projected_item(*engine, t, key_of("p", "1"), *everything);
  ASSERT_TRUE(read && *read);
  EXPECT_EQ(json((*read)->item), json(item_to_wire(whole)));
  EXPECT_EQ((*read)->size, item_size(whole));
  EXPECT_EQ((*read)->projected_size, item_size(whole));

  aws::Value input = aws::Value::map();
  input.set("ProjectionExpression", "pk, m.z");
  const auto some = requests::read_projection(input);
  ASSERT_TRUE(some);
  read = requests::read_projected_item(*engine, t, key_of("p", "1"), *some);
  ASSERT_TRUE(read && *read);
  const Item projected = item({{"pk", s("p")}, {"m", AttributeValue::map({{"z", n("-1.50")}})}});
  EXPECT_EQ(json((*read)->item), json(item_to_wire(projected)));
  EXPECT_EQ((*read)->size, item_size(whole));
  EXPECT_EQ((*read)->projected_size, item_size(projected));

  for (const auto* projection : {&*everything, &*some}) {
    auto absent = requests::read_projected_item(*engine, t, key_of("p", "2"), *projection);
    ASSERT_TRUE(absent);
    EXPECT_FALSE(*absent);
  }
}

// A page returned as stored (Query and Scan without a filter or projection) is the page of the
// decoding read: the same items' JSON in the same order, ScannedCount, bytes and last item,
// for Limit stops both ways; a stored item append_item_json refuses (not canonical) is
// decoded instead, and the Value form of a stored item is its decoded tree.
TEST(RangeReads, PageAsStoredIsThePageOfTheDecodingRead) {
  auto engine = storage::make_memory_engine();
  const Table t = test_table();
  storage::WriteBatch batch;
  for (int i = 1; i <= 12; ++i) {
    Item stored = item({{"pk", s("p")},
                        {"sk", n(std::to_string(i))},
                        {"text", s("caf\xc3\xa9 \"" + std::string(static_cast<size_t>(i), '\n'))},
                        {"m", AttributeValue::map({{"z", n("-1.50")}, {"a", s("")}})},
                        {"ss", AttributeValue::string_set({"b", "a"})}});
    batch.put(storage::Keyspace::kItems, base_item_key(t, stored), encode_item(stored));
  }
  // sk 13: two attributes stored out of name order, which append_item_json refuses.
  const Item last = item({{"a", AttributeValue::null()},
                          {"b", AttributeValue::null()},
                          {"pk", s("p")},
                          {"sk", n("13")}});
  batch.put(storage::Keyspace::kItems, base_item_key(t, last), not_canonical_encoding(last));
  ASSERT_TRUE(engine->write(batch, {}).is_ok());

  const std::string prefix = partition_prefix(t, 0, s("p"));
  const auto json_of = [](const aws::Value& items) {
    std::string out;
    for (const aws::Value& v : items.as_list()) v.as_fragment().write_json(out);
    return out;
  };
  for (const bool forward : {true, false}) {
    for (const size_t limit : {size_t{0}, size_t{1}, size_t{5}, size_t{13}}) {
      RangeRead read{prefix, storage::prefix_successor(prefix), forward, std::nullopt, limit};
      aws::Value decoded = aws::Value::list();
      auto by_decoding =
          read_range(*engine, t, read, [&](Item& i) { decoded.push(item_to_wire(std::move(i))); });
      aws::Value as_stored = aws::Value::list();
      auto straight = read_range_to_wire(*engine, t, read, as_stored);
      ASSERT_TRUE(by_decoding && straight);
      EXPECT_EQ(straight->scanned, limit == 0 ? 13u : limit);
      EXPECT_EQ(straight->scanned, by_decoding->scanned);
      EXPECT_EQ(straight->bytes, by_decoding->bytes);
      EXPECT_EQ(straight->last, by_decoding->last);
      EXPECT_EQ(straight->last.has_value(), limit != 0);
      EXPECT_EQ(json_of(as_stored), json_of(decoded)) << forward << limit;
      for (size_t i = 0; i < as_stored.as_list().size(); ++i) {
        EXPECT_EQ(item_from_wire(as_stored.as_list()[i].as_fragment().to_value()).value(),
                  item_from_wire(decoded.as_list()[i].as_fragment().to_value()).value());
      }
    }
  }
}

TEST(IndexMaintenance, BackfillRacingWritersThenDrop) {
  auto engine = storage::make_memory_engine();
  const WritePath path{*engine, false, nullptr};
  Table before = test_table();
  before.indexes.clear();
  const auto write = [&](const Table& t, int i, bool del, int version) {
    const std::string pk = "k" + std::to_string(i);
    Item value = item({{"pk", s(pk)}, {"sk", n("1")}, {"v", s(std::to_string(version))}});
    if ((i + version) % 3 != 0) put_attribute(value, "a", s("A" + std::to_string(version % 4)));
    ASSERT_TRUE(path.write(
        t, key_of(pk, "1"),
        [&](const std::optional<Item>&) -> aws::AwsResult<WriteDecision> {
          return del ? WriteDecision::remove() : WriteDecision::put(value);
        },
        0));
  };
  for (int i = 0; i < 600; ++i) write(before, i, false, 0);

  Table after = before;
  SecondaryIndex added = test_table().indexes[2];  // "byall" on a, ALL
  added.id = 9;
  added.active_at_ms = 1'000'000;  // backfilling at time 0
  after.indexes.push_back(added);
  // Writes that know the index before the backfill reaches their items (deterministic), then
  // writes racing the backfill.
  for (int i = 0; i < 100; ++i) write(after, i, i % 4 == 0, i % 2 == 0 ? 0 : 5);
  std::thread backfill([&] { EXPECT_TRUE(backfill_index(path, after, added).is_ok()); });
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int op = 0; op < 300; ++op) {
        const int i = (op * 13 + w * 101) % 700;
        write(after, i, op % 5 == 0, op + 1);
      }
    });
  }
  backfill.join();
  for (auto& t : writers) t.join();
  expect_index_matches_items(*engine, after, added);
  // Idempotent.
  EXPECT_TRUE(backfill_index(path, after, added).is_ok());
  expect_index_matches_items(*engine, after, added);

  EXPECT_TRUE(drop_index(*engine, after.id, added.id).is_ok());
  CountsByIndex counts;
  ASSERT_TRUE(read_counts(*engine, after.id, &counts).is_ok());
  EXPECT_EQ(counts.count(added.id), 0u);
  EXPECT_GT(counts[kBaseTableIndexId].items, 0);
  auto it = engine->iterate(storage::Keyspace::kItems);
  it->seek(index_range_prefix(after.id, added.id));
  EXPECT_TRUE(!it->valid() || it->key().rfind(index_range_prefix(after.id, added.id), 0) != 0);
}

}  // namespace
}  // namespace trib::dynamodb::items
