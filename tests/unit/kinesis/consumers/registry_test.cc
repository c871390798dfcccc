// Enhanced fan-out consumers: ARNs, the stored form, the registry (registration rules, states,
// persistence, purging). The continuation numbers SubscribeToShard hands out are tested with the
// record log's sequence numbers (tests/unit/streams/sequence_number_test.cc).
#include "kinesis/consumers/registry.h"

#include <gtest/gtest.h>

#include "kinesis/consumers/subscriptions.h"
#include "storage/engine.h"

namespace trib::kinesis {
namespace {

Consumer make_consumer(uint64_t stream_id, std::string name, int64_t created_ms) {
  Consumer c;
  c.stream_id = stream_id;
  c.stream = StreamKey{"123456789012", "eu-west-1", "orders"};
  c.name = std::move(name);
  c.created_ms = created_ms;
  c.active_at_ms = created_ms + 500;
  return c;
}

ConsumerRegistry::Admission admit_all() {
  return
      [](const std::vector<ConsumerRegistry::ConsumerPtr>&) -> aws::AwsResult<Ok> { return Ok{}; };
}

TEST(ConsumerArn, FormatAndParse) {
  const Consumer c = make_consumer(7, "reader.1_a-b", 1700000123456);
  EXPECT_EQ(
      c.arn(),
      "arn:aws:kinesis:eu-west-1:123456789012:stream/orders/consumer/reader.1_a-b:1700000123");
  auto parsed = parse_consumer_arn(c.arn());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->stream, c.stream);
  EXPECT_EQ(parsed->consumer_name, "reader.1_a-b");
  EXPECT_EQ(parsed->created_seconds, 1700000123);
  // Other partitions are fine.
  EXPECT_TRUE(
      parse_consumer_arn("arn:aws-cn:kinesis:cn-north-1:123456789012:stream/s/consumer/c:1"));
}

TEST(ConsumerArn, RejectsOtherShapes) {
  for (const char* arn : {
           "arn:aws:kinesis:eu-west-1:123456789012:stream/orders",
           "arn:aws:kinesis:eu-west-1:123456789012:stream/orders/consumer/c",
           "arn:aws:kinesis:eu-west-1:123456789012:stream/orders/consumer/c:",
           "arn:aws:kinesis:eu-west-1:123456789012:stream/orders/consumer/c:12x",
           "arn:aws:kinesis:eu-west-1:12345:stream/orders/consumer/c:1",
           "arn:aws:sqs:eu-west-1:123456789012:stream/orders/consumer/c:1",
           "arn:aws:kinesis:eu-west-1:123456789012:stream//consumer/c:1",
           "arn:aws:kinesis:eu-west-1:123456789012:stream/a/b/consumer/c:1",
           "arn:aws:kinesis:eu-west-1:123456789012:stream/orders/consumer/c/d:1",
           "arn:aws:kinesis:eu-west-1:123456789012:stream/orders/shard/c:1",
           "not an arn",
       }) {
    EXPECT_FALSE(parse_consumer_arn(arn)) << arn;
  }
}

TEST(Consumer, StatusFromStoredTimes) {
  Consumer c = make_consumer(1, "c", 1000);
  EXPECT_EQ(c.status(1000), ConsumerStatus::kCreating);
  EXPECT_EQ(c.status(1499), ConsumerStatus::kCreating);
  EXPECT_EQ(c.status(1500), ConsumerStatus::kActive);
  c.deleting_since_ms = 2000;
  c.gone_at_ms = 2500;
  EXPECT_EQ(c.status(2000), ConsumerStatus::kDeleting);
  EXPECT_FALSE(c.is_gone(2499));
  EXPECT_TRUE(c.is_gone(2500));
  EXPECT_STREQ(consumer_status_name(ConsumerStatus::kDeleting), "DELETING");
}

TEST(Consumer, StoredFormRoundTrips) {
  Consumer c = make_consumer(42, "c", 1700000000123);
  c.deleting_since_ms = 1700000001000;
  c.gone_at_ms = 1700000002000;
  c.tags = {{"team", "a"}, {"ü", ""}};
  c.resource_policy = R"({"Version":"2012-10-17"})";
  const std::string bytes = encode_consumer(c);
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes[0], '\x01');
  auto back = decode_consumer(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->stream_id, 42u);
  EXPECT_EQ(back->stream, c.stream);
  EXPECT_EQ(back->name, "c");
  EXPECT_EQ(back->created_ms, c.created_ms);
  EXPECT_EQ(back->active_at_ms, c.active_at_ms);
  EXPECT_EQ(back->deleting_since_ms, c.deleting_since_ms);
  EXPECT_EQ(back->gone_at_ms, c.gone_at_ms);
  EXPECT_EQ(back->tags, c.tags);
  EXPECT_EQ(back->resource_policy, c.resource_policy);
  // A live consumer stores no end.
  auto live = decode_consumer(encode_consumer(make_consumer(1, "x", 5)));
  ASSERT_TRUE(live);
  EXPECT_FALSE(live->deleting_since_ms);
  EXPECT_FALSE(live->is_gone(std::numeric_limits<int64_t>::max() - 1));
  EXPECT_FALSE(decode_consumer(""));
  EXPECT_FALSE(decode_consumer(std::string("\x02{}", 3)));
  EXPECT_FALSE(decode_consumer(std::string("\x01{", 2)));
}

// The stored form is a contract with existing data directories: a document as written before
// is read back whole and written again byte for byte; one missing a required member is refused.
TEST(Consumer, AnExistingDocumentReadsBackAndIsWrittenUnchanged) {
  const std::string stored =
      "\x01"
      R"({"stream_id":42,"account":"123456789012","region":"eu-west-1","stream":"orders",)"
      R"("name":"c","created_ms":1700000000123,"active_at_ms":1700000000623,)"
      R"("deleting_since_ms":1700000001000,"gone_at_ms":1700000002000,"tags":[["team","a"]],)"
      R"("resource_policy":"{\"Version\":\"2012-10-17\"}"})";
  auto c = decode_consumer(stored);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->stream_id, 42u);
  EXPECT_EQ(c->stream, (StreamKey{"123456789012", "eu-west-1", "orders"}));
  EXPECT_EQ(c->name, "c");
  EXPECT_EQ(c->created_ms, 1700000000123);
  EXPECT_EQ(c->active_at_ms, 1700000000623);
  EXPECT_EQ(c->deleting_since_ms, 1700000001000);
  EXPECT_EQ(c->gone_at_ms, 1700000002000);
  EXPECT_EQ(c->tags, (std::vector<std::pair<std::string, std::string>>{{"team", "a"}}));
  EXPECT_EQ(c->resource_policy, R"({"Version":"2012-10-17"})");
  EXPECT_EQ(encode_consumer(*c), stored);
  std::string missing = stored;
  missing.erase(missing.find(R"("name":"c",)"), std::string_view(R"("name":"c",)").size());
  EXPECT_FALSE(decode_consumer(missing));
}

TEST(ConsumerStorage, KeysGroupByStreamIncarnation) {
  EXPECT_EQ(consumer_storage_key(1, "c"), std::string("F\0\0\0\0\0\0\0\x01\x01"
                                                      "c",
                                                      11));
  EXPECT_LT(consumer_storage_key(1, "zzz"), consumer_storage_key(2, "a"));
}

TEST(ConsumerRegistry, RegisterFindListAndAdmission) {
  auto engine = storage::make_memory_engine();
  ConsumerRegistry registry(*engine);
  ASSERT_TRUE(registry.load().is_ok());
  ASSERT_TRUE(registry.register_consumer(make_consumer(1, "b", 2000), 2000, admit_all()));
  ASSERT_TRUE(registry.register_consumer(make_consumer(1, "a", 3000), 3000, admit_all()));
  ASSERT_TRUE(registry.register_consumer(make_consumer(2, "a", 3000), 3000, admit_all()));
  // Registration order, not name order; per stream incarnation.
  auto listed = registry.list(1, 4000);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]->name, "b");
  EXPECT_EQ(listed[1]->name, "a");
  EXPECT_EQ(registry.count(2, 4000), 1u);
  EXPECT_EQ(registry.count(3, 4000), 0u);
  EXPECT_TRUE(registry.find(1, "a", 4000));
  EXPECT_FALSE(registry.find(1, "c", 4000));

  // The admission sees the stream's consumers and can refuse.
  size_t seen = 0;
  auto refused = registry.register_consumer(
      make_consumer(1, "c", 5000), 5000,
      [&](const std::vector<ConsumerRegistry::ConsumerPtr>& existing) -> aws::AwsResult<Ok> {
        seen = existing.size();
        return aws::fail(aws::AwsError::client("LimitExceededException", "no"));
      });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().type, "LimitExceededException");
  EXPECT_EQ(seen, 2u);
  EXPECT_FALSE(registry.find(1, "c", 5000));
}

TEST(ConsumerRegistry, UpdateDeregisterAndPurge) {
  auto engine = storage::make_memory_engine();
  ConsumerRegistry registry(*engine);
  ASSERT_TRUE(registry.register_consumer(make_consumer(1, "a", 1000), 1000, admit_all()));
  ASSERT_TRUE(registry.register_consumer(make_consumer(1, "b", 1000), 1000, admit_all()));
  ASSERT_TRUE(registry.register_consumer(make_consumer(9, "c", 1000), 1000, admit_all()));
  auto updated = registry.update(1, "a", 2000, [](Consumer& c) -> aws::AwsResult<Ok> {
    c.deleting_since_ms = 2000;
    c.gone_at_ms = 3000;
    return Ok{};
  });
  ASSERT_TRUE(updated);
  EXPECT_EQ((*updated)->status(2500), ConsumerStatus::kDeleting);
  // Gone consumers are invisible at once, before the lifecycle deletes them.
  EXPECT_FALSE(registry.find(1, "a", 3000));
  EXPECT_EQ(registry.count(1, 3000), 1u);

  // Deregistering a whole stream (DeleteStream with EnforceConsumerDeletion).
  auto frozen = registry.while_frozen([&]() -> aws::AwsResult<Ok> {
    EXPECT_TRUE(registry.deregister_all_locked(9, 4000, 4500).is_ok());
    return Ok{};
  });
  ASSERT_TRUE(frozen);
  EXPECT_EQ(registry.find(9, "c", 4000)->status(4000), ConsumerStatus::kDeleting);

  // Purge: finished deregistrations, and every consumer of a stream that is gone.
  const size_t purged =
      registry.purge(3000, [](const Consumer& c) { return c.stream_id != 9; });  // stream 9 is gone
  EXPECT_EQ(purged, 2u);  // "a" (finished) and "c" (its stream)
  EXPECT_EQ(registry.count(1, 3000), 1u);
  EXPECT_EQ(registry.count(9, 3000), 0u);

  // Storage agrees: a fresh registry on the same engine sees only "b".
  ConsumerRegistry reloaded(*engine);
  ASSERT_TRUE(reloaded.load().is_ok());
  auto listed = reloaded.list(1, 3000);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]->name, "b");
  EXPECT_EQ(listed[0]->arn(), registry.find(1, "b", 3000)->arn());
  EXPECT_EQ(reloaded.count(9, 0), 0u);
}

TEST(ConsumerRegistry, PersistsEveryChange) {
  auto engine = storage::make_memory_engine();
  {
    ConsumerRegistry registry(*engine);
    Consumer c = make_consumer(3, "kept", 1000);
    c.tags = {{"k", "v"}};
    ASSERT_TRUE(registry.register_consumer(c, 1000, admit_all()));
    ASSERT_TRUE(registry.update(3, "kept", 1200, [](Consumer& x) -> aws::AwsResult<Ok> {
      x.resource_policy = "{}";
      return Ok{};
    }));
  }
  ConsumerRegistry reloaded(*engine);
  ASSERT_TRUE(reloaded.load().is_ok());
  auto c = reloaded.find(3, "kept", 1200);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->tags, (std::vector<std::pair<std::string, std::string>>{{"k", "v"}}));
  EXPECT_EQ(c->resource_policy, "{}");
  EXPECT_EQ(c->status(1499), ConsumerStatus::kCreating);
  EXPECT_EQ(c->status(1500), ConsumerStatus::kActive);
}

}  // namespace
}  // namespace trib::kinesis
