// route_and_append with a caller's batch (kinesis/records.h), the seam the DynamoDB Kinesis
// streaming destination delivers through: the caller's mutations commit in the same atomic batch
// as the records, exactly once, also when a reshard closes the target shard between routing and
// appending (the records then go to the children, as any producer's do).
#include <gtest/gtest.h>

#include "kinesis/records.h"
#include "kinesis/stream_catalog.h"
#include "pending_split.h"
#include "storage/engine.h"
#include "streams/record_log.h"

namespace trib::kinesis {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kAt = kNow + 60'000;

class AppendWithBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Stream prototype;
    prototype.key = StreamKey{"000000000000", "us-east-1", "s"};
    prototype.created_ms = kNow;
    prototype.active_at_ms = kNow;
    Shard shard;
    shard.hash_range = streams::split_hash_space(1)[0];
    shard.created_ms = kNow;
    prototype.shards.push_back(shard);
    auto created = catalog_.create(std::move(prototype), kNow, nullptr);
    ASSERT_TRUE(created);
    key_ = created.value()->key;
  }

  // A split of shard 0, applied by the first catalog access at or after kAt.
  void split_at_kat() { testing::store_split_of_shard_0(catalog_, key_, kNow, kAt); }

  std::vector<streams::StoredRecord> read_shard(uint64_t stream_id, uint32_t index) {
    streams::ReadResult out;
    EXPECT_TRUE(records_.read({stream_id, index}, 0, 0, 1000, 1 << 20, &out).is_ok());
    return out.records;
  }

  bool has_item_key(const std::string& key) {
    std::string value;
    return engine_->get(storage::Keyspace::kItems, key, &value).is_ok();
  }

  std::unique_ptr<storage::Engine> engine_ = storage::make_memory_engine();
  streams::RecordLog records_{*engine_};
  StreamCatalog catalog_{*engine_, &records_};
  StreamKey key_;
};

TEST_F(AppendWithBatchTest, CallersMutationsCommitWithTheRecords) {
  storage::WriteBatch setup;
  setup.put(storage::Keyspace::kItems, "outbox-1", "x");
  ASSERT_TRUE(engine_->write(setup).is_ok());

  storage::WriteBatch with;
  with.del(storage::Keyspace::kItems, "outbox-1");
  with.put(storage::Keyspace::kItems, "marker", "y");
  const std::string pk = "0AB18464EFEE6043E48DD4475DABA453";
  std::vector<RecordToAppend> records{{&pk, nullptr, "first"}, {&pk, nullptr, "second"}};
  auto stream = catalog_.find(key_, kNow);
  auto outcome = route_and_append(catalog_, records_, false, kNow, stream, records, &with);
  ASSERT_TRUE(outcome);
  EXPECT_FALSE(has_item_key("outbox-1"));
  EXPECT_TRUE(has_item_key("marker"));
  auto stored = read_shard(stream->id, 0);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].data, "first");
  EXPECT_EQ(stored[1].data, "second");
  EXPECT_EQ(stored[0].partition_key, pk);
}

TEST_F(AppendWithBatchTest, ARefusedAppendWritesNoneOfTheCallersMutations) {
  split_at_kat();
  auto before = catalog_.find(key_, kAt - 1);
  ASSERT_TRUE(catalog_.find(key_, kAt));  // applies the split: shard 0 is closed
  storage::WriteBatch with;
  with.put(storage::Keyspace::kItems, "marker", "y");
  streams::AppendRequest request{0, "pk", "data"};
  std::vector<streams::Appended> out;
  EXPECT_TRUE(
      records_.append(before->id, std::span(&request, 1), kAt, false, &out, &with).is_aborted());
  EXPECT_FALSE(has_item_key("marker"));
}

TEST_F(AppendWithBatchTest, AReshardUnderTheAppendSendsRecordsToTheChildrenOnce) {
  split_at_kat();
  const std::string pk = "partition";
  std::vector<RecordToAppend> records{{&pk, nullptr, "before"}};
  auto stale = catalog_.find(key_, kAt - 1);
  ASSERT_TRUE(route_and_append(catalog_, records_, false, kAt - 1, stale, records, nullptr));
  ASSERT_TRUE(catalog_.find(key_, kAt));  // the split applies: shard 0 is closed

  storage::WriteBatch with;
  with.put(storage::Keyspace::kItems, "delivered", "1");
  records[0].data = "after";
  auto outcome = route_and_append(catalog_, records_, false, kAt, stale, records, &with);
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(has_item_key("delivered"));
  ASSERT_EQ(outcome->shards.size(), 1u);
  EXPECT_NE(outcome->shards[0]->index, 0u);
  EXPECT_EQ(read_shard(stale->id, 0).size(), 1u);  // only "before"
  auto in_child = read_shard(stale->id, outcome->shards[0]->index);
  ASSERT_EQ(in_child.size(), 1u);
  EXPECT_EQ(in_child[0].data, "after");
  const uint32_t other = outcome->shards[0]->index == 1 ? 2 : 1;
  EXPECT_TRUE(read_shard(stale->id, other).empty());
}

}  // namespace
}  // namespace trib::kinesis
