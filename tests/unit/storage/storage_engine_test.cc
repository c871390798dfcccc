// Tests of the storage engine contract (storage/engine.h), run against every engine, and of the
// key encoding helpers (storage/keys.h).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "storage/engine.h"
#include "storage/keys.h"
#include "storage/rocksdb/wal_scan.h"
#include "storage_engine_fixture.h"

namespace trib::storage {
namespace {

// Deterministic pseudo-random bytes (incompressible, so compression cannot hide sizes).
std::string random_bytes(std::mt19937_64& random, size_t size) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; i += 8) {
    const uint64_t word = random();
    for (size_t j = 0; j < 8 && i + j < size; ++j)
      bytes[i + j] = static_cast<char>(word >> (8 * j));
  }
  return bytes;
}

std::string numbered_key(std::string_view prefix, uint64_t n) {
  return KeyBuilder().raw(prefix).u64(n).take();
}

TEST_P(StorageEngineTest, NameIdentifiesEngine) { EXPECT_EQ(engine_->name(), GetParam()); }

TEST_P(StorageEngineTest, PutGetDelete) {
  EXPECT_EQ(get(Keyspace::kMeta, "k"), std::nullopt);
  put(Keyspace::kMeta, "k", "v1");
  EXPECT_EQ(get(Keyspace::kMeta, "k"), "v1");
  put(Keyspace::kMeta, "k", "v2");
  EXPECT_EQ(get(Keyspace::kMeta, "k"), "v2");
  del(Keyspace::kMeta, "k");
  EXPECT_EQ(get(Keyspace::kMeta, "k"), std::nullopt);
  del(Keyspace::kMeta, "never-written");  // deleting an absent key is fine
  put(Keyspace::kMeta, "k", "v3");
  EXPECT_EQ(get(Keyspace::kMeta, "k"), "v3");

  // Empty keys and values, and binary bytes, are ordinary data.
  put(Keyspace::kMeta, "", "empty key");
  put(Keyspace::kMeta, "empty value", "");
  put(Keyspace::kMeta, std::string("\0\xff\0", 3), std::string("\0\x01", 2));
  EXPECT_EQ(get(Keyspace::kMeta, ""), "empty key");
  EXPECT_EQ(get(Keyspace::kMeta, "empty value"), "");
  EXPECT_EQ(get(Keyspace::kMeta, std::string("\0\xff\0", 3)), std::string("\0\x01", 2));
  EXPECT_EQ(get(Keyspace::kMeta, std::string("\0\xff", 2)), std::nullopt);
}

TEST_P(StorageEngineTest, MultiGetAnswersEachKeyAsGetDoes) {
  put(Keyspace::kItems, "b", "2");
  put(Keyspace::kItems, "a", "1");
  put(Keyspace::kItems, "empty", "");
  put(Keyspace::kMeta, "c", "other keyspace");
  auto snapshot = engine_->snapshot();
  put(Keyspace::kItems, "a", "1 after the snapshot");
  const std::vector<std::string_view> keys = {"b", "absent", "a", "empty", "c", "a"};
  std::vector<std::string> values;
  std::vector<Status> statuses;
  engine_->multi_get(Keyspace::kItems, keys, &values, &statuses);
  ASSERT_EQ(values.size(), keys.size());
  ASSERT_EQ(statuses.size(), keys.size());
  const std::vector<std::optional<std::string>> expected = {
      "2", std::nullopt, "1 after the snapshot", "", std::nullopt, "1 after the snapshot"};
  for (size_t i = 0; i < keys.size(); ++i) {
    if (expected[i]) {
      EXPECT_TRUE(statuses[i].is_ok()) << keys[i];
      EXPECT_EQ(values[i], *expected[i]) << keys[i];
    } else {
      EXPECT_TRUE(statuses[i].is_not_found()) << keys[i];
    }
  }
  engine_->multi_get(Keyspace::kItems, keys, &values, &statuses, snapshot.get());
  ASSERT_TRUE(statuses[2].is_ok());
  EXPECT_EQ(values[2], "1");
  engine_->multi_get(Keyspace::kItems, {}, &values, &statuses);
  EXPECT_TRUE(values.empty() && statuses.empty());
  // A transaction's get_many reads the latest committed values, as its get does.
  const Status status = engine_->transact({{Keyspace::kItems, "a"}}, [&](Transaction& txn) {
    txn.batch().put(Keyspace::kItems, "b", "staged");
    txn.get_many(Keyspace::kItems, keys, &values, &statuses);
    EXPECT_EQ(values[0], "2") << "staged writes are not visible before commit";
    EXPECT_TRUE(statuses[1].is_not_found());
    EXPECT_EQ(values[2], "1 after the snapshot");
    return Status::ok();
  });
  ASSERT_TRUE(status.is_ok()) << status.message;
}

TEST_P(StorageEngineTest, BatchAppliesOperationsInOrder) {
  put(Keyspace::kMeta, "deleted-then-put", "old");
  WriteBatch batch;
  batch.put(Keyspace::kMeta, "put-then-deleted", "x");
  batch.del(Keyspace::kMeta, "put-then-deleted");
  batch.del(Keyspace::kMeta, "deleted-then-put");
  batch.put(Keyspace::kMeta, "deleted-then-put", "new");
  batch.put(Keyspace::kMeta, "overwritten", "1");
  batch.put(Keyspace::kMeta, "overwritten", "2");
  batch.put(Keyspace::kMeta, "range-deleted", "x");
  batch.delete_range(Keyspace::kMeta, "range", "rangf");
  batch.put(Keyspace::kMeta, "range-rewritten", "y");
  write(batch);
  EXPECT_EQ(get(Keyspace::kMeta, "put-then-deleted"), std::nullopt);
  EXPECT_EQ(get(Keyspace::kMeta, "deleted-then-put"), "new");
  EXPECT_EQ(get(Keyspace::kMeta, "overwritten"), "2");
  EXPECT_EQ(get(Keyspace::kMeta, "range-deleted"), std::nullopt);
  EXPECT_EQ(get(Keyspace::kMeta, "range-rewritten"), "y");

  write(WriteBatch{});  // an empty batch is a no-op
  EXPECT_EQ(scan(Keyspace::kMeta).size(), 3u);
}

TEST_P(StorageEngineTest, BatchWithUnknownKeyspaceIsRejectedWhole) {
  WriteBatch batch;
  batch.put(Keyspace::kMeta, "a", "1");
  batch.put(static_cast<Keyspace>(kKeyspaceCount + 4), "b", "2");
  Status status = engine_->write(batch);
  EXPECT_EQ(status.code, Status::Code::kInvalidArgument);
  EXPECT_EQ(get(Keyspace::kMeta, "a"), std::nullopt);
}

TEST_P(StorageEngineTest, KeyspacesAreIndependent) {
  put(Keyspace::kMeta, "k", "meta");
  put(Keyspace::kRecords, "k", "records");
  put(Keyspace::kItems, "k", "items");
  put(Keyspace::kRecords, "only-records", "r");
  EXPECT_EQ(get(Keyspace::kMeta, "k"), "meta");
  EXPECT_EQ(get(Keyspace::kRecords, "k"), "records");
  EXPECT_EQ(get(Keyspace::kItems, "k"), "items");
  EXPECT_EQ(get(Keyspace::kMeta, "only-records"), std::nullopt);
  EXPECT_EQ(scan(Keyspace::kMeta), (KeyValues{{"k", "meta"}}));
  EXPECT_EQ(scan(Keyspace::kRecords), (KeyValues{{"k", "records"}, {"only-records", "r"}}));

  del(Keyspace::kRecords, "k");
  delete_range(Keyspace::kItems, "a", "z");
  EXPECT_EQ(get(Keyspace::kMeta, "k"), "meta");
  EXPECT_EQ(get(Keyspace::kRecords, "k"), std::nullopt);
  EXPECT_EQ(get(Keyspace::kItems, "k"), std::nullopt);
  EXPECT_EQ(scan(Keyspace::kItems), KeyValues{});
}

TEST_P(StorageEngineTest, BatchIsAtomicAcrossKeyspaces) {
  // Two writers each keep their own counter in three keyspaces (and a single record that the
  // batch replaces with a range deletion); readers check through snapshots that every batch is
  // seen whole or not at all, while another thread compacts.
  constexpr int kWriters = 2;
  constexpr int kBatches = 800;
  std::atomic<int> writers_running{kWriters};
  std::atomic<bool> failed{false};
  auto writer_prefix = [](int writer) { return "w" + std::to_string(writer) + "/"; };

  std::vector<std::thread> threads;
  for (int writer = 0; writer < kWriters; ++writer) {
    threads.emplace_back([&, writer] {
      const std::string prefix = writer_prefix(writer);
      for (int i = 1; i <= kBatches; ++i) {
        WriteBatch batch;
        const std::string value = std::to_string(i);
        batch.put(Keyspace::kMeta, prefix + "counter", value);
        batch.delete_range(Keyspace::kRecords, prefix, prefix_successor(prefix));
        batch.put(Keyspace::kRecords, prefix + value, value);
        batch.put(Keyspace::kItems, prefix + "counter", value);
        if (!engine_->write(batch).is_ok()) failed = true;
      }
      --writers_running;
    });
  }
  threads.emplace_back([&] {
    while (writers_running > 0) engine_->compact_range(Keyspace::kRecords, "", "");
  });
  auto check_snapshot = [&](const Snapshot* snapshot) {
    for (int writer = 0; writer < kWriters; ++writer) {
      const std::string prefix = writer_prefix(writer);
      std::string meta, items;
      const bool has_meta =
          engine_->get(Keyspace::kMeta, prefix + "counter", &meta, snapshot).is_ok();
      const bool has_items =
          engine_->get(Keyspace::kItems, prefix + "counter", &items, snapshot).is_ok();
      IteratorOptions options;
      options.snapshot = snapshot;
      options.lower_bound = prefix;
      options.upper_bound = prefix_successor(prefix);
      auto it = engine_->iterate(Keyspace::kRecords, options);
      KeyValues records;
      for (it->seek_to_first(); it->valid(); it->next())
        records.emplace_back(it->key(), it->value());
      const KeyValues expected_records = has_meta ? KeyValues{{prefix + meta, meta}} : KeyValues{};
      if (has_meta != has_items || meta != items || records != expected_records) {
        ADD_FAILURE() << "torn batch: meta=" << meta << " items=" << items
                      << " records=" << records.size();
        failed = true;
      }
    }
  };
  threads.emplace_back([&] {
    while (writers_running > 0 && !failed) check_snapshot(engine_->snapshot().get());
  });
  int checks = 0;
  while ((writers_running > 0 || checks < 10) && !failed) {
    check_snapshot(engine_->snapshot().get());
    ++checks;
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_FALSE(failed);
  for (int writer = 0; writer < kWriters; ++writer) {
    EXPECT_EQ(get(Keyspace::kMeta, writer_prefix(writer) + "counter"), std::to_string(kBatches));
  }
}

TEST_P(StorageEngineTest, OverwritesUnderALongLivedSnapshot) {
  put(Keyspace::kMeta, "hot", "original");
  auto snapshot = engine_->snapshot();
  const uint64_t before = engine_->approximate_size(Keyspace::kMeta);
  for (int i = 0; i < 5000; ++i) {
    WriteBatch batch;
    batch.put(Keyspace::kMeta, "hot", std::string(1000, static_cast<char>('a' + i % 26)));
    if (i % 2 == 0) batch.del(Keyspace::kMeta, "cold");
    if (i % 2 == 1) batch.put(Keyspace::kMeta, "cold", "c");
    write(batch);
  }
  EXPECT_EQ(get(Keyspace::kMeta, "hot", snapshot.get()), "original");
  EXPECT_EQ(get(Keyspace::kMeta, "cold", snapshot.get()), std::nullopt);
  EXPECT_EQ(get(Keyspace::kMeta, "hot")->size(), 1000u);
  EXPECT_EQ(get(Keyspace::kMeta, "cold"), "c");
  if (!is_rocksdb()) {
    // Versions no snapshot can see are dropped at once, not kept until the snapshot goes.
    EXPECT_LT(engine_->approximate_size(Keyspace::kMeta), before + 8000);
  }
  snapshot.reset();
  engine_->compact_range(Keyspace::kMeta, "", "");
  EXPECT_EQ(scan(Keyspace::kMeta).size(), 2u);
}

TEST_P(StorageEngineTest, DeleteRangeIsInclusiveExclusive) {
  for (const char* key : {"a", "b", "ba", "bz", "b\xff\xff", "c", "c\x00", "d"}) {
    put(Keyspace::kRecords, key, "v");
  }
  put(Keyspace::kRecords, std::string("c\0", 2), "v");
  delete_range(Keyspace::kRecords, "b", "c");
  KeyValues expected = {{"a", "v"}, {"c", "v"}, {std::string("c\0", 2), "v"}, {"d", "v"}};
  EXPECT_EQ(scan(Keyspace::kRecords), expected);

  // Empty and inverted ranges delete nothing.
  delete_range(Keyspace::kRecords, "c", "c");
  delete_range(Keyspace::kRecords, "d", "a");
  EXPECT_EQ(scan(Keyspace::kRecords), expected);

  // A range to prefix_successor covers the whole prefix.
  delete_range(Keyspace::kRecords, "c", prefix_successor("c"));
  EXPECT_EQ(scan(Keyspace::kRecords), (KeyValues{{"a", "v"}, {"d", "v"}}));
}

TEST_P(StorageEngineTest, DeleteRangeOfManyKeys) {
  constexpr uint64_t kKeys = 60000;
  for (uint64_t first = 0; first < kKeys; first += 1000) {
    WriteBatch batch;
    for (uint64_t n = first; n < first + 1000; ++n) {
      batch.put(Keyspace::kRecords, numbered_key("s", n), std::to_string(n));
    }
    write(batch);
  }
  // Once with a snapshot alive (old versions must be kept for it) and once without.
  auto snapshot = engine_->snapshot();
  delete_range(Keyspace::kRecords, numbered_key("s", 100), numbered_key("s", 30000));
  snapshot.reset();
  delete_range(Keyspace::kRecords, numbered_key("s", 30000), numbered_key("s", kKeys - 100));

  KeyValues remaining = scan(Keyspace::kRecords);
  ASSERT_EQ(remaining.size(), 200u);
  EXPECT_EQ(remaining[99].first, numbered_key("s", 99));
  EXPECT_EQ(remaining[100].first, numbered_key("s", kKeys - 100));
  EXPECT_EQ(get(Keyspace::kRecords, numbered_key("s", 100)), std::nullopt);
  EXPECT_EQ(get(Keyspace::kRecords, numbered_key("s", kKeys - 101)), std::nullopt);
  EXPECT_EQ(get(Keyspace::kRecords, numbered_key("s", kKeys - 100)), std::to_string(kKeys - 100));
  engine_->compact_range(Keyspace::kRecords, "s", prefix_successor("s"));
  EXPECT_EQ(scan(Keyspace::kRecords), remaining);
}

class IteratorTest : public StorageEngineTest {
 protected:
  void SetUp() override {
    StorageEngineTest::SetUp();
    for (const char* key : {"a", "c", "e", "g"})
      put(Keyspace::kRecords, key, std::string("v") + key);
    put(Keyspace::kMeta, "b", "other keyspace");
  }
};

TEST_P(IteratorTest, SeekNextPrev) {
  auto it = engine_->iterate(Keyspace::kRecords);
  it->seek("b");
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(it->key(), "c");
  EXPECT_EQ(it->value(), "vc");
  it->seek("c");
  EXPECT_EQ(it->key(), "c");
  it->next();
  EXPECT_EQ(it->key(), "e");
  it->prev();
  EXPECT_EQ(it->key(), "c");
  it->prev();
  EXPECT_EQ(it->key(), "a");
  it->prev();
  EXPECT_FALSE(it->valid());

  it->seek("h");
  EXPECT_FALSE(it->valid());
  it->seek("");
  EXPECT_EQ(it->key(), "a");

  it->seek_for_prev("d");
  EXPECT_EQ(it->key(), "c");
  it->seek_for_prev("c");
  EXPECT_EQ(it->key(), "c");
  it->seek_for_prev("zzz");
  EXPECT_EQ(it->key(), "g");
  it->next();
  EXPECT_FALSE(it->valid());
  it->seek_for_prev("0");
  EXPECT_FALSE(it->valid());

  it->seek_to_first();
  EXPECT_EQ(it->key(), "a");
  it->seek_to_last();
  EXPECT_EQ(it->key(), "g");
  EXPECT_TRUE(it->status().is_ok());

  EXPECT_EQ(scan(Keyspace::kRecords),
            (KeyValues{{"a", "va"}, {"c", "vc"}, {"e", "ve"}, {"g", "vg"}}));
  EXPECT_EQ(scan(Keyspace::kItems), KeyValues{});
}

TEST_P(IteratorTest, BoundsAreRespected) {
  IteratorOptions options;
  options.lower_bound = "c";
  options.upper_bound = "g";  // exclusive, although "g" exists
  auto it = engine_->iterate(Keyspace::kRecords, options);
  it->seek_to_first();
  EXPECT_EQ(it->key(), "c");
  it->prev();
  EXPECT_FALSE(it->valid());
  it->seek_to_last();
  EXPECT_EQ(it->key(), "e");
  it->next();
  EXPECT_FALSE(it->valid());
  it->seek("a");  // below the lower bound: clamped to it
  EXPECT_EQ(it->key(), "c");
  it->seek("f");
  EXPECT_FALSE(it->valid());
  it->seek("g");
  EXPECT_FALSE(it->valid());
  it->seek_for_prev("z");  // above the upper bound: the last key below it
  EXPECT_EQ(it->key(), "e");
  it->seek_for_prev("g");
  EXPECT_EQ(it->key(), "e");
  it->seek_for_prev("b");
  EXPECT_FALSE(it->valid());
  EXPECT_EQ(scan(Keyspace::kRecords, options), (KeyValues{{"c", "vc"}, {"e", "ve"}}));

  IteratorOptions only_lower;
  only_lower.lower_bound = "d";
  EXPECT_EQ(scan(Keyspace::kRecords, only_lower), (KeyValues{{"e", "ve"}, {"g", "vg"}}));
  IteratorOptions only_upper;
  only_upper.upper_bound = "c";
  EXPECT_EQ(scan(Keyspace::kRecords, only_upper), (KeyValues{{"a", "va"}}));
  IteratorOptions empty_range;
  empty_range.lower_bound = "c";
  empty_range.upper_bound = "c";
  EXPECT_EQ(scan(Keyspace::kRecords, empty_range), KeyValues{});

  // The bounds are copied: the options may go away before the iterator.
  std::unique_ptr<Iterator> outliving;
  {
    IteratorOptions temporary;
    temporary.lower_bound = std::string("b");
    temporary.upper_bound = std::string("f");
    outliving = engine_->iterate(Keyspace::kRecords, temporary);
  }
  EXPECT_EQ(scan_forward(*outliving), (KeyValues{{"c", "vc"}, {"e", "ve"}}));
}

TEST_P(StorageEngineTest, IterationIsInUnsignedByteOrder) {
  std::vector<std::string> keys = {"",
                                   std::string("\0", 1),
                                   std::string("\0\0", 2),
                                   "\x01",
                                   "\x7f",
                                   "\x80",
                                   "\xfe\xff",
                                   "\xff",
                                   "\xff\xff"};
  std::mt19937_64 random(7);
  std::vector<std::string> shuffled = keys;
  std::shuffle(shuffled.begin(), shuffled.end(), random);
  for (const std::string& key : shuffled) put(Keyspace::kItems, key, key);
  KeyValues expected;
  for (const std::string& key : keys) expected.emplace_back(key, key);
  EXPECT_EQ(scan(Keyspace::kItems), expected);
}

TEST_P(StorageEngineTest, IteratorSkipsLongRunsOfDeletedKeys) {
  constexpr uint64_t kKeys = 3000;
  WriteBatch fill;
  for (uint64_t n = 0; n < kKeys; ++n) fill.put(Keyspace::kRecords, numbered_key("k", n), "v");
  write(fill);
  auto holder = engine_->snapshot();  // keeps deletion markers around in the memory engine
  WriteBatch deletes;
  for (uint64_t n = 1; n + 1 < kKeys; ++n) deletes.del(Keyspace::kRecords, numbered_key("k", n));
  write(deletes);
  auto it = engine_->iterate(Keyspace::kRecords);
  it->seek_to_first();
  ASSERT_TRUE(it->valid());
  it->next();
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(it->key(), numbered_key("k", kKeys - 1));
  it->prev();
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(it->key(), numbered_key("k", 0));
  it->seek(numbered_key("k", 1));
  EXPECT_EQ(it->key(), numbered_key("k", kKeys - 1));
  it->seek_for_prev(numbered_key("k", kKeys - 2));
  EXPECT_EQ(it->key(), numbered_key("k", 0));
}

TEST_P(StorageEngineTest, SnapshotIsolation) {
  put(Keyspace::kMeta, "a", "1");
  put(Keyspace::kMeta, "b", "1");
  put(Keyspace::kMeta, "r1", "1");
  put(Keyspace::kMeta, "r2", "1");
  auto snapshot = engine_->snapshot();
  auto implicit = engine_->iterate(Keyspace::kMeta);  // implicit snapshot taken now

  WriteBatch later;
  later.put(Keyspace::kMeta, "a", "2");
  later.del(Keyspace::kMeta, "b");
  later.put(Keyspace::kMeta, "c", "2");
  later.delete_range(Keyspace::kMeta, "r", "s");
  write(later);
  put(Keyspace::kMeta, "a", "3");

  const KeyValues before = {{"a", "1"}, {"b", "1"}, {"r1", "1"}, {"r2", "1"}};
  EXPECT_EQ(get(Keyspace::kMeta, "a", snapshot.get()), "1");
  EXPECT_EQ(get(Keyspace::kMeta, "b", snapshot.get()), "1");
  EXPECT_EQ(get(Keyspace::kMeta, "c", snapshot.get()), std::nullopt);
  EXPECT_EQ(get(Keyspace::kMeta, "r2", snapshot.get()), "1");
  IteratorOptions on_snapshot;
  on_snapshot.snapshot = snapshot.get();
  EXPECT_EQ(scan(Keyspace::kMeta, on_snapshot), before);
  EXPECT_EQ(scan_forward(*implicit), before);

  EXPECT_EQ(get(Keyspace::kMeta, "a"), "3");
  EXPECT_EQ(scan(Keyspace::kMeta), (KeyValues{{"a", "3"}, {"c", "2"}}));

  // Writes and garbage collection after the snapshot still do not disturb it.
  engine_->compact_range(Keyspace::kMeta, "", "");
  put(Keyspace::kMeta, "a", "4");
  EXPECT_EQ(scan(Keyspace::kMeta, on_snapshot), before);

  auto second = engine_->snapshot();
  EXPECT_EQ(get(Keyspace::kMeta, "a", second.get()), "4");
  EXPECT_EQ(get(Keyspace::kMeta, "r1", second.get()), std::nullopt);
}

TEST_P(StorageEngineTest, SnapshotFromAnotherEngineIsRejected) {
  auto other = make_memory_engine();
  auto foreign = other->snapshot();
  std::string value;
  EXPECT_EQ(engine_->get(Keyspace::kMeta, "k", &value, foreign.get()).code,
            Status::Code::kInvalidArgument);
  IteratorOptions options;
  options.snapshot = foreign.get();
  auto it = engine_->iterate(Keyspace::kMeta, options);
  it->seek_to_first();
  EXPECT_FALSE(it->valid());
  EXPECT_EQ(it->status().code, Status::Code::kInvalidArgument);
}

TEST_P(StorageEngineTest, IteratorStaysConsistentWhileAnotherThreadWrites) {
  constexpr uint64_t kKeys = 2000;
  KeyValues initial;
  WriteBatch fill;
  for (uint64_t n = 0; n < kKeys; ++n) {
    initial.emplace_back(numbered_key("k", n * 2), "v0-" + std::to_string(n));
    fill.put(Keyspace::kRecords, initial.back().first, initial.back().second);
  }
  write(fill);

  auto it = engine_->iterate(Keyspace::kRecords);
  it->seek_to_first();
  ASSERT_TRUE(it->valid());
  std::atomic<int> batches_written{0};
  std::thread writer([&] {
    std::mt19937_64 random(42);
    for (int round = 0; round < 200; ++round) {
      WriteBatch batch;
      for (int i = 0; i < 20; ++i) {
        const uint64_t n = random() % (kKeys * 2);
        switch (random() % 4) {
          case 0:
            batch.put(Keyspace::kRecords, numbered_key("k", n), "v1");
            break;
          case 1:
            batch.del(Keyspace::kRecords, numbered_key("k", n));
            break;
          case 2:
            batch.delete_range(Keyspace::kRecords, numbered_key("k", n), numbered_key("k", n + 9));
            break;
          default:
            batch.put(Keyspace::kRecords, numbered_key("k", n | 1), "new");
            break;
        }
      }
      EXPECT_TRUE(engine_->write(batch).is_ok());
      ++batches_written;
    }
  });
  // Iterate while the writer runs: every pass sees exactly the initial data.
  for (int pass = 0; pass < 3; ++pass) {
    auto reader = engine_->iterate(Keyspace::kRecords);
    (void)reader;
    EXPECT_EQ(scan_forward(*it), initial);
    EXPECT_EQ(scan_backward(*it), initial);
  }
  // The writer finishes while the iterator is alive and positioned: writers never wait for it.
  it->seek(initial[kKeys / 2].first);
  writer.join();
  EXPECT_EQ(batches_written.load(), 200);
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(it->key(), initial[kKeys / 2].first);
  EXPECT_EQ(it->value(), initial[kKeys / 2].second);
  it->next();
  EXPECT_EQ(it->key(), initial[kKeys / 2 + 1].first);
  EXPECT_EQ(scan_forward(*it), initial);
  EXPECT_NE(scan(Keyspace::kRecords), initial);  // a fresh iterator sees the writes
}

TEST_P(StorageEngineTest, LargeValues) {
  std::mt19937_64 random(1);
  const std::string big = random_bytes(random, 10 << 20);
  const std::string bigger = random_bytes(random, (10 << 20) + 3);
  put(Keyspace::kRecords, "big", big);
  put(Keyspace::kRecords, "small", "s");
  EXPECT_EQ(get(Keyspace::kRecords, "big"), big);
  auto snapshot = engine_->snapshot();
  put(Keyspace::kRecords, "big", bigger);
  EXPECT_EQ(get(Keyspace::kRecords, "big"), bigger);
  EXPECT_EQ(get(Keyspace::kRecords, "big", snapshot.get()), big);
  auto it = engine_->iterate(Keyspace::kRecords);
  it->seek("big");
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(it->value(), bigger);
  if (is_rocksdb()) {
    it.reset();
    snapshot.reset();
    reopen();
    EXPECT_EQ(get(Keyspace::kRecords, "big"), bigger);
  }
}

TEST_P(StorageEngineTest, ApproximateSizeDropsAfterDeleteRangeAndCompaction) {
  constexpr uint64_t kKeys = 4096;
  constexpr size_t kValueSize = 4096;  // 16 MiB in total
  std::mt19937_64 random(3);
  for (uint64_t first = 0; first < kKeys; first += 256) {
    WriteBatch batch;
    for (uint64_t n = first; n < first + 256; ++n) {
      batch.put(Keyspace::kRecords, numbered_key("stream-1/", n), random_bytes(random, kValueSize));
    }
    write(batch);
  }
  put(Keyspace::kMeta, "keep", random_bytes(random, 64 << 10));
  const uint64_t meta_before = engine_->approximate_size(Keyspace::kMeta);
  const uint64_t full = engine_->approximate_size(Keyspace::kRecords);
  EXPECT_GT(full, 12u << 20);

  // A snapshot taken before the deletion keeps the data readable (and its space in use).
  auto snapshot = engine_->snapshot();
  delete_range(Keyspace::kRecords, "stream-1/", prefix_successor("stream-1/"));
  engine_->compact_range(Keyspace::kRecords, "stream-1/", prefix_successor("stream-1/"));
  EXPECT_EQ(scan(Keyspace::kRecords), KeyValues{});
  EXPECT_TRUE(get(Keyspace::kRecords, numbered_key("stream-1/", 7), snapshot.get()).has_value());
  IteratorOptions on_snapshot;
  on_snapshot.snapshot = snapshot.get();
  EXPECT_EQ(scan(Keyspace::kRecords, on_snapshot).size(), kKeys);

  snapshot.reset();
  engine_->compact_range(Keyspace::kRecords, "stream-1/", prefix_successor("stream-1/"));
  const uint64_t reclaimed = engine_->approximate_size(Keyspace::kRecords);
  EXPECT_LT(reclaimed, 1u << 20) << "before: " << full;
  EXPECT_GE(engine_->approximate_size(Keyspace::kMeta), meta_before / 2);
  EXPECT_EQ(get(Keyspace::kMeta, "keep")->size(), 64u << 10);
}

TEST_P(StorageEngineTest, SyncWritesAndFlushWal) {
  WriteBatch batch;
  batch.put(Keyspace::kMeta, "durable", "yes");
  write(batch, WriteOptions{.sync = true});
  EXPECT_TRUE(engine_->flush_wal(false).is_ok());
  EXPECT_TRUE(engine_->flush_wal(true).is_ok());
  EXPECT_EQ(get(Keyspace::kMeta, "durable"), "yes");
}

// Behaviour only an on-disk engine has (persistence, directory locking): instantiated for
// RocksDB alone, so nothing is skipped.
class RocksDbEngineTest : public StorageEngineTest {
 protected:
  // Writes `count` records "w0000".."w<count-1>" of 1,000 bytes each, one write each (so the
  // log spans many of RocksDB's 32 KiB log blocks).
  void write_numbered(int count) {
    for (int i = 0; i < count; ++i) {
      char key[16];
      std::snprintf(key, sizeof key, "w%04d", i);
      put(Keyspace::kItems, key, std::string(1000, static_cast<char>('a' + i % 26)));
    }
  }
};

TEST_P(RocksDbEngineTest, ReopenKeepsData) {
  put(Keyspace::kMeta, "catalog", "c");
  put(Keyspace::kRecords, "r1", "1");
  put(Keyspace::kRecords, "r2", "2");
  put(Keyspace::kItems, "i", "item");
  delete_range(Keyspace::kRecords, "r2", "r3");
  WriteBatch synced;
  synced.put(Keyspace::kItems, "synced", "s");
  write(synced, WriteOptions{.sync = true});
  reopen();
  EXPECT_EQ(get(Keyspace::kMeta, "catalog"), "c");
  EXPECT_EQ(scan(Keyspace::kRecords), (KeyValues{{"r1", "1"}}));
  EXPECT_EQ(scan(Keyspace::kItems), (KeyValues{{"i", "item"}, {"synced", "s"}}));
  put(Keyspace::kMeta, "second", "2");
  engine_->compact_range(Keyspace::kMeta, "", "");
  reopen();
  EXPECT_EQ(get(Keyspace::kMeta, "catalog"), "c");
  EXPECT_EQ(get(Keyspace::kMeta, "second"), "2");
}

double synced_writes(Engine& engine) {
  for (const Engine::Statistic& statistic : engine.statistics()) {
    if (statistic.name == "synced_writes_total") return statistic.value;
  }
  ADD_FAILURE() << "no synced_writes_total statistic";
  return -1;
}

// --sync-writes: the engine fsyncs every write, also those whose caller did not ask (the
// control plane's catalog writes, housekeeping); without it only the writes that ask.
TEST_P(RocksDbEngineTest, SyncEveryWriteSyncsWritesThatDoNotAsk) {
  WriteBatch plain;
  plain.put(Keyspace::kMeta, "catalog", "c");
  WriteBatch synced;
  synced.put(Keyspace::kItems, "item", "i");

  write(plain, WriteOptions{});
  EXPECT_EQ(synced_writes(*engine_), 0);
  write(synced, WriteOptions{.sync = true});
  EXPECT_EQ(synced_writes(*engine_), 1);

  engine_.reset();
  Status status;
  engine_ = open_rocksdb_engine(directory_, &status, EngineOptions{.sync_every_write = true});
  ASSERT_NE(engine_, nullptr) << status.message;
  write(plain, WriteOptions{});
  write(plain, WriteOptions{});
  write(synced, WriteOptions{.sync = true});
  EXPECT_EQ(synced_writes(*engine_), 3);
  EXPECT_EQ(get(Keyspace::kMeta, "catalog"), "c");
}

// The items keyspace's memtables carry a whole-key Bloom filter (the old-item read of every
// write and GetItem skip memtables without the key); the other keyspaces do not. Level 0 is
// not compressed. Read from the options file RocksDB writes on open.
TEST_P(RocksDbEngineTest, ItemMemtablesHaveAWholeKeyFilterAndLevelZeroIsNotCompressed) {
  std::map<std::string, std::map<std::string, std::string>> sections;
  std::string newest;
  for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("OPTIONS-", 0) == 0 && name > newest) newest = name;
  }
  ASSERT_FALSE(newest.empty());
  std::ifstream in(directory_ + "/" + newest);
  std::string line, section;
  while (std::getline(in, line)) {
    line.erase(0, line.find_first_not_of(" \t"));
    if (line.rfind("[", 0) == 0) {
      section = line;
    } else if (auto eq = line.find('='); eq != std::string::npos) {
      sections[section][line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  const auto& items = sections["[CFOptions \"items\"]"];
  EXPECT_EQ(items.at("memtable_whole_key_filtering"), "true");
  EXPECT_EQ(std::stod(items.at("memtable_prefix_bloom_size_ratio")), 0.02);
  EXPECT_EQ(sections["[CFOptions \"records\"]"].at("memtable_whole_key_filtering"), "false");
  EXPECT_EQ(sections["[CFOptions \"meta\"]"].at("memtable_whole_key_filtering"), "false");
  // Level 0 (flush output) uncompressed, LZ4 below where the library has it.
  const std::string per_level = items.at("compression_per_level");
  EXPECT_TRUE(per_level == "kNoCompression:kLZ4Compression" ||
              per_level == "kNoCompression:kNoCompression")
      << per_level;
  // Records are not compressed at any level.
  EXPECT_EQ(sections["[CFOptions \"records\"]"].at("compression"), "kNoCompression");
  EXPECT_EQ(sections["[CFOptions \"records\"]"]["compression_per_level"], "");  // or absent
}

TEST_P(RocksDbEngineTest, SecondOpenOfSameDirectoryFails) {
  Status status;
  auto second = open_rocksdb_engine(directory_, &status);
  EXPECT_EQ(second, nullptr);
  EXPECT_EQ(status.code, Status::Code::kIoError);
  EXPECT_NE(status.message.find("in use"), std::string::npos) << status.message;
  EXPECT_NE(status.message.find(directory_), std::string::npos) << status.message;

  engine_.reset();
  auto third = open_rocksdb_engine(directory_, &status);
  EXPECT_NE(third, nullptr);
  EXPECT_TRUE(status.is_ok()) << status.message;
}

// Damaged directories (docs/reliability.md, "Damaged data directory").
std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}
std::vector<std::string> file_names(const std::string& directory, std::string_view suffix) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(suffix)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A MANIFEST cut in half. Where the cut loses only the edits after the snapshot RocksDB writes
// at the start of every MANIFEST, RocksDB's reader takes the cut for an unfinished last write,
// and its open would recover the directory as it was before the lost part (here: empty) and
// delete the table files that part named; the sequence mark refuses it. Where the cut lands in
// the snapshot, RocksDB refuses by itself. Either way the open fails naming the MANIFEST and
// changes nothing (tests/integration/server/test_corrupt_data_dir.py shows the first case on a
// server's directory). Deleting the mark accepts the loss when RocksDB can open at all.
TEST_P(RocksDbEngineTest, OpenRefusesADirectoryThatRecoversLessThanItHeld) {
  for (int i = 0; i < 100; ++i) {
    put(Keyspace::kRecords, "r" + std::to_string(i), "record");
    put(Keyspace::kMeta, "m" + std::to_string(i), "meta");
    put(Keyspace::kItems, "i" + std::to_string(i), "item");
  }
  reopen();  // replays the log into a table file, named by the new MANIFEST
  engine_.reset();
  const std::vector<std::string> tables = file_names(directory_, ".sst");
  ASSERT_FALSE(tables.empty());
  const std::string current = read_file(directory_ + "/CURRENT");
  const std::string manifest = current.substr(0, current.find('\n'));
  ASSERT_TRUE(manifest.starts_with("MANIFEST-")) << manifest;
  const std::string whole = read_file(directory_ + "/" + manifest);
  write_file(directory_ + "/" + manifest, whole.substr(0, whole.size() / 2));

  Status status;
  EXPECT_EQ(open_rocksdb_engine(directory_, &status), nullptr);
  EXPECT_EQ(status.code, Status::Code::kCorruption) << status.message;
  EXPECT_NE(status.message.find(directory_ + "/" + manifest), std::string::npos) << status.message;
  EXPECT_EQ(file_names(directory_, ".sst"), tables) << "the refused open deleted table files";
  if (status.message.find("TRIBUTARY-SEQUENCE") == std::string::npos) return;  // RocksDB's own

  std::filesystem::remove(directory_ + "/TRIBUTARY-SEQUENCE");
  open();
  EXPECT_EQ(get(Keyspace::kRecords, "r0"), std::nullopt);  // the loss, accepted
}

// A copy taken while the engine is open (what a kill -9 or a power loss leaves: the mark of
// the open and the log of the writes since) opens with every write.
TEST_P(RocksDbEngineTest, ADirectoryLeftByACrashOpens) {
  put(Keyspace::kRecords, "before", "1");
  reopen();
  put(Keyspace::kRecords, "after", "2");
  const std::string copy = make_temp_dir();
  for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
    if (entry.path().filename() == "LOCK") continue;
    std::filesystem::copy(entry.path(), std::filesystem::path(copy) / entry.path().filename());
  }
  engine_.reset();
  std::filesystem::remove_all(directory_);
  directory_ = copy;
  open();
  EXPECT_EQ(get(Keyspace::kRecords, "before"), "1");
  EXPECT_EQ(get(Keyspace::kRecords, "after"), "2");
}

// What a kill -9 leaves: the directory as it is while the engine is open (the mark of the
// open, the write-ahead log of every write since). The engine is then closed and the copy
// becomes directory_. Returns the copy's one live WAL file.
std::string crash_copy(std::string* directory, std::unique_ptr<Engine>* engine) {
  const std::string copy = make_temp_dir();
  for (const auto& entry : std::filesystem::directory_iterator(*directory)) {
    if (entry.path().filename() == "LOCK") continue;
    std::filesystem::copy(entry.path(), std::filesystem::path(copy) / entry.path().filename());
  }
  engine->reset();
  std::filesystem::remove_all(*directory);
  *directory = copy;
  const std::vector<std::string> logs = file_names(copy, ".log");
  EXPECT_EQ(logs.size(), 1u);
  return logs.empty() ? std::string() : copy + "/" + logs.back();
}

// Damages one byte of the value written after `key` in a log's bytes (the first occurrence, or
// the last with `last`), so that record's checksum no longer matches. Returns where the key is,
// npos if it is not there (nothing damaged).
size_t damage_value_of(std::string* bytes, std::string_view key, bool last = false) {
  const size_t at = last ? bytes->rfind(key) : bytes->find(key);
  if (at != std::string::npos) (*bytes)[at + 100] ^= 0x5a;
  return at;
}

// A damaged record in the middle of the write-ahead log, with writes after it that a kill -9
// left intact: RocksDB's point-in-time replay would stop at the damage and start on what
// precedes it, dropping the rest silently. The open refuses, naming the log file, and changes
// nothing; --recover-damaged-wal starts on what precedes the damage.
TEST_P(RocksDbEngineTest, ADamagedRecordInTheMiddleOfTheLogIsRefusedByName) {
  write_numbered(200);
  const std::string log = crash_copy(&directory_, &engine_);
  ASSERT_FALSE(log.empty());
  std::string bytes = read_file(log);
  ASSERT_NE(damage_value_of(&bytes, "w0050"), std::string::npos);
  write_file(log, bytes);

  Status status;
  EXPECT_EQ(open_rocksdb_engine(directory_, &status), nullptr);
  EXPECT_EQ(status.code, Status::Code::kCorruption) << status.message;
  EXPECT_NE(status.message.find(log), std::string::npos) << status.message;
  EXPECT_NE(status.message.find("--recover-damaged-wal"), std::string::npos) << status.message;
  EXPECT_EQ(read_file(log), bytes) << "the refused open changed the log";
  EXPECT_EQ(file_names(directory_, ".sst"), std::vector<std::string>{});

  engine_ = open_rocksdb_engine(directory_, &status, EngineOptions{.recover_damaged_wal = true});
  ASSERT_NE(engine_, nullptr) << status.message;
  EXPECT_TRUE(get(Keyspace::kItems, "w0049").has_value());
  EXPECT_EQ(get(Keyspace::kItems, "w0050"), std::nullopt);
  EXPECT_EQ(get(Keyspace::kItems, "w0199"), std::nullopt);  // the loss, accepted
  engine_.reset();
  open();  // and the directory opens normally from then on
  EXPECT_TRUE(get(Keyspace::kItems, "w0049").has_value());
}

// A log whose end is damaged or cut short (a torn, unsynced write after a power loss) opens
// without complaint on what precedes the damage, as RocksDB's point-in-time replay does: no
// intact write follows, so nothing a crash would keep is lost.
TEST_P(RocksDbEngineTest, ALogDamagedOrCutAtItsEndOpens) {
  write_numbered(200);
  const std::string log = crash_copy(&directory_, &engine_);
  ASSERT_FALSE(log.empty());
  std::string damaged = read_file(log);
  ASSERT_NE(damage_value_of(&damaged, "w0199", /*last=*/true), std::string::npos);
  write_file(log, damaged);
  open();
  EXPECT_TRUE(get(Keyspace::kItems, "w0198").has_value());
  EXPECT_EQ(get(Keyspace::kItems, "w0199"), std::nullopt);
  engine_.reset();

  // A new directory, its crash copy's log cut in the last record.
  std::filesystem::remove_all(directory_);
  directory_ = make_temp_dir();
  open();
  write_numbered(200);
  const std::string cut_log = crash_copy(&directory_, &engine_);
  const std::string cut_whole = read_file(cut_log);
  write_file(cut_log, cut_whole.substr(0, cut_whole.rfind("w0199") + 300));
  open();
  EXPECT_TRUE(get(Keyspace::kItems, "w0198").has_value());
  EXPECT_EQ(get(Keyspace::kItems, "w0199"), std::nullopt);
}

// RocksDB's reader drops the rest of a 32 KiB log block after a damaged record, so damage
// followed by intact writes only in the same, last block looks to RocksDB like a damaged end;
// the open reads the log itself (storage/rocksdb/wal_scan.h) and refuses it too.
TEST_P(RocksDbEngineTest, ADamagedRecordInTheLastLogBlockIsRefusedToo) {
  write_numbered(200);
  const std::string log = crash_copy(&directory_, &engine_);
  ASSERT_FALSE(log.empty());
  std::string bytes = read_file(log);
  const size_t at = damage_value_of(&bytes, "w0196");
  ASSERT_NE(at, std::string::npos);
  ASSERT_EQ(at / 32768, (bytes.size() - 1) / 32768) << "w0196 is not in the last block";
  write_file(log, bytes);

  Status status;
  EXPECT_EQ(open_rocksdb_engine(directory_, &status), nullptr);
  EXPECT_EQ(status.code, Status::Code::kCorruption) << status.message;
  EXPECT_NE(status.message.find(log), std::string::npos) << status.message;
  EXPECT_NE(status.message.find("byte offset"), std::string::npos) << status.message;
  EXPECT_EQ(read_file(log), bytes) << "the refused open changed the log";

  engine_ = open_rocksdb_engine(directory_, &status, EngineOptions{.recover_damaged_wal = true});
  ASSERT_NE(engine_, nullptr) << status.message;
  EXPECT_TRUE(get(Keyspace::kItems, "w0195").has_value());
  EXPECT_EQ(get(Keyspace::kItems, "w0199"), std::nullopt);
}

// The log reader of the open agrees with RocksDB's writer: a log RocksDB wrote reads intact
// (every record's checksum as RocksDB computed it), and the damage above is found as such.
TEST_P(RocksDbEngineTest, TheLogReaderReadsWhatRocksDbWrote) {
  write_numbered(200);
  put(Keyspace::kItems, "large", std::string(100000, 'L'));  // fragments over 4 blocks
  write_numbered(3);
  const std::string log = crash_copy(&directory_, &engine_);
  ASSERT_FALSE(log.empty());
  const std::string bytes = read_file(log);
  ASSERT_GT(bytes.size(), 300000u);
  EXPECT_FALSE(detail::find_wal_damage(bytes).found);

  std::string middle = bytes;
  damage_value_of(&middle, "w0050");
  detail::WalDamage damage = detail::find_wal_damage(middle);
  EXPECT_TRUE(damage.found);
  EXPECT_TRUE(damage.intact_after);
  EXPECT_LT(damage.offset, middle.find("w0050"));

  std::string last = bytes;
  damage_value_of(&last, "w0002", /*last=*/true);
  damage = detail::find_wal_damage(last);
  EXPECT_TRUE(damage.found);
  EXPECT_FALSE(damage.intact_after);

  EXPECT_FALSE(detail::find_wal_damage(bytes.substr(0, bytes.rfind("w0002") + 100)).found)
      << "a record cut by the end of the file is an unfinished write, not damage";
}

TEST_P(RocksDbEngineTest, AnUnreadableSequenceMarkIsRefusedByName) {
  engine_.reset();
  write_file(directory_ + "/TRIBUTARY-SEQUENCE", "garbage");
  Status status;
  EXPECT_EQ(open_rocksdb_engine(directory_, &status), nullptr);
  EXPECT_EQ(status.code, Status::Code::kCorruption) << status.message;
  EXPECT_NE(status.message.find(directory_ + "/TRIBUTARY-SEQUENCE"), std::string::npos)
      << status.message;
}

TEST_P(StorageEngineTest, SnapshotsAndIteratorsMayOutliveTheEngine) {
  put(Keyspace::kMeta, "a", "1");
  auto snapshot = engine_->snapshot();
  auto it = engine_->iterate(Keyspace::kMeta);
  engine_.reset();
  it->seek_to_first();
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(it->key(), "a");
  it.reset();
  snapshot.reset();
  if (is_rocksdb()) {
    open();  // the directory is unlocked once the last user is gone
    EXPECT_EQ(get(Keyspace::kMeta, "a"), "1");
  }
}

// Random batches, snapshots and compactions checked against a simple ordered-map model.
TEST_P(StorageEngineTest, RandomOperationsMatchModel) {
  using Model = std::map<std::string, std::string>;
  std::mt19937_64 random(GetParam() == kMemory ? 11 : 12);
  auto random_key = [&] { return numbered_key("", random() % 64).substr(6); };
  Model model;
  std::vector<std::pair<std::shared_ptr<const Snapshot>, Model>> snapshots;

  auto check = [&](const Model& expected, const Snapshot* snapshot) {
    IteratorOptions options;
    options.snapshot = snapshot;
    KeyValues actual = scan(Keyspace::kItems, options);
    ASSERT_EQ(actual, KeyValues(expected.begin(), expected.end()));
    for (int i = 0; i < 8; ++i) {
      const std::string key = random_key();
      auto found = expected.find(key);
      ASSERT_EQ(get(Keyspace::kItems, key, snapshot),
                found == expected.end() ? std::nullopt : std::optional<std::string>(found->second));
    }
    // Bounded seeks in both directions, checked against a linear search of the model.
    options.lower_bound = random_key();
    options.upper_bound = random_key();
    const std::string& lower = *options.lower_bound;
    const std::string& upper = *options.upper_bound;
    const std::string target = random_key();
    std::optional<std::string> first_at_or_after, last_at_or_before;
    for (const auto& [key, value] : expected) {
      if (key < lower || key >= upper) continue;
      if (key >= target && !first_at_or_after) first_at_or_after = key;
      if (key <= target) last_at_or_before = key;
    }
    auto it = engine_->iterate(Keyspace::kItems, options);
    it->seek(target);
    ASSERT_EQ(it->valid() ? std::optional<std::string>(it->key()) : std::nullopt,
              first_at_or_after);
    it->seek_for_prev(target);
    ASSERT_EQ(it->valid() ? std::optional<std::string>(it->key()) : std::nullopt,
              last_at_or_before);
  };

  for (int step = 0; step < 1500; ++step) {
    WriteBatch batch;
    const int ops = 1 + static_cast<int>(random() % 6);
    for (int i = 0; i < ops; ++i) {
      const uint64_t choice = random() % 10;
      if (choice < 6) {
        const std::string key = random_key();
        const std::string value = std::to_string(step) + "." + std::to_string(i);
        batch.put(Keyspace::kItems, key, value);
        model[key] = value;
      } else if (choice < 9) {
        const std::string key = random_key();
        batch.del(Keyspace::kItems, key);
        model.erase(key);
      } else {
        std::string begin = random_key();
        std::string end = random_key();
        batch.delete_range(Keyspace::kItems, begin, end);
        if (begin < end) model.erase(model.lower_bound(begin), model.lower_bound(end));
      }
    }
    write(batch);

    const uint64_t action = random() % 20;
    if (action == 0 && snapshots.size() < 4) {
      snapshots.emplace_back(engine_->snapshot(), model);
    } else if (action == 1 && !snapshots.empty()) {
      snapshots.erase(snapshots.begin() + static_cast<ptrdiff_t>(random() % snapshots.size()));
    }
    if (step % 100 == 50) engine_->compact_range(Keyspace::kItems, "", "");
    if (step % 25 == 0) {
      ASSERT_NO_FATAL_FAILURE(check(model, nullptr));
      for (const auto& [snapshot, frozen] : snapshots) {
        ASSERT_NO_FATAL_FAILURE(check(frozen, snapshot.get()));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, StorageEngineTest, ::testing::Values(kMemory, kRocksDb),
                         [](const auto& param_info) { return std::string(param_info.param); });
INSTANTIATE_TEST_SUITE_P(OnDisk, RocksDbEngineTest, ::testing::Values(kRocksDb),
                         [](const auto& param_info) { return std::string(param_info.param); });
INSTANTIATE_TEST_SUITE_P(Engines, IteratorTest, ::testing::Values(kMemory, kRocksDb),
                         [](const auto& param_info) { return std::string(param_info.param); });

TEST(KeyBuilderTest, RoundTrip) {
  const std::string key = KeyBuilder()
                              .u8(0xab)
                              .u32(0xdeadbeef)
                              .u64(0x0102030405060708ULL)
                              .short_string("stream")
                              .short_string("")
                              .raw(std::string("tail\0\xff", 6))
                              .take();
  EXPECT_EQ(key.size(), 1u + 4 + 8 + 7 + 1 + 6);
  KeyReader reader(key);
  uint8_t byte = 0;
  uint32_t word = 0;
  uint64_t wide = 0;
  std::string_view name, empty;
  ASSERT_TRUE(reader.u8(&byte));
  ASSERT_TRUE(reader.u32(&word));
  ASSERT_TRUE(reader.u64(&wide));
  ASSERT_TRUE(reader.short_string(&name));
  ASSERT_TRUE(reader.short_string(&empty));
  EXPECT_EQ(byte, 0xab);
  EXPECT_EQ(word, 0xdeadbeefu);
  EXPECT_EQ(wide, 0x0102030405060708ULL);
  EXPECT_EQ(name, "stream");
  EXPECT_EQ(empty, "");
  EXPECT_EQ(reader.rest(), std::string_view("tail\0\xff", 6));
  EXPECT_FALSE(reader.done());

  // KeyReader keeps a view: the encoded key must outlive it.
  const std::string encoded = KeyBuilder().u32(0).u32(UINT32_MAX).u64(0).u64(UINT64_MAX).take();
  KeyReader extremes(encoded);
  ASSERT_TRUE(extremes.u32(&word));
  EXPECT_EQ(word, 0u);
  ASSERT_TRUE(extremes.u32(&word));
  EXPECT_EQ(word, UINT32_MAX);
  ASSERT_TRUE(extremes.u64(&wide));
  EXPECT_EQ(wide, 0u);
  ASSERT_TRUE(extremes.u64(&wide));
  EXPECT_EQ(wide, UINT64_MAX);
  EXPECT_TRUE(extremes.done());
}

TEST(KeyBuilderTest, ByteOrderIsNumericOrder) {
  const std::vector<uint64_t> values = {
      0, 1, 255, 256, 65535, 1ULL << 32, (1ULL << 63) - 1, 1ULL << 63, UINT64_MAX};
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    EXPECT_LT(KeyBuilder().u64(values[i]).str(), KeyBuilder().u64(values[i + 1]).str());
    EXPECT_LT(
        KeyBuilder().u32(static_cast<uint32_t>(values[i] >> 32)).u64(values[i]).str(),
        KeyBuilder().u32(static_cast<uint32_t>(values[i + 1] >> 32)).u64(values[i + 1]).str());
  }
  EXPECT_LT(KeyBuilder().u32(0x00ffffff).str(), KeyBuilder().u32(0x01000000).str());
}

TEST(KeyReaderTest, TruncatedInputFails) {
  uint8_t byte = 0;
  uint32_t word = 0;
  uint64_t wide = 0;
  std::string_view text;
  EXPECT_FALSE(KeyReader("").u8(&byte));
  EXPECT_FALSE(KeyReader("abc").u32(&word));
  EXPECT_FALSE(KeyReader("abcdefg").u64(&wide));
  EXPECT_FALSE(KeyReader("\x05"
                         "abcd")
                   .short_string(&text));
  EXPECT_FALSE(KeyReader("").short_string(&text));
  KeyReader exact(
      "\x04"
      "abcd");
  EXPECT_TRUE(exact.short_string(&text));
  EXPECT_EQ(text, "abcd");
  EXPECT_TRUE(exact.done());
}

TEST(PrefixSuccessorTest, EdgeCases) {
  EXPECT_EQ(prefix_successor(""), "");
  EXPECT_EQ(prefix_successor("\xff"), "");
  EXPECT_EQ(prefix_successor("\xff\xff\xff"), "");
  EXPECT_EQ(prefix_successor("abc"), "abd");
  EXPECT_EQ(prefix_successor("a\xff"), "b");
  EXPECT_EQ(prefix_successor("a\xff\xff"), "b");
  EXPECT_EQ(prefix_successor("ab\xfe\xff"), "ab\xff");
  EXPECT_EQ(prefix_successor(std::string("\0", 1)), "\x01");
  EXPECT_EQ(prefix_successor(std::string("a\0", 2)), std::string("a\x01", 2));
  EXPECT_EQ(prefix_successor("\x7f"), "\x80");
}

TEST(PrefixSuccessorTest, BoundsEveryKeyWithThePrefix) {
  for (const std::string prefix : {"a", "a\xff", "stream\x01", "\xfe\xff"}) {
    const std::string successor = prefix_successor(prefix);
    for (const std::string suffix : {"", "\x00", "\xff", "\xff\xff\xff\xff", "zzz"}) {
      EXPECT_LT(prefix + suffix, successor);
    }
    EXPECT_GT(successor, prefix);
  }
}

TEST(KeyspaceTest, Names) {
  EXPECT_STREQ(keyspace_name(Keyspace::kMeta), "meta");
  EXPECT_STREQ(keyspace_name(Keyspace::kRecords), "records");
  EXPECT_STREQ(keyspace_name(Keyspace::kItems), "items");
}

}  // namespace
}  // namespace trib::storage
