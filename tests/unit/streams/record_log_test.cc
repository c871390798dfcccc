// The record log on both engines: positions, ordering, reads by position and time, retention,
// restart, append notifications.
#include "streams/record_log.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "storage/engine.h"

namespace trib::streams {
namespace {

class RecordLogTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "rocksdb") {
      directory_ = std::filesystem::temp_directory_path() /
                   ("record-log-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
      std::filesystem::remove_all(directory_);
    }
    open();
  }
  void TearDown() override {
    log_.reset();
    engine_.reset();
    if (!directory_.empty()) std::filesystem::remove_all(directory_);
  }
  void open() {
    log_.reset();
    engine_.reset();
    if (directory_.empty()) {
      engine_ = storage::make_memory_engine();
    } else {
      storage::Status status;
      engine_ = storage::open_rocksdb_engine(directory_.string(), &status);
      ASSERT_TRUE(status.is_ok()) << status.message;
    }
    log_ = std::make_unique<RecordLog>(*engine_);
  }
  std::vector<Appended> append(uint64_t stream, std::vector<AppendRequest> requests, int64_t now) {
    std::vector<Appended> out;
    EXPECT_TRUE(log_->append(stream, requests, now, false, &out).is_ok());
    return out;
  }
  ReadResult read(ShardRef shard, uint64_t from, int64_t not_before = 0, size_t max_records = 10000,
                  size_t max_bytes = 10 << 20) {
    ReadResult out;
    EXPECT_TRUE(log_->read(shard, from, not_before, max_records, max_bytes, &out).is_ok());
    return out;
  }

  static inline int counter_ = 0;
  std::filesystem::path directory_;
  std::unique_ptr<storage::Engine> engine_;
  std::unique_ptr<RecordLog> log_;
};

TEST_P(RecordLogTest, PositionsIncreasePerShardInRequestOrder) {
  auto out = append(7, {{0, "a", "1"}, {1, "b", "2"}, {0, "c", "3"}, {0, "d", "4"}}, 1000);
  EXPECT_EQ(out[0].position, 0u);
  EXPECT_EQ(out[1].position, 0u);
  EXPECT_EQ(out[2].position, 1u);
  EXPECT_EQ(out[3].position, 2u);
  auto more = append(7, {{0, "e", "5"}}, 1000);
  EXPECT_EQ(more[0].position, 3u);
  EXPECT_EQ(log_->next_position({7, 0}), 4u);
  EXPECT_EQ(log_->next_position({7, 1}), 1u);
  EXPECT_EQ(log_->next_position({8, 0}), 0u);  // other streams are separate
}

TEST_P(RecordLogTest, ArrivalTimesNeverDecrease) {
  auto first = append(1, {{0, "k", "x"}}, 5000);
  auto second = append(1, {{0, "k", "y"}}, 4000);  // the clock went back
  EXPECT_EQ(first[0].arrival_ms, 5000);
  EXPECT_EQ(second[0].arrival_ms, 5000);
  EXPECT_EQ(log_->latest_arrival_ms({1, 0}), 5000);
}

TEST_P(RecordLogTest, ReadsFromAPositionWithLimits) {
  for (int i = 0; i < 10; ++i)
    append(1, {{0, "k" + std::to_string(i), std::string(100, 'a' + i)}}, 1000 + i);
  auto all = read({1, 0}, 0);
  ASSERT_EQ(all.records.size(), 10u);
  EXPECT_TRUE(all.reached_end);
  EXPECT_EQ(all.next_position, 10u);
  EXPECT_EQ(all.records[3].partition_key, "k3");
  EXPECT_EQ(all.records[3].data, std::string(100, 'd'));
  EXPECT_EQ(all.records[3].arrival_ms, 1003);

  auto page = read({1, 0}, 4, 0, 3);
  ASSERT_EQ(page.records.size(), 3u);
  EXPECT_EQ(page.records.front().position, 4u);
  EXPECT_EQ(page.next_position, 7u);
  EXPECT_FALSE(page.reached_end);

  auto by_bytes = read({1, 0}, 0, 0, 100, 250);  // ~2 records of 102 bytes fit, a third crosses
  EXPECT_EQ(by_bytes.records.size(), 2u);
  EXPECT_EQ(by_bytes.next_position, 2u);

  auto tip = read({1, 0}, 10);
  EXPECT_TRUE(tip.records.empty());
  EXPECT_TRUE(tip.reached_end);
  EXPECT_EQ(tip.next_position, 10u);
  EXPECT_EQ(tip.latest_arrival_ms, 1009);
}

TEST_P(RecordLogTest, PositionAtTime) {
  for (int i = 0; i < 100; ++i) append(1, {{0, "k", "v"}}, 1000 + (i / 10) * 100);  // 10 per 100 ms
  EXPECT_EQ(log_->position_at_time({1, 0}, 0), 0u);
  EXPECT_EQ(log_->position_at_time({1, 0}, 1000), 0u);
  EXPECT_EQ(log_->position_at_time({1, 0}, 1001), 10u);
  EXPECT_EQ(log_->position_at_time({1, 0}, 1500), 50u);
  EXPECT_EQ(log_->position_at_time({1, 0}, 1900), 90u);
  EXPECT_EQ(log_->position_at_time({1, 0}, 1901), 100u);  // after the newest: the next position
  EXPECT_EQ(log_->position_at_time({1, 1}, 5), 0u);       // empty shard
}

TEST_P(RecordLogTest, TrimDeletesOnlyExpiredRecords) {
  for (int i = 0; i < 20; ++i) append(1, {{0, "k", "v" + std::to_string(i)}}, 1000 + i * 10);
  EXPECT_EQ(log_->trim({1, 0}, 1000), 0u);  // nothing older than the cutoff
  EXPECT_EQ(log_->trim({1, 0}, 1100), 10u);
  auto rest = read({1, 0}, 0);
  ASSERT_EQ(rest.records.size(), 10u);
  EXPECT_EQ(rest.records.front().position, 10u);
  EXPECT_EQ(rest.records.front().data, "v10");
  EXPECT_EQ(log_->position_at_time({1, 0}, 0), 10u);
  // Reads also hide records past retention that the trim job has not deleted yet.
  auto hidden = read({1, 0}, 0, 1150);
  ASSERT_FALSE(hidden.records.empty());
  EXPECT_EQ(hidden.records.front().position, 15u);
  // New appends continue after the trimmed ones.
  EXPECT_EQ(append(1, {{0, "k", "new"}}, 2000)[0].position, 20u);
}

// One append stores each shard's records as one chunk: reads, time lookups and trims must
// work inside chunks and across their edges.
TEST_P(RecordLogTest, ChunksAreReadAndTrimmedRecordByRecord) {
  for (int batch = 0; batch < 4; ++batch) {  // 4 chunks of 10 records on shard 0
    std::vector<AppendRequest> requests;
    std::vector<std::string> names;
    for (int i = 0; i < 10; ++i) names.push_back("r" + std::to_string(batch * 10 + i));
    for (int i = 0; i < 10; ++i) requests.push_back({0, "k", names[static_cast<size_t>(i)]});
    requests.push_back({1, "other", "x"});  // and one record of shard 1 in the same batch
    auto out = append(6, requests, 1000 + batch * 100);
    EXPECT_EQ(out[9].position, static_cast<uint64_t>(batch * 10 + 9));
  }
  for (uint64_t from : {0u, 3u, 9u, 10u, 15u, 39u}) {
    auto page = read({6, 0}, from, 0, 7);
    ASSERT_FALSE(page.records.empty()) << from;
    EXPECT_EQ(page.records.front().position, from);
    EXPECT_EQ(page.records.front().data, "r" + std::to_string(from));
    EXPECT_EQ(page.records.size(), std::min<uint64_t>(7, 40 - from));
    EXPECT_EQ(page.next_position, from + page.records.size());
  }
  EXPECT_EQ(read({6, 1}, 0).records.size(), 4u);
  EXPECT_EQ(log_->position_at_time({6, 0}, 1150), 20u);
  EXPECT_EQ(log_->position_at_time({6, 0}, 1300), 30u);
  // A cutoff inside a chunk deletes only the chunks before it; reads hide the rest of it.
  EXPECT_EQ(log_->trim({6, 0}, 1150), 20u);
  EXPECT_EQ(read({6, 0}, 0).records.front().position, 20u);
  EXPECT_EQ(log_->trim({6, 0}, 1400), 20u);  // everything
  EXPECT_TRUE(read({6, 0}, 0).records.empty());
  EXPECT_EQ(append(6, {{0, "k", "after"}}, 2000)[0].position, 40u);
  EXPECT_EQ(read({6, 0}, 0).records.front().data, "after");
}

// Values of the first format (one record per key, version 1) are still read.
TEST_P(RecordLogTest, ReadsSingleRecordValues) {
  storage::WriteBatch batch;
  for (uint64_t position = 0; position < 3; ++position) {
    std::string value(1, '\x01');
    const int64_t arrival = 1000 + static_cast<int64_t>(position);
    for (int shift = 56; shift >= 0; shift -= 8)
      value.push_back(static_cast<char>((arrival >> shift) & 0xff));
    value += std::string("\x00\x02", 2) + "pk" + "old" + std::to_string(position);
    batch.put(storage::Keyspace::kRecords, RecordLog::record_key({9, 0}, position), value);
  }
  ASSERT_TRUE(engine_->write(batch).is_ok());
  EXPECT_EQ(append(9, {{0, "pk", "new"}}, 2000)[0].position, 3u);
  auto all = read({9, 0}, 1);
  ASSERT_EQ(all.records.size(), 3u);
  EXPECT_EQ(all.records[0].data, "old1");
  EXPECT_EQ(all.records[0].arrival_ms, 1001);
  EXPECT_EQ(all.records[0].partition_key, "pk");
  EXPECT_EQ(all.records[2].data, "new");
  EXPECT_EQ(log_->position_at_time({9, 0}, 1002), 2u);
}

// Only an on-disk engine can be reopened: this suite is instantiated for RocksDB alone.
class DurableRecordLogTest : public RecordLogTest {};

TEST_P(RecordLogTest, LargeTrimsGiveSpaceBack) {
  // Incompressible payloads, so the engine's size reflects what was written.
  std::mt19937_64 random(7);
  std::vector<std::string> payloads(1000);
  for (auto& p : payloads) {
    p.resize(1000);
    for (auto& c : p) c = static_cast<char>(random());
  }
  for (int batch = 0; batch < 30; ++batch) {
    std::vector<AppendRequest> requests;
    for (const auto& p : payloads) requests.push_back(AppendRequest{0, "key", p});
    append(4, requests, 1000 + batch);
  }
  const uint64_t full = engine_->approximate_size(storage::Keyspace::kRecords);
  EXPECT_GT(full, 20u << 20);
  EXPECT_EQ(log_->trim({4, 0}, 1029), 29000u);
  EXPECT_EQ(read({4, 0}, 0).records.size(), 1000u);
  EXPECT_LT(engine_->approximate_size(storage::Keyspace::kRecords), full / 4);
}

TEST_P(DurableRecordLogTest, StateSurvivesReopen) {
  append(3, {{0, "a", "1"}, {0, "b", "2"}, {2, "c", "3"}}, 7000);
  open();
  EXPECT_EQ(log_->next_position({3, 0}), 2u);
  EXPECT_EQ(log_->next_position({3, 2}), 1u);
  EXPECT_EQ(log_->latest_arrival_ms({3, 0}), 7000);
  EXPECT_EQ(append(3, {{0, "d", "4"}}, 6000)[0].position, 2u);
  EXPECT_EQ(read({3, 0}, 0).records.size(), 3u);
}

// Counter groups (issue 9, point 7): shards created together take positions from one counter.
TEST_P(RecordLogTest, SharedCounterGivesEveryRecordOfTheGroupItsOwnPosition) {
  constexpr uint64_t kGroup = 1700000000000;
  std::vector<uint64_t> positions;
  for (int i = 0; i < 10; ++i) {
    positions.push_back(
        append(5, {{static_cast<uint32_t>(i % 2), "k", "x", kGroup}}, 1)[0].position);
  }
  for (int i = 0; i < 10; ++i) EXPECT_EQ(positions[i], static_cast<uint64_t>(i));
  // One call: each shard's records consecutive, in request order; the group's values distinct.
  auto out = append(5, {{1, "a", "1", kGroup}, {0, "b", "2", kGroup}, {1, "c", "3", kGroup}}, 1);
  EXPECT_EQ(out[1].position, 10u);
  EXPECT_EQ(out[0].position, 11u);
  EXPECT_EQ(out[2].position, 12u);
  // Another group of the same stream counts apart; reads skip the gaps.
  EXPECT_EQ(append(5, {{2, "k", "x", kGroup + 1}}, 1)[0].position, 13u);  // past the stream's end
  EXPECT_EQ(append(5, {{3, "k", "x", kGroup + 1}}, 1)[0].position, 14u);
  EXPECT_EQ(append(5, {{0, "k", "x", kGroup}}, 1)[0].position, 13u);
  auto shard0 = read({5, 0}, 0);
  ASSERT_EQ(shard0.records.size(), 7u);
  EXPECT_EQ(shard0.records[4].position, 8u);
  EXPECT_EQ(shard0.records[5].position, 10u);
  EXPECT_EQ(shard0.records[6].position, 13u);
  EXPECT_EQ(read({5, 0}, 11).records.front().position, 13u);
  EXPECT_EQ(log_->next_position({5, 0}), 14u);
  EXPECT_EQ(log_->next_position({5, 1}), 13u);
}

TEST_P(RecordLogTest, ConcurrentAppendsToAGroupTakeDistinctConsecutivePositions) {
  constexpr int kThreads = 4, kPerThread = 250;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::vector<Appended> out;
        const std::string partition_key = "t" + std::to_string(t), data = std::to_string(i);
        std::vector<AppendRequest> batch = {
            {static_cast<uint32_t>(i % 2), partition_key, data, 77}};
        ASSERT_TRUE(log_->append(9, batch, 1, false, &out).is_ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<uint64_t> all;
  for (uint32_t shard = 0; shard < 2; ++shard) {
    auto records = read({9, shard}, 0).records;
    for (size_t i = 1; i < records.size(); ++i)
      EXPECT_LT(records[i - 1].position, records[i].position);
    for (const auto& r : records) all.push_back(r.position);
  }
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], i);
}

TEST_P(DurableRecordLogTest, SharedCounterIsDerivedFromWhatIsStored) {
  // Written before: shard 0 has positions 0-4 (its own counter, as data written before counter
  // groups existed), shard 1 has 0-1.
  append(6, {{0, "a", "1"}, {0, "a", "2"}, {0, "a", "3"}, {0, "a", "4"}, {0, "a", "5"}}, 1);
  append(6, {{1, "b", "1"}, {1, "b", "2"}}, 1);
  open();
  // After the restart shard 1, which no longer knows shard 0's position, continues past
  // everything stored in the stream: no position of the group repeats, and shard 1's grow.
  EXPECT_EQ(append(6, {{1, "b", "3", 42}}, 2)[0].position, 5u);
  EXPECT_EQ(append(6, {{0, "a", "6", 42}}, 2)[0].position, 6u);
  open();
  EXPECT_EQ(append(6, {{0, "a", "7", 42}}, 3)[0].position, 7u);
  EXPECT_EQ(append(6, {{1, "b", "4", 42}}, 3)[0].position, 8u);
  EXPECT_EQ(read({6, 1}, 0).records.size(), 4u);
  EXPECT_EQ(read({6, 0}, 0).records.size(), 7u);
}

TEST_P(RecordLogTest, NotifiesWaitersOnAppend) {
  std::atomic<int> calls{0};
  log_->notify_on_append({1, 0}, [&] { calls++; });
  auto cancelled = log_->notify_on_append({1, 0}, [&] { calls += 100; });
  log_->cancel_wait({1, 0}, cancelled);
  append(1, {{1, "other shard", "x"}}, 1);
  EXPECT_EQ(calls.load(), 0);
  append(1, {{0, "k", "x"}}, 1);
  EXPECT_EQ(calls.load(), 1);
  append(1, {{0, "k", "y"}}, 1);  // one-shot
  EXPECT_EQ(calls.load(), 1);
}

TEST_P(RecordLogTest, ClosedShardRefusesAppendsWithoutWritingAnything) {
  append(4, {{0, "k", "a"}, {0, "k", "b"}}, 1);
  std::atomic<int> woken{0};
  log_->notify_on_append({4, 0}, [&] { woken++; });
  EXPECT_EQ(log_->close_shard({4, 0}), 2u);
  EXPECT_EQ(woken.load(), 0);
  log_->wake_waiters({4, 0});  // once the reshard is published
  EXPECT_EQ(woken.load(), 1);
  std::vector<Appended> out;
  std::vector<AppendRequest> both = {{1, "k", "other shard"}, {0, "k", "closed shard"}};
  EXPECT_TRUE(log_->append(4, both, 2, false, &out).is_aborted());
  EXPECT_EQ(read({4, 1}, 0).records.size(), 0u);  // the batch is all or nothing
  EXPECT_EQ(read({4, 0}, 0).records.size(), 2u);
  EXPECT_EQ(append(4, {{1, "k", "open shard"}}, 3)[0].position, 0u);
  log_->reopen_shard({4, 0});
  EXPECT_EQ(append(4, {{0, "k", "c"}}, 4)[0].position, 2u);
}

// stage() + the caller's own write + publish(): the records commit in the caller's batch with
// its other mutations, become visible (LATEST, push waiters) at publish, and the shard is held
// in between: another append to it waits and takes the next position.
TEST_P(RecordLogTest, AStagedAppendCommitsInTheCallersBatchAndHoldsItsShard) {
  append(9, {{0, "k", "a"}}, 1);
  std::atomic<int> woken{0};
  log_->notify_on_append({9, 0}, [&] { woken++; });
  storage::WriteBatch batch;
  batch.put(storage::Keyspace::kMeta, "the caller's own", "mutation");
  std::vector<Appended> out;
  RecordLog::Staged staged;
  std::vector<AppendRequest> one = {{0, "k", "b"}};
  ASSERT_TRUE(log_->stage(9, one, 2, batch, &out, &staged).is_ok());
  ASSERT_TRUE(static_cast<bool>(staged));
  EXPECT_EQ(out[0].position, 1u);
  std::atomic<bool> appended{false};
  std::thread other([&] {
    append(9, {{0, "k", "c"}}, 3);
    appended = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(appended.load());                  // waits for the staged append's shard
  EXPECT_EQ(read({9, 0}, 0).records.size(), 1u);  // nothing committed yet
  ASSERT_TRUE(engine_->write(batch).is_ok());
  EXPECT_EQ(log_->next_position({9, 0}), 1u);  // committed, not yet published
  EXPECT_EQ(woken.load(), 0);
  staged.publish();
  EXPECT_FALSE(static_cast<bool>(staged));
  other.join();
  EXPECT_TRUE(appended.load());
  EXPECT_EQ(woken.load(), 1);
  const auto records = read({9, 0}, 0).records;
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].data, "b");
  EXPECT_EQ(records[2].data, "c");
  EXPECT_EQ(records[2].position, 2u);
  std::string value;
  EXPECT_TRUE(engine_->get(storage::Keyspace::kMeta, "the caller's own", &value).is_ok());
}

// Locking::kIfFree: a producer that must not wait is refused while another append holds the
// shard, and nothing is staged.
TEST_P(RecordLogTest, StagingIfFreeIsRefusedWhileTheShardIsHeld) {
  storage::WriteBatch first_batch, second_batch;
  std::vector<Appended> out;
  std::vector<AppendRequest> one = {{0, "k", "x"}};
  RecordLog::Staged holder;
  ASSERT_TRUE(log_->stage(6, one, 1, first_batch, &out, &holder).is_ok());
  RecordLog::Staged refused;
  EXPECT_TRUE(log_->stage(6, one, 1, second_batch, &out, &refused, RecordLog::Locking::kIfFree)
                  .is_aborted());
  EXPECT_FALSE(static_cast<bool>(refused));
  EXPECT_EQ(second_batch.size(), 0u);
  holder.abandon();
  EXPECT_TRUE(
      log_->stage(6, one, 1, second_batch, &out, &refused, RecordLog::Locking::kIfFree).is_ok());
  EXPECT_TRUE(static_cast<bool>(refused));
}

// A staged append whose batch is not committed releases its shard; its position is never used
// (a gap), and nothing of it is stored.
TEST_P(RecordLogTest, AnAbandonedStagedAppendLeavesAGap) {
  storage::WriteBatch batch;
  std::vector<Appended> out;
  std::vector<AppendRequest> one = {{0, "k", "never"}};
  {
    RecordLog::Staged staged;
    ASSERT_TRUE(log_->stage(5, one, 1, batch, &out, &staged).is_ok());
    EXPECT_EQ(out[0].position, 0u);
  }  // destroyed: abandoned
  EXPECT_EQ(append(5, {{0, "k", "next"}}, 2)[0].position, 1u);
  const auto records = read({5, 0}, 0).records;
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].data, "next");
  // A closed shard refuses to stage, holding nothing.
  log_->close_shard({5, 0});
  RecordLog::Staged refused;
  EXPECT_TRUE(log_->stage(5, one, 3, batch, &out, &refused).is_aborted());
  EXPECT_FALSE(static_cast<bool>(refused));
}

TEST_P(RecordLogTest, ConcurrentAppendsKeepEveryRecordOnce) {
  constexpr int kThreads = 4, kPerThread = 250;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::vector<Appended> out;
        // AppendRequest only views its strings: keep them alive for the call.
        const std::string partition_key = "t" + std::to_string(t), data = std::to_string(i);
        std::vector<AppendRequest> batch = {{static_cast<uint32_t>(i % 2), partition_key, data}};
        ASSERT_TRUE(log_->append(9, batch, 1, false, &out).is_ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  size_t total = 0;
  for (uint32_t shard = 0; shard < 2; ++shard) {
    auto all = read({9, shard}, 0);
    for (size_t i = 0; i < all.records.size(); ++i) EXPECT_EQ(all.records[i].position, i);
    total += all.records.size();
  }
  EXPECT_EQ(total, static_cast<size_t>(kThreads * kPerThread));
}

INSTANTIATE_TEST_SUITE_P(Engines, RecordLogTest, ::testing::Values("memory", "rocksdb"),
                         [](const auto& param_info) { return std::string(param_info.param); });
INSTANTIATE_TEST_SUITE_P(OnDisk, DurableRecordLogTest, ::testing::Values("rocksdb"),
                         [](const auto& param_info) { return std::string(param_info.param); });

}  // namespace
}  // namespace trib::streams
