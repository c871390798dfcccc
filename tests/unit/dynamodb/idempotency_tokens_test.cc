// The ClientRequestToken store (dynamodb/transactions/idempotency_tokens.h): fingerprints,
// states by the clock, persistence across a reopened engine, the sweep.
#include "dynamodb/transactions/idempotency_tokens.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "dynamodb/values/attribute_value.h"
#include "storage/engine.h"

namespace trib::dynamodb::transactions {
namespace {

aws::Value request(std::string_view table, std::string_view token,
                   aws::Value item_value = aws::Value::map().set("pk",
                                                                 aws::Value::map().set("S", "a"))) {
  aws::Value put = aws::Value::map();
  put.set("TableName", std::string(table));
  put.set("Item", std::move(item_value));
  aws::Value item = aws::Value::map();
  item.set("Put", std::move(put));
  aws::Value items = aws::Value::list();
  items.push(std::move(item));
  aws::Value out = aws::Value::map();
  out.set("ClientRequestToken", std::string(token));
  out.set("TransactItems", std::move(items));
  return out;
}

constexpr std::string_view kExcluded[] = {"ClientRequestToken"};

TEST(IdempotencyTokens, FingerprintIgnoresMemberOrderAndTheExcludedMembers) {
  const aws::Value a = request("t", "tok1");
  // Same members in another order, another token.
  aws::Value b = aws::Value::map();
  b.set("TransactItems", *a.find("TransactItems"));
  b.set("ClientRequestToken", "tok2");
  EXPECT_EQ(request_fingerprint(a, kExcluded), request_fingerprint(b, kExcluded));
  EXPECT_EQ(request_fingerprint(a, kExcluded).size(), 32u);
  EXPECT_NE(request_fingerprint(a, kExcluded),
            request_fingerprint(request("u", "tok1"), kExcluded));
  // A member more is a difference.
  b.set("ReturnConsumedCapacity", "TOTAL");
  EXPECT_NE(request_fingerprint(a, kExcluded), request_fingerprint(b, kExcluded));
  // Type matters: the string "1" is not the number 1.
  aws::Value one_string = aws::Value::map().set("x", "1");
  aws::Value one_number = aws::Value::map().set("x", 1);
  EXPECT_NE(request_fingerprint(one_string, {}), request_fingerprint(one_number, {}));
}

// An item the JSON codec's shape decoder took (aws/json_shape_decoders.h) reaches the fingerprint
// as a Fragment: it must fingerprint as the tree the generic decoding gives for it.
TEST(IdempotencyTokens, AnItemDecodedStraightFromTheJsonFingerprintsAsItsTree) {
  const aws::Value tree =
      request("t", "tok1",
              aws::Value::map()
                  .set("pk", aws::Value::map().set("S", "a"))
                  .set("n", aws::Value::map().set("N", "1.5"))
                  .set("s", aws::Value::map().set("SS", aws::Value::list().push("x").push("y"))));
  Item item;
  item.emplace_back("n", AttributeValue::number(*Number::parse("1.5")));
  item.emplace_back("pk", AttributeValue::string("a"));
  item.emplace_back("s", AttributeValue::string_set({"x", "y"}));
  const aws::Value fragment = request("t", "tok2", item_to_wire(item));
  EXPECT_EQ(request_fingerprint(tree, kExcluded), request_fingerprint(fragment, kExcluded));
  item[0].second = AttributeValue::number(*Number::parse("2"));
  EXPECT_NE(request_fingerprint(tree, kExcluded),
            request_fingerprint(request("t", "tok2", item_to_wire(item)), kExcluded));
}

TEST(IdempotencyTokens, StatesFollowTheClockAndTheFingerprint) {
  const std::string fp = request_fingerprint(request("t", "x"), kExcluded);
  const std::string other = request_fingerprint(request("u", "x"), kExcluded);
  EXPECT_EQ(token_state(false, "", fp, 0), TokenState::kNew);
  storage::WriteBatch batch;
  record_token(batch, "k", fp, 1'000'000);
  ASSERT_EQ(batch.size(), 2u);  // the record and its expiry entry
  const std::string stored = batch.ops()[0].value;
  EXPECT_EQ(token_state(true, stored, fp, 1'000'000), TokenState::kReplay);
  EXPECT_EQ(token_state(true, stored, other, 1'000'000), TokenState::kMismatch);
  // Valid for 10 minutes after completion, then new again.
  EXPECT_EQ(token_state(true, stored, fp, 1'000'000 + kTokenLifetimeMs - 1), TokenState::kReplay);
  EXPECT_EQ(token_state(true, stored, other, 1'000'000 + kTokenLifetimeMs), TokenState::kNew);
  EXPECT_EQ(token_state(true, "garbage", fp, 0), TokenState::kNew);
  // Keys are scoped by account and region.
  EXPECT_NE(token_key("111111111111", "us-east-1", "t"),
            token_key("222222222222", "us-east-1", "t"));
  EXPECT_NE(token_key("111111111111", "us-east-1", "t"),
            token_key("111111111111", "eu-west-1", "t"));
}

TEST(IdempotencyTokens, SurviveAReopenAndTheSweepDeletesOnlyExpiredOnes) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("trib-tokens-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::string fp = request_fingerprint(request("t", "x"), kExcluded);
  const std::string old_key = token_key("111111111111", "us-east-1", "old");
  const std::string new_key = token_key("111111111111", "us-east-1", "new");
  {
    storage::Status status;
    auto engine = storage::open_rocksdb_engine(dir.string(), &status);
    ASSERT_TRUE(status.is_ok()) << status.message;
    storage::WriteBatch batch;
    record_token(batch, old_key, fp, 1'000);
    record_token(batch, new_key, fp, 500'000);
    ASSERT_TRUE(engine->write(batch).is_ok());
  }
  storage::Status status;
  auto engine = storage::open_rocksdb_engine(dir.string(), &status);
  ASSERT_TRUE(status.is_ok()) << status.message;
  std::string stored;
  ASSERT_TRUE(engine->get(storage::Keyspace::kMeta, old_key, &stored).is_ok());
  EXPECT_EQ(token_state(true, stored, fp, 2'000), TokenState::kReplay);

  // At 1000 + 10 min the old token is due, the new one is not.
  const int64_t now = 1'000 + kTokenLifetimeMs;
  ASSERT_TRUE(sweep_expired_tokens(*engine, now, 10).is_ok());
  EXPECT_TRUE(engine->get(storage::Keyspace::kMeta, old_key, &stored).is_not_found());
  EXPECT_TRUE(engine->get(storage::Keyspace::kMeta, new_key, &stored).is_ok());
  // Nothing else due: the sweep finds nothing (and leaves the new token).
  ASSERT_TRUE(sweep_expired_tokens(*engine, now, 10).is_ok());
  EXPECT_TRUE(engine->get(storage::Keyspace::kMeta, new_key, &stored).is_ok());
  // A token recorded again after expiring keeps its new record when the old entry is swept.
  {
    storage::WriteBatch batch;
    record_token(batch, new_key, fp, 500'000 + kTokenLifetimeMs);  // re-used once expired
    ASSERT_TRUE(engine->write(batch).is_ok());
  }
  ASSERT_TRUE(sweep_expired_tokens(*engine, 500'000 + kTokenLifetimeMs, 10).is_ok());
  ASSERT_TRUE(engine->get(storage::Keyspace::kMeta, new_key, &stored).is_ok());
  EXPECT_EQ(token_state(true, stored, fp, 500'000 + kTokenLifetimeMs), TokenState::kReplay);
  // The limit bounds the work of one sweep.
  {
    storage::WriteBatch batch;
    for (int i = 0; i < 5; ++i) {
      record_token(batch, token_key("1", "r", "t" + std::to_string(i)), fp, 10);
    }
    ASSERT_TRUE(engine->write(batch).is_ok());
  }
  ASSERT_TRUE(sweep_expired_tokens(*engine, 10 + kTokenLifetimeMs, 2).is_ok());
  int left = 0;
  for (int i = 0; i < 5; ++i) {
    left +=
        engine->get(storage::Keyspace::kMeta, token_key("1", "r", "t" + std::to_string(i)), &stored)
            .is_ok();
  }
  EXPECT_EQ(left, 3);
  engine.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace trib::dynamodb::transactions
