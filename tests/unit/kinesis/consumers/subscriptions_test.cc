// SubscribeToShard's delivery hub against a fake transport: the initial response, records
// pushed by the append itself, the takeover rule, cancellation and stopping.
#include "kinesis/consumers/subscriptions.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "aws/eventstream.h"
#include "kinesis/consumers/registry.h"
#include "kinesis/stream_catalog.h"
#include "storage/engine.h"
#include "streams/hash_range.h"
#include "streams/record_log.h"

namespace trib::kinesis {
namespace {

using namespace std::chrono_literals;

// The transport's side, recording what the producer writes.
class FakeWriter final : public aws::BodyWriter {
 public:
  bool write(std::string chunk) override {
    std::lock_guard lock(mutex_);
    if (finished_ || aborted_) return false;
    bytes_ += chunk;
    changed_.notify_all();
    return true;
  }
  void finish() override {
    std::lock_guard lock(mutex_);
    finished_ = true;
    changed_.notify_all();
  }
  void abort() override {
    std::lock_guard lock(mutex_);
    aborted_ = true;
    changed_.notify_all();
  }
  size_t buffered_bytes() const override { return 0; }

  // The frames written so far (waits until at least `count`, or fails after 5 s).
  std::vector<aws::eventstream::Message> frames(size_t count) {
    std::unique_lock lock(mutex_);
    std::vector<aws::eventstream::Message> out;
    changed_.wait_for(lock, 5s, [&] {
      out = decode_locked();
      return out.size() >= count;
    });
    return out;
  }
  bool wait_finished() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 5s, [&] { return finished_; });
  }
  bool finished() {
    std::lock_guard lock(mutex_);
    return finished_;
  }

 private:
  std::vector<aws::eventstream::Message> decode_locked() const {
    std::vector<aws::eventstream::Message> out;
    std::string_view rest = bytes_;
    size_t consumed = 0;
    while (auto message = aws::eventstream::decode(rest, &consumed)) {
      out.push_back(std::move(*message));
      rest.remove_prefix(consumed);
    }
    return out;
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::string bytes_;
  bool finished_ = false;
  bool aborted_ = false;
};

class SubscriptionHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    now_ = std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
    Stream prototype;
    prototype.key = StreamKey{"000000000000", "us-east-1", "s"};
    prototype.created_ms = now_;
    prototype.active_at_ms = now_;
    Shard shard;
    shard.index = 0;
    shard.hash_range = streams::split_hash_space(1)[0];
    shard.created_ms = now_;
    prototype.shards.push_back(shard);
    auto created = catalog_.create(std::move(prototype), now_,
                                   [](const StreamCatalog&) -> aws::AwsResult<Ok> { return Ok{}; });
    ASSERT_TRUE(created);
    stream_ = *created;
    Consumer consumer;
    consumer.stream_id = stream_->id;
    consumer.stream = stream_->key;
    consumer.name = "reader";
    consumer.created_ms = now_;
    consumer.active_at_ms = now_;
    auto registered = consumers_.register_consumer(
        consumer, now_,
        [](const std::vector<ConsumerRegistry::ConsumerPtr>&) -> aws::AwsResult<Ok> {
          return Ok{};
        });
    ASSERT_TRUE(registered);
    consumer_ = *registered;
  }

  aws::AwsResult<std::shared_ptr<aws::StreamingBody>> subscribe(int64_t at_ms) {
    aws::RequestContext request{"000000000000", "us-east-1", "id", at_ms, nullptr, ""};
    SubscriptionHub::Target target;
    target.stream = stream_;
    target.consumer = consumer_;
    target.shard_index = 0;
    target.position = records_.next_position({stream_->id, 0});
    target.content_type = "application/x-amz-json-1.1";
    return hub_.subscribe(request, target);
  }

  void append(std::string_view data) {
    streams::AppendRequest request{0, "pk", data};
    std::vector<streams::Appended> out;
    ASSERT_TRUE(records_.append(stream_->id, std::span(&request, 1), now_, false, &out).is_ok());
  }

  static std::string event_json(const aws::eventstream::Message& m) { return m.payload; }

  int64_t now_ = 0;
  std::unique_ptr<storage::Engine> engine_ = storage::make_memory_engine();
  StreamCatalog catalog_{*engine_};
  streams::RecordLog records_{*engine_};
  ConsumerRegistry consumers_{*engine_};
  SubscriptionHub hub_{catalog_, consumers_, records_};
  StreamCatalog::StreamPtr stream_;
  ConsumerRegistry::ConsumerPtr consumer_;
};

TEST_F(SubscriptionHubTest, InitialResponseThenPushedRecords) {
  auto body = subscribe(now_);
  ASSERT_TRUE(body);
  auto writer = std::make_shared<FakeWriter>();
  (*body)->start(writer);
  auto frames = writer->frames(2);
  ASSERT_GE(frames.size(), 2u);
  EXPECT_EQ(*frames[0].header(":event-type"), "initial-response");
  EXPECT_EQ(*frames[0].header(":message-type"), "event");
  EXPECT_EQ(frames[0].payload, "{}");
  EXPECT_EQ(*frames[1].header(":event-type"), "SubscribeToShardEvent");
  EXPECT_EQ(*frames[1].header(":content-type"), "application/x-amz-json-1.1");
  EXPECT_NE(frames[1].payload.find("\"Records\":[]"), std::string::npos) << frames[1].payload;
  EXPECT_EQ(hub_.open_count(), 1u);

  append("hello");
  frames = writer->frames(3);
  ASSERT_GE(frames.size(), 3u);
  simdjson::dom::parser parser;
  simdjson::dom::element event;
  ASSERT_FALSE(parser.parse(frames[2].payload).get(event)) << frames[2].payload;
  simdjson::dom::array records;
  ASSERT_FALSE(event["Records"].get(records));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(std::string_view(records.at(0)["Data"]), "aGVsbG8=");
  EXPECT_EQ(std::string_view(records.at(0)["SequenceNumber"]),
            std::string_view(event["ContinuationSequenceNumber"]));
  EXPECT_EQ(int64_t(event["MillisBehindLatest"]), 0);

  (*body)->cancel();
  append("after cancel");
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(writer->frames(3).size(), 3u);
  EXPECT_EQ(hub_.open_count(), 0u);
}

TEST_F(SubscriptionHubTest, TakeoverRule) {
  auto first = subscribe(now_);
  ASSERT_TRUE(first);
  auto first_writer = std::make_shared<FakeWriter>();
  (*first)->start(first_writer);
  first_writer->frames(2);

  auto refused = subscribe(now_ + kSubscriptionTakeoverMs - 1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().type, "ResourceInUseException");
  EXPECT_EQ(refused.error().message,
            "Another active subscription exists for this consumer: "
            "000000000000:s:shardId-000000000000:reader");

  auto second = subscribe(now_ + kSubscriptionTakeoverMs);
  ASSERT_TRUE(second);
  ASSERT_TRUE(first_writer->wait_finished());
  auto frames = first_writer->frames(3);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(*frames[2].header(":message-type"), "exception");
  EXPECT_EQ(*frames[2].header(":exception-type"), "ResourceInUseException");
  EXPECT_NE(frames[2].payload.find("took over"), std::string::npos);

  auto second_writer = std::make_shared<FakeWriter>();
  (*second)->start(second_writer);
  second_writer->frames(2);
  append("for the second");
  EXPECT_EQ(second_writer->frames(3).size(), 3u);
}

TEST_F(SubscriptionHubTest, StopEndsOpenSubscriptions) {
  auto body = subscribe(now_);
  ASSERT_TRUE(body);
  auto writer = std::make_shared<FakeWriter>();
  (*body)->start(writer);
  writer->frames(2);
  hub_.stop();
  EXPECT_TRUE(writer->finished());
  EXPECT_EQ(hub_.open_count(), 0u);
  EXPECT_FALSE(subscribe(now_ + 60'000));  // a stopped hub takes no subscription
}

TEST_F(SubscriptionHubTest, DeregisteredConsumerEndsWithAnException) {
  auto body = subscribe(now_);
  ASSERT_TRUE(body);
  auto writer = std::make_shared<FakeWriter>();
  (*body)->start(writer);
  writer->frames(2);
  ASSERT_TRUE(
      consumers_.update(stream_->id, "reader", now_, [&](Consumer& c) -> aws::AwsResult<Ok> {
        c.deleting_since_ms = now_;
        c.gone_at_ms = now_ + 60'000;
        return Ok{};
      }));
  append("wakes the subscription");  // the next delivery sees the consumer is DELETING
  ASSERT_TRUE(writer->wait_finished());
  auto frames = writer->frames(3);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(*frames[2].header(":exception-type"), "ResourceNotFoundException");
}

}  // namespace
}  // namespace trib::kinesis
