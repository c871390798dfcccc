// The Kinesis streaming destination (dynamodb/destination/): the record JSON (member order,
// images, SizeBytes, timestamp unit, TTL identity), the partition key, the outbox written with
// the item in the write path's batch, and the delivery job moving entries out exactly once, in
// order, retrying after a failure.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "dynamodb/destination/delivery.h"
#include "dynamodb/destination/outbox.h"
#include "dynamodb/destination/record.h"
#include "dynamodb/items/counters.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/write_path.h"
#include "dynamodb/tables/table_catalog.h"
#include "dynamodb/values/item_codec.h"
#include "item_builders.h"
#include "storage/keys.h"

namespace trib::dynamodb::destination {
namespace {

using testing::item;
using testing::n;
using testing::s;

Table test_table() {
  Table t;
  t.id = 9;
  t.key = {"000000000000", "eu-west-1", "tbl"};
  t.key_schema.hash = {"pk", 'S'};
  t.key_schema.range = KeyAttribute{"sk", 'N'};
  return t;
}

constexpr const char* kEventId = "be90192c-10af-489d-a887-2c2a0edcec23";

TEST(DestinationRecord, InsertHasAwsMembersInOrderAndMilliseconds) {
  const Table t = test_table();
  const Item added = item({{"pk", s("p1")}, {"sk", n("10")}, {"v", s("x")}});
  const items::ItemChange change{t, nullptr, &added, 1650162905269, items::ChangeKind::kInsert};
  // SizeBytes: Keys pk 2+2, sk 2+2 (8); NewImage 8 + v 1+1 (10).
  EXPECT_EQ(destination_record(change, kEventId, 1650162905269, false),
            R"({"awsRegion":"eu-west-1","eventID":"be90192c-10af-489d-a887-2c2a0edcec23",)"
            R"("eventName":"INSERT","userIdentity":null,"recordFormat":"application/json",)"
            R"("tableName":"tbl","dynamodb":{"ApproximateCreationDateTime":1650162905269,)"
            R"("Keys":{"pk":{"S":"p1"},"sk":{"N":"10"}},)"
            R"("NewImage":{"pk":{"S":"p1"},"sk":{"N":"10"},"v":{"S":"x"}},"SizeBytes":18},)"
            R"("eventSource":"aws:dynamodb"})");
}

TEST(DestinationRecord, ModifyHasBothImagesAndMicrosecondPrecisionLast) {
  const Table t = test_table();
  const Item before = item({{"pk", s("p1")}, {"sk", n("10")}, {"v", s("x")}});
  const Item after = item({{"pk", s("p1")}, {"sk", n("10")}, {"v", s("yy")}});
  const items::ItemChange change{t, &before, &after, 1719347890250, items::ChangeKind::kModify};
  EXPECT_EQ(
      destination_record(change, kEventId, 1719347890250647, true),
      R"({"awsRegion":"eu-west-1","eventID":"be90192c-10af-489d-a887-2c2a0edcec23",)"
      R"("eventName":"MODIFY","userIdentity":null,"recordFormat":"application/json",)"
      R"("tableName":"tbl","dynamodb":{"ApproximateCreationDateTime":1719347890250647,)"
      R"("Keys":{"pk":{"S":"p1"},"sk":{"N":"10"}},)"
      R"("NewImage":{"pk":{"S":"p1"},"sk":{"N":"10"},"v":{"S":"yy"}},)"
      R"("OldImage":{"pk":{"S":"p1"},"sk":{"N":"10"},"v":{"S":"x"}},"SizeBytes":29,)"
      R"("ApproximateCreationDateTimePrecision":"MICROSECOND"},"eventSource":"aws:dynamodb"})");
}

// Keys are written from the image without building an item of them: in name order (as an Item
// keeps its attributes) whatever the schema's order, and counted in SizeBytes as an item.
TEST(DestinationRecord, KeysInNameOrderWhateverTheSchemaOrder) {
  Table t = test_table();
  t.key_schema.hash = {"zk", 'S'};
  t.key_schema.range = KeyAttribute{"ak", 'N'};
  const Item added = item({{"ak", n("12.5")}, {"v", s("x")}, {"zk", s("p\"1")}});
  const items::ItemChange change{t, nullptr, &added, 1000, items::ChangeKind::kInsert};
  const std::string json = destination_record(change, kEventId, 1000, false);
  EXPECT_NE(json.find(R"("Keys":{"ak":{"N":"12.5"},"zk":{"S":"p\"1"}},"NewImage")"),
            std::string::npos)
      << json;
  const size_t size_bytes =
      items::change_size_bytes(items::key_attributes(t.key_schema, added), &added, nullptr);
  EXPECT_NE(json.find(fmt::format(R"("SizeBytes":{}}})", size_bytes)), std::string::npos) << json;
}

TEST(DestinationRecord, TimeToLiveRemoveShowsTheServiceIdentity) {
  const Table t = test_table();
  const Item before = item({{"pk", s("p1")}, {"sk", n("10")}});
  items::ItemChange change{t, &before, nullptr, 1000, items::ChangeKind::kRemove};
  change.origin = items::WriteOrigin::kTimeToLive;
  const std::string json = destination_record(change, kEventId, 1000, false);
  EXPECT_NE(json.find(R"("eventName":"REMOVE","userIdentity":{"Type":"Service",)"
                      R"("PrincipalId":"dynamodb.amazonaws.com"},"recordFormat")"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("OldImage":{"pk":{"S":"p1"},"sk":{"N":"10"}},"SizeBytes":16})"),
            std::string::npos)
      << json;
  EXPECT_EQ(json.find("NewImage"), std::string::npos);
}

TEST(DestinationRecord, EventIdsAreDistinctVersion4Uuids) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = destination_event_id();
    ASSERT_EQ(id.size(), 36u) << id;
    for (size_t at : {8u, 13u, 18u, 23u}) EXPECT_EQ(id[at], '-') << id;
    EXPECT_EQ(id[14], '4') << id;                                          // version 4
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;  // RFC 4122 variant
    for (char c : id) EXPECT_TRUE(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(DestinationPartitionKey, Md5HexOfTheKeyStablePerItem) {
  const Table t = test_table();
  const std::string a = destination_partition_key(t, item({{"pk", s("p1")}, {"sk", n("1000")}}));
  ASSERT_EQ(a.size(), 32u);
  for (char c : a) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')) << a;
  // The same item (equal numbers are one key; other attributes do not count).
  EXPECT_EQ(a, destination_partition_key(
                   t, item({{"pk", s("p1")}, {"sk", n("1e3")}, {"v", s("anything")}})));
  EXPECT_NE(a, destination_partition_key(t, item({{"pk", s("p1")}, {"sk", n("1001")}})));
  EXPECT_NE(a, destination_partition_key(t, item({{"pk", s("p2")}, {"sk", n("1000")}})));
}

TEST(OutboxEntry, RoundTrip) {
  const std::string pk(32, 'A');
  const std::string value =
      encode_outbox_entry({"arn:aws:kinesis:eu-west-1:000000000000:stream/s", pk, "{}"});
  auto back = decode_outbox_entry(value);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->stream_arn, "arn:aws:kinesis:eu-west-1:000000000000:stream/s");
  EXPECT_EQ(back->partition_key, pk);
  EXPECT_EQ(back->data, "{}");
  EXPECT_FALSE(decode_outbox_entry(value.substr(0, 20)));
  EXPECT_FALSE(decode_outbox_entry(""));
}

TEST(OutboxKey, RoundTripAndOnlyThisTablesOutbox) {
  const std::string key = outbox_key(9, 63, 1234567);
  int stripe = 0;
  uint64_t sequence = 0;
  ASSERT_TRUE(decode_outbox_key(9, key, &stripe, &sequence));
  EXPECT_EQ(stripe, 63);
  EXPECT_EQ(sequence, 1234567u);
  EXPECT_FALSE(decode_outbox_key(10, key, &stripe, &sequence));
  EXPECT_FALSE(decode_outbox_key(9, key.substr(0, key.size() - 1), &stripe, &sequence));
  EXPECT_FALSE(decode_outbox_key(9, outbox_key(9, items::kCounterStripes, 0), &stripe, &sequence));
  // Every stripe's keys lie inside the table's outbox range, in stripe order.
  EXPECT_LE(outbox_begin(9), outbox_key(9, 0, 0));
  EXPECT_LT(outbox_key(9, 0, ~uint64_t{0}), outbox_key(9, 1, 0));
  EXPECT_LT(outbox_key(9, items::kCounterStripes, 0), outbox_end(9));
}

TEST(KinesisDestinationState, StatusByTheClockAndStoredWithTheTable) {
  KinesisDestination d;
  d.stream_arn = "arn:aws:kinesis:eu-west-1:000000000000:stream/s";
  d.status = "ACTIVE";
  d.pending = "ENABLING";
  d.until_ms = 1000;
  EXPECT_EQ(d.status_at(999), "ENABLING");
  EXPECT_FALSE(d.captures_at(999));
  EXPECT_EQ(d.status_at(1000), "ACTIVE");
  EXPECT_TRUE(d.captures_at(1000));
  EXPECT_FALSE(d.microseconds());

  Table t = test_table();
  KinesisDestination disabled;
  disabled.stream_arn = "arn:aws:kinesis:eu-west-1:000000000000:stream/old";
  disabled.status = "DISABLED";
  disabled.precision = "MICROSECOND";
  disabled.description = "gone";
  t.kinesis_destinations = {disabled, d};
  auto back = decode_table(encode_table(t));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->kinesis_destinations.size(), 2u);
  const KinesisDestination& old = back->kinesis_destinations[0];
  EXPECT_EQ(old.stream_arn, disabled.stream_arn);
  EXPECT_EQ(old.status_at(0), "DISABLED");
  EXPECT_EQ(old.precision, std::optional<std::string>("MICROSECOND"));
  EXPECT_EQ(old.description, std::optional<std::string>("gone"));
  EXPECT_TRUE(old.microseconds());
  EXPECT_EQ(back->kinesis_destinations[1].status_at(999), "ENABLING");
  EXPECT_EQ(back->kinesis_destinations[1].status_at(1000), "ACTIVE");
  EXPECT_FALSE(back->kinesis_destinations[1].precision);
  // A table that never had a destination stores no member.
  EXPECT_EQ(encode_table(test_table()).find("kinesis_destinations"), std::string::npos);
}

TEST(KinesisDestinationState, EnableFailedShowsItsDescriptionOnlyOnceSettled) {
  KinesisDestination d;
  d.stream_arn = "arn:aws:kinesis:eu-west-1:000000000000:stream/missing";
  d.status = "ENABLE_FAILED";
  d.pending = "ENABLING";
  d.until_ms = 1000;
  d.description = "User does not have a permission to use kinesis stream";
  EXPECT_EQ(d.status_at(999), "ENABLING");
  EXPECT_FALSE(d.description_at(999));
  EXPECT_EQ(d.status_at(1000), "ENABLE_FAILED");
  EXPECT_EQ(d.description_at(1000), std::optional<std::string_view>(
                                        "User does not have a permission to use kinesis stream"));
  EXPECT_FALSE(d.captures_at(999));
  EXPECT_FALSE(d.captures_at(1000));
}

// A Kinesis stand-in: commits `with` as the real sink does and keeps the records.
class FakeSink final : public KinesisSink {
 public:
  explicit FakeSink(storage::Engine& engine) : engine_(engine) {}
  int64_t now_ms() const override { return 5000; }
  StreamCheck check_stream(std::string_view, std::string_view, std::string_view) const override {
    return StreamCheck::kUsable;
  }
  Delivery deliver(std::string_view stream_arn, std::span<const SinkRecord> records,
                   const storage::WriteBatch& with) override {
    std::lock_guard lock(mutex_);
    if (fail_next_) {
      fail_next_ = false;
      return {Delivery::Result::kFailed, 0};
    }
    if (gone_.count(std::string(stream_arn))) return {Delivery::Result::kStreamGone, 0};
    if (!engine_.write(with).is_ok()) return {Delivery::Result::kFailed, 0};
    ++calls_;
    size_t oversized = 0;
    for (const SinkRecord& r : records) {
      if (r.data.size() > max_record_bytes_) {
        ++oversized;
        continue;
      }
      delivered_.push_back(
          {std::string(stream_arn), std::string(r.partition_key), std::string(r.data)});
    }
    changed_.notify_all();
    return {Delivery::Result::kDelivered, oversized};
  }
  void delete_stream(const std::string& arn) {
    std::lock_guard lock(mutex_);
    gone_.insert(arn);
  }
  void set_max_record_bytes(size_t bytes) {
    std::lock_guard lock(mutex_);
    max_record_bytes_ = bytes;
  }
  struct Record {
    std::string arn, partition_key, data;
  };
  std::vector<Record> wait_for(size_t count,
                               std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return delivered_.size() >= count; });
    return delivered_;
  }
  int calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  void fail_next() {
    std::lock_guard lock(mutex_);
    fail_next_ = true;
  }
  // The direct path: stage() adds the record to the item's batch (under a key of its own in the
  // records keyspace) and makes it visible when told the batch committed.
  Finish stage(std::string_view stream_arn, const SinkRecord& record,
               storage::WriteBatch& batch) override {
    std::lock_guard lock(mutex_);
    if (!direct_) return {};
    batch.put(storage::Keyspace::kRecords, "direct-" + std::to_string(staged_++), record.data);
    Record staged{std::string(stream_arn), std::string(record.partition_key),
                  std::string(record.data)};
    return [this, staged = std::move(staged)](bool committed) {
      std::lock_guard finish_lock(mutex_);
      if (!committed) {
        ++abandoned_;
        return;
      }
      ++published_;
      delivered_.push_back(staged);
      changed_.notify_all();
    };
  }
  void set_direct(bool direct) {
    std::lock_guard lock(mutex_);
    direct_ = direct;
  }
  int published() {
    std::lock_guard lock(mutex_);
    return published_;
  }
  int abandoned() {
    std::lock_guard lock(mutex_);
    return abandoned_;
  }
  // Whether the record staged as the n-th direct one is stored.
  bool stored_direct(int n) {
    std::string value;
    return engine_.get(storage::Keyspace::kRecords, "direct-" + std::to_string(n), &value).is_ok();
  }

 private:
  bool direct_ = false;
  int staged_ = 0, published_ = 0, abandoned_ = 0;
  storage::Engine& engine_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Record> delivered_;
  bool fail_next_ = false;
  int calls_ = 0;
  std::set<std::string> gone_;
  size_t max_record_bytes_ = SIZE_MAX;
};

class OutboxTest : public ::testing::Test {
 protected:
  OutboxTest() {
    table_ = test_table();
    KinesisDestination d;
    d.stream_arn = kArn;
    table_.kinesis_destinations.push_back(d);
  }
  items::WriteOutcome put(const Item& value) {
    return path_
        .write(
            table_, key_of(value),
            [&](const std::optional<Item>&) -> aws::AwsResult<items::WriteDecision> {
              return items::WriteDecision::put(value);
            },
            4000)
        .value();
  }
  items::WriteOutcome remove(const Item& key) {
    return path_
        .write(
            table_, key,
            [&](const std::optional<Item>&) -> aws::AwsResult<items::WriteDecision> {
              return items::WriteDecision::remove();
            },
            4000)
        .value();
  }
  Item key_of(const Item& value) { return items::key_attributes(table_.key_schema, value); }
  // A step that puts `value` whatever was there (a write of a multi-item group).
  static items::WriteStep put_step(const Item& value) {
    return [value](const std::optional<Item>&) -> aws::AwsResult<items::WriteDecision> {
      return items::WriteDecision::put(value);
    };
  }
  size_t outbox_size() {
    storage::IteratorOptions options;
    options.lower_bound = outbox_begin(table_.id);
    options.upper_bound = outbox_end(table_.id);
    auto it = engine_->iterate(storage::Keyspace::kItems, options);
    size_t count = 0;
    for (it->seek_to_first(); it->valid(); it->next()) ++count;
    return count;
  }

  static constexpr const char* kArn = "arn:aws:kinesis:eu-west-1:000000000000:stream/s";
  std::unique_ptr<storage::Engine> engine_ = storage::make_memory_engine();
  TableCatalog tables_{*engine_};
  FakeSink sink_{*engine_};
  Delivery delivery_{*engine_, tables_, sink_};
  Outbox outbox_{*engine_, delivery_};
  items::WritePath path_{*engine_, false, &outbox_};
  Table table_;
};

TEST_F(OutboxTest, EntriesCommitWithTheItemAndAreDeliveredOnceInOrder) {
  const Item v1 = item({{"pk", s("a")}, {"sk", n("1")}, {"v", n("1")}});
  const Item v2 = item({{"pk", s("a")}, {"sk", n("1")}, {"v", n("2")}});
  put(v1);
  put(v1);  // a no-op: nothing
  put(v2);
  remove(key_of(v2));
  remove(key_of(v2));  // nothing to delete: nothing
  // Not started yet: the entries wait in the outbox (as after a crash).
  EXPECT_EQ(outbox_size(), 3u);
  delivery_.start();
  auto records = sink_.wait_for(3);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_NE(records[0].data.find(R"("eventName":"INSERT")"), std::string::npos);
  EXPECT_NE(records[1].data.find(R"("eventName":"MODIFY")"), std::string::npos);
  EXPECT_NE(records[2].data.find(R"("eventName":"REMOVE")"), std::string::npos);
  for (const auto& r : records) {
    EXPECT_EQ(r.arn, kArn);
    EXPECT_EQ(r.partition_key, records[0].partition_key);
  }
  EXPECT_EQ(outbox_size(), 0u);
  // Later writes wake the running job (no polling).
  put(v1);
  EXPECT_EQ(sink_.wait_for(4).size(), 4u);
  delivery_.stop();
  EXPECT_EQ(sink_.wait_for(5, std::chrono::milliseconds(300)).size(), 4u);  // nothing twice
}

// A write to a table with a destination locks its item's counter stripe (delivery resumes each
// stripe after the last sequence it delivered, which needs one stripe's entries committed in
// sequence order); a table without one gets no extra lock.
TEST_F(OutboxTest, AWriteLocksItsStripeOnlyWhenTheTableHasADestination) {
  const uint64_t hash = uint64_t{5} << 58;  // stripe 5
  std::vector<std::string> keys;
  outbox_.lock_keys(table_, hash, keys);
  EXPECT_EQ(keys, std::vector<std::string>{items::counter_stripe_key(table_.id, 5)});
  keys.clear();
  Table plain = test_table();
  outbox_.lock_keys(plain, hash, keys);
  EXPECT_TRUE(keys.empty());
}

// More changes than one append takes (500), over many stripes, some waiting before the job
// starts (as after a crash) and some written while it runs: every one is delivered once, each
// item's changes in write order, and nothing stays in the outbox.
TEST_F(OutboxTest, ManyStripesBeyondOneAppendAreDeliveredOnceInOrderPerItem) {
  constexpr int kItems = 300;
  const auto put_version = [&](int i, int version) {
    put(item(
        {{"pk", s("k" + std::to_string(i))}, {"sk", n("1")}, {"v", n(std::to_string(version))}}));
  };
  for (int version = 1; version <= 3; ++version) {
    for (int i = 0; i < kItems; ++i) put_version(i, version);
  }
  EXPECT_EQ(outbox_size(), 3u * kItems);
  delivery_.start();
  for (int i = 0; i < kItems; ++i) put_version(i, 4);
  auto records = sink_.wait_for(4 * kItems);
  ASSERT_EQ(records.size(), 4u * kItems);
  std::map<std::string, int> last_version;  // by partition key
  for (const auto& r : records) {
    const size_t at = r.data.find(R"("NewImage":)");
    ASSERT_NE(at, std::string::npos);
    const size_t v = r.data.find(R"("v":{"N":")", at);
    ASSERT_NE(v, std::string::npos);
    const int version = std::stoi(r.data.substr(v + 10));
    EXPECT_EQ(version, last_version[r.partition_key] + 1) << r.data;
    last_version[r.partition_key] = version;
  }
  EXPECT_EQ(last_version.size(), static_cast<size_t>(kItems));
  delivery_.stop();
  EXPECT_EQ(outbox_size(), 0u);
}

TEST_F(OutboxTest, NothingIsCapturedUnlessTheDestinationIsActiveOrUpdating) {
  table_.kinesis_destinations[0].pending = "ENABLING";
  table_.kinesis_destinations[0].until_ms = 4001;
  put(item({{"pk", s("a")}, {"sk", n("1")}}));
  table_.kinesis_destinations[0].status = "DISABLED";
  table_.kinesis_destinations[0].pending.clear();
  put(item({{"pk", s("a")}, {"sk", n("2")}}));
  EXPECT_EQ(outbox_size(), 0u);
  table_.kinesis_destinations[0].status = "ACTIVE";
  table_.kinesis_destinations[0].pending = "UPDATING";
  put(item({{"pk", s("a")}, {"sk", n("3")}}));
  EXPECT_EQ(outbox_size(), 1u);
}

TEST_F(OutboxTest, AFailedDeliveryIsRetriedAndLosesNothing) {
  delivery_.start();
  sink_.fail_next();
  for (int i = 0; i < 20; ++i) put(item({{"pk", s("k" + std::to_string(i))}, {"sk", n("1")}}));
  auto records = sink_.wait_for(20);
  EXPECT_EQ(records.size(), 20u);
  delivery_.stop();
  EXPECT_EQ(outbox_size(), 0u);
}

TEST_F(OutboxTest, SequencesContinuePastStoredEntriesAfterARestart) {
  const Item a = item({{"pk", s("a")}, {"sk", n("1")}, {"v", n("1")}});
  put(a);
  put(item({{"pk", s("a")}, {"sk", n("1")}, {"v", n("2")}}));
  // A new outbox over the same storage (a restart) appends after the stored entries.
  Outbox restarted{*engine_, delivery_};
  items::WritePath path{*engine_, false, &restarted};
  const Item third = item({{"pk", s("a")}, {"sk", n("1")}, {"v", n("3")}});
  ASSERT_TRUE(path.write(
      table_, key_of(third),
      [&](const std::optional<Item>&) -> aws::AwsResult<items::WriteDecision> {
        return items::WriteDecision::put(third);
      },
      4000));
  delivery_.start();
  auto records = sink_.wait_for(3);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_NE(records[0].data.find(R"("v":{"N":"1"}})"), std::string::npos);
  EXPECT_NE(records[2].data.find(R"("NewImage":{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"N":"3"}})"),
            std::string::npos)
      << records[2].data;
}

TEST_F(OutboxTest, ABacklogIsDeliveredInAppendsOfAboutFiveMebibytes) {
  const std::string megabyte(1 << 20, 'x');
  for (int i = 0; i < 8; ++i) {
    put(item({{"pk", s("k" + std::to_string(i))}, {"sk", n("1")}, {"v", s(megabyte)}}));
  }
  delivery_.start();
  EXPECT_EQ(sink_.wait_for(8).size(), 8u);
  EXPECT_GE(sink_.calls(), 2);
  delivery_.stop();
  EXPECT_EQ(outbox_size(), 0u);
}

// A change whose record is over the stream's maximum record size is skipped and counted
// (FailedToReplicateRecordCount); the records around it are delivered, nothing stays behind.
TEST_F(OutboxTest, OversizedRecordsAreSkippedAndCounted) {
  sink_.set_max_record_bytes(400);
  put(item({{"pk", s("a")}, {"sk", n("1")}}));
  put(item({{"pk", s("big")}, {"sk", n("1")}, {"v", s(std::string(500, 'x'))}}));
  put(item({{"pk", s("b")}, {"sk", n("1")}}));
  delivery_.start();
  auto records = sink_.wait_for(2);
  ASSERT_EQ(records.size(), 2u);
  delivery_.stop();
  EXPECT_EQ(outbox_size(), 0u);
  EXPECT_EQ(delivery_.failed_to_replicate(table_.id), 1u);
  const auto counts = delivery_.counts().at(table_.id);
  EXPECT_EQ(counts.replicated, 2u);
  EXPECT_EQ(counts.oversized, 1u);
  EXPECT_EQ(counts.key.name, "tbl");
}

// The Kinesis stream deleted under an ACTIVE destination: its records are dropped and counted,
// the outbox does not grow, nothing blocks, and the destination is not changed (AWS keeps it
// ACTIVE).
TEST_F(OutboxTest, RecordsForADeletedStreamAreDroppedAndCounted) {
  delivery_.start();
  put(item({{"pk", s("a")}, {"sk", n("1")}}));
  ASSERT_EQ(sink_.wait_for(1).size(), 1u);
  sink_.delete_stream(kArn);
  for (int i = 0; i < 5; ++i) put(item({{"pk", s("k" + std::to_string(i))}, {"sk", n("1")}}));
  for (int i = 0; i < 200 && delivery_.failed_to_replicate(table_.id) < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(delivery_.counts().at(table_.id).stream_gone, 5u);
  EXPECT_EQ(outbox_size(), 0u);
  EXPECT_EQ(delivery_.backlog().size(), 0u);  // the catalog knows no table here
  delivery_.stop();
}

// A purged table (DeleteTable: DynamoDbService::run_lifecycle calls forget for every table
// purge_gone removed) leaves no delivery cursors behind.
TEST_F(OutboxTest, APurgedTableLeavesNoCursorsBehind) {
  delivery_.start();
  put(item({{"pk", s("a")}, {"sk", n("1")}}));
  ASSERT_EQ(sink_.wait_for(1).size(), 1u);
  delivery_.stop();  // joined: the cursor past the delivered entry is kept
  EXPECT_EQ(delivery_.tables_with_cursors(), 1u);
  EXPECT_EQ(delivery_.counts().count(table_.id), 1u);
  storage::WriteBatch purge;  // what TableCatalog::purge_gone deletes
  purge.delete_range(storage::Keyspace::kItems, table_items_prefix(table_.id),
                     storage::prefix_successor(table_items_prefix(table_.id)));
  ASSERT_TRUE(engine_->write(purge).is_ok());
  delivery_.forget(table_.id);
  outbox_.forget(table_.id);
  EXPECT_EQ(delivery_.tables_with_cursors(), 0u);
  EXPECT_EQ(delivery_.counts().count(table_.id), 0u);  // nor its metric counts
}

// A multi-item write (a transaction, a BatchWriteItem) over two tables with destinations
// wakes the running delivery job for both: every change is delivered without another write.
TEST_F(OutboxTest, AMultiItemWriteOverTwoTablesIsDeliveredForBoth) {
  Table other = table_;
  other.id = table_.id + 1;
  other.key.name = "other";
  delivery_.start();
  const Item a = item({{"pk", s("a")}, {"sk", n("1")}});
  const Item b = item({{"pk", s("b")}, {"sk", n("1")}});
  const Item ka = key_of(a), kb = key_of(b);
  const items::ItemWrite writes[] = {
      {table_, ka, put_step(a)}, {other, ka, put_step(a)}, {table_, kb, put_step(b)}};
  ASSERT_TRUE(path_.write_items(writes, 4000));
  auto records = sink_.wait_for(3);
  ASSERT_EQ(records.size(), 3u);
  size_t in_other = 0;
  for (const auto& r : records)
    in_other += r.data.find(R"("tableName":"other")") != std::string::npos;
  EXPECT_EQ(in_other, 1u);
  delivery_.stop();
}

// The direct path (docs/kinesis-destination.md, "Appending in the item's batch"): a write of one
// item to an ACTIVE destination whose stripe has nothing in the outbox puts the Kinesis record
// in the item's own batch; no outbox entry, and the record is visible once the write returns.
TEST_F(OutboxTest, ASingleItemWriteAppendsInTheItemsOwnBatch) {
  sink_.set_direct(true);
  put(item({{"pk", s("a")}, {"sk", n("1")}, {"v", n("1")}}));
  EXPECT_EQ(outbox_size(), 0u);
  EXPECT_TRUE(sink_.stored_direct(0));
  EXPECT_EQ(sink_.published(), 1);
  ASSERT_EQ(sink_.wait_for(1, std::chrono::milliseconds(0)).size(), 1u);
  EXPECT_EQ(delivery_.counts().at(table_.id).replicated, 1u);
  EXPECT_EQ(sink_.calls(), 0);  // delivery did nothing
}

// A change must not overtake an earlier change of its item still in the outbox: while the
// item's stripe has an undelivered entry, later changes of the stripe go there too; other
// stripes stay direct; once delivery has passed the stripe's entries, it is direct again.
TEST_F(OutboxTest, AStripeWithUndeliveredEntriesKeepsUsingTheOutbox) {
  const Item v1 = item({{"pk", s("a")}, {"sk", n("1")}, {"v", n("1")}});
  const Item v2 = item({{"pk", s("a")}, {"sk", n("1")}, {"v", n("2")}});
  const Item v3 = item({{"pk", s("a")}, {"sk", n("1")}, {"v", n("3")}});
  const int stripe = items::counter_stripe(partition_key_hash(s("a")));
  std::string other_pk = "b";
  while (items::counter_stripe(partition_key_hash(s(other_pk))) == stripe) other_pk += "b";
  put(v1);  // the sink cannot take it directly: the outbox
  EXPECT_EQ(outbox_size(), 1u);
  sink_.set_direct(true);
  put(v2);  // same stripe: behind v1, in the outbox
  EXPECT_EQ(outbox_size(), 2u);
  EXPECT_EQ(sink_.published(), 0);
  put(item({{"pk", s(other_pk)}, {"sk", n("1")}}));  // another stripe: direct
  EXPECT_EQ(outbox_size(), 2u);
  EXPECT_EQ(sink_.published(), 1);
  delivery_.start();
  auto records = sink_.wait_for(3);
  delivery_.stop();  // joined: its cursors are past the entries
  ASSERT_EQ(records.size(), 3u);
  EXPECT_NE(records[1].data.find(R"("eventName":"INSERT")"), std::string::npos);
  EXPECT_NE(records[2].data.find(R"("eventName":"MODIFY")"), std::string::npos);
  EXPECT_NE(records[2].data.find(R"("v":{"N":"2"})"), std::string::npos);
  EXPECT_EQ(outbox_size(), 0u);
  put(v3);  // the stripe is delivered: direct again
  EXPECT_EQ(outbox_size(), 0u);
  EXPECT_EQ(sink_.published(), 2);
  records = sink_.wait_for(4, std::chrono::milliseconds(0));
  ASSERT_EQ(records.size(), 4u);
  EXPECT_NE(records[3].data.find(R"("v":{"N":"3"})"), std::string::npos);
}

// Not direct: a write of several items (a transaction, BatchWriteItem's group) and a destination
// that is UPDATING (its precision changing).
TEST_F(OutboxTest, MultiItemWritesAndAnUpdatingDestinationUseTheOutbox) {
  sink_.set_direct(true);
  const Item a = item({{"pk", s("a")}, {"sk", n("1")}});
  const Item b = item({{"pk", s("b")}, {"sk", n("1")}});
  const Item ka = key_of(a), kb = key_of(b);
  const items::ItemWrite writes[] = {{table_, ka, put_step(a)}, {table_, kb, put_step(b)}};
  ASSERT_TRUE(path_.write_items(writes, 4000));
  EXPECT_EQ(outbox_size(), 2u);
  table_.kinesis_destinations[0].pending = "UPDATING";
  table_.kinesis_destinations[0].until_ms = 1'000'000;
  put(item({{"pk", s("c")}, {"sk", n("1")}}));
  EXPECT_EQ(outbox_size(), 3u);
  EXPECT_EQ(sink_.published(), 0);
}

// A write that fails after its record was staged commits nothing: the staged append is
// abandoned (its shard released), and the next write goes on.
TEST_F(OutboxTest, AFailedWriteAbandonsItsDirectAppend) {
  sink_.set_direct(true);
  const Item a = item({{"pk", s("a")}, {"sk", n("1")}});
  const Item ka = key_of(a);
  const items::ItemWrite writes[] = {{table_, ka, put_step(a)}};
  items::WriteGuard failing{{}, nullptr, [](storage::WriteBatch&) {
                              return storage::Status::io_error("the guard's write failed");
                            }};
  EXPECT_FALSE(path_.write_items(writes, 4000, items::WriteOrigin::kRequest, &failing));
  EXPECT_EQ(sink_.abandoned(), 1);
  EXPECT_EQ(sink_.published(), 0);
  EXPECT_FALSE(sink_.stored_direct(0));
  std::string stored;
  EXPECT_TRUE(engine_->get(storage::Keyspace::kItems, items::base_item_key(table_, ka), &stored)
                  .is_not_found());
  put(a);
  EXPECT_EQ(sink_.published(), 1);
  EXPECT_TRUE(sink_.stored_direct(1));
}

}  // namespace
}  // namespace trib::dynamodb::destination
