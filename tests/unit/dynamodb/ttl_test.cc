// Time to Live: the expiry rule (ttl/expiry.h), the stored setting and its statuses
// (tables/time_to_live.h), and the job (ttl/sweeper.h): incremental, through the write path,
// marked as the service's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dynamodb/items/counters.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/items/item_requests.h"
#include "dynamodb/items/write_path.h"
#include "dynamodb/tables/table_catalog.h"
#include "dynamodb/ttl/expiry.h"
#include "dynamodb/ttl/sweeper.h"

namespace trib::dynamodb {
namespace {

AttributeValue s(std::string v) { return AttributeValue::string(std::move(v)); }
AttributeValue n(std::string_view v) { return AttributeValue::number(Number::parse(v).value()); }

Item with_expiry(const AttributeValue& value) {
  Item out;
  put_attribute(out, "pk", s("k"));
  put_attribute(out, "exp", value);
  return out;
}

constexpr int64_t kNowMs = 1'800'000'000'500;  // 1800000000.5 s

TEST(TtlExpiry, ANumberOfSecondsInThePastExpires) {
  EXPECT_TRUE(ttl::is_expired(with_expiry(n("1799999999")), "exp", kNowMs));
  EXPECT_TRUE(ttl::is_expired(with_expiry(n("1800000000.4")), "exp", kNowMs));
  EXPECT_TRUE(ttl::is_expired(with_expiry(n("1.8e9")), "exp", kNowMs));
  // Not below the current time: not expired.
  EXPECT_FALSE(ttl::is_expired(with_expiry(n("1800000000.5")), "exp", kNowMs));
  EXPECT_FALSE(ttl::is_expired(with_expiry(n("1800000001")), "exp", kNowMs));
}

TEST(TtlExpiry, MoreThanFiveYearsInThePastNeverExpires) {
  const int64_t five_years_ago = 1'800'000'000 - ttl::kMaxExpiredAgeSeconds;
  EXPECT_TRUE(
      ttl::is_expired(with_expiry(n(std::to_string(five_years_ago) + ".5")), "exp", kNowMs));
  EXPECT_FALSE(ttl::is_expired(with_expiry(n(std::to_string(five_years_ago))), "exp", kNowMs));
  EXPECT_FALSE(ttl::is_expired(with_expiry(n("0")), "exp", kNowMs));
  EXPECT_FALSE(ttl::is_expired(with_expiry(n("-5")), "exp", kNowMs));
}

TEST(TtlExpiry, OtherTypesAndMissingAttributesNeverExpire) {
  EXPECT_FALSE(ttl::is_expired(with_expiry(s("1700000000")), "exp", kNowMs));
  EXPECT_FALSE(ttl::is_expired(
      with_expiry(AttributeValue::number_set({Number::parse("1700000000").value()})), "exp",
      kNowMs));
  EXPECT_FALSE(
      ttl::is_expired(with_expiry(AttributeValue::list({n("1700000000")})), "exp", kNowMs));
  EXPECT_FALSE(ttl::is_expired(with_expiry(n("1700000000")), "other", kNowMs));
}

TEST(TimeToLiveSetting, StatusesFollowTheClockAndTheDocumentKeepsThem) {
  TimeToLive ttl;
  EXPECT_EQ(ttl.status_name(0), "DISABLED");
  ttl.enabled = true;
  ttl.attribute_name = "exp";
  ttl.settles_at_ms = 1000;
  ttl.changed_ms = 400;
  EXPECT_EQ(ttl.status_name(999), "ENABLING");
  EXPECT_FALSE(ttl.deletes_expired(999));
  EXPECT_EQ(ttl.status_name(1000), "ENABLED");
  EXPECT_TRUE(ttl.deletes_expired(1000));
  ttl.enabled = false;
  EXPECT_EQ(ttl.status_name(999), "DISABLING");
  EXPECT_EQ(ttl.status_name(1000), "DISABLED");
  EXPECT_FALSE(ttl.description(1000).find("AttributeName"));
  EXPECT_TRUE(ttl.description(999).find("AttributeName"));

  Table t;
  t.id = 3;
  t.key = {"000000000000", "us-east-1", "sessions"};
  t.key_schema.hash = {"pk", 'S'};
  t.time_to_live = ttl;
  ContributorInsights insights;
  insights.index_name = "gsi";
  insights.enabled = true;
  insights.mode = "THROTTLED_KEYS";
  insights.last_update_ms = 5;
  insights.settles_at_ms = 6;
  insights.rules_created_ms = 7;
  t.contributor_insights = {insights};
  t.resource_policy = "{}";
  t.resource_policy_revision = "1700000000000";
  t.resource_policy_deleted_revision = "1600000000000";
  auto decoded = decode_table(encode_table(t));
  ASSERT_TRUE(decoded);
  EXPECT_FALSE(decoded->time_to_live.enabled);
  EXPECT_EQ(decoded->time_to_live.attribute_name, "exp");
  EXPECT_EQ(decoded->time_to_live.settles_at_ms, 1000);
  EXPECT_EQ(decoded->time_to_live.changed_ms, 400);
  ASSERT_EQ(decoded->contributor_insights.size(), 1u);
  EXPECT_EQ(decoded->contributor_insights[0].index_name, "gsi");
  EXPECT_EQ(decoded->contributor_insights[0].mode, "THROTTLED_KEYS");
  EXPECT_EQ(decoded->contributor_insights[0].rules_created_ms, 7);
  EXPECT_EQ(decoded->resource_policy_revision, "1700000000000");
  EXPECT_EQ(decoded->resource_policy_deleted_revision, "1600000000000");
}

// Records who made each change.
class OriginRecorder final : public items::ChangeCapture {
 public:
  storage::Status capture(const items::ItemChange& change, storage::Transaction&) override {
    if (change.kind != items::ChangeKind::kNone) changes.push_back({change.kind, change.origin});
    return storage::Status::ok();
  }
  std::vector<std::pair<items::ChangeKind, items::WriteOrigin>> changes;
};

class TtlSweeperTest : public ::testing::Test {
 protected:
  TtlSweeperTest()
      : engine_(storage::make_memory_engine()),
        catalog_(*engine_),
        sealer_(TokenSealer::generate_key()),
        context_{catalog_, *engine_, options_, sealer_, style_, &recorder_} {
    options_.ttl_items_per_tick = 10;
    options_.ttl_sweep_interval_ms = 1000;
  }

  TableCatalog::TablePtr make_table(bool ttl_enabled) {
    Table prototype;
    prototype.key = {"000000000000", "us-east-1", "t" + std::to_string(++tables_)};
    prototype.key_schema.hash = {"pk", 'S'};
    prototype.attribute_definitions = {{"pk", 'S'}};
    prototype.time_to_live.enabled = ttl_enabled;
    prototype.time_to_live.attribute_name = "exp";
    auto created = catalog_.create(prototype, 0, nullptr);
    EXPECT_TRUE(created);
    return *created;
  }

  void put(const Table& table, int i, std::string_view expires) {
    Item item;
    put_attribute(item, "pk", s("k" + std::to_string(100 + i)));
    if (!expires.empty()) put_attribute(item, "exp", n(expires));
    Item key;
    put_attribute(key, "pk", s("k" + std::to_string(100 + i)));
    const items::WritePath path{*engine_, false, nullptr};
    ASSERT_TRUE(path.write(
        table, key,
        [&](const std::optional<Item>&) -> aws::AwsResult<items::WriteDecision> {
          return items::WriteDecision::put(item);
        },
        0));
  }

  int64_t item_count(const Table& table) {
    items::CountsByIndex counts;
    EXPECT_TRUE(items::read_counts(*engine_, table.id, &counts).is_ok());
    return counts[items::kBaseTableIndexId].items;
  }

  std::unique_ptr<storage::Engine> engine_;
  TableCatalog catalog_;
  DynamoDbOptions options_;
  TokenSealer sealer_;
  aws::ValidationStyle style_;
  OriginRecorder recorder_;
  DynamoDbContext context_;
  int tables_ = 0;
};

TEST_F(TtlSweeperTest, DeletesExpiredItemsIncrementallyAsTheService) {
  auto table = make_table(true);
  // 25 items: even ones expired at 1000 s, odd ones in the future or not numbers.
  for (int i = 0; i < 25; ++i) put(*table, i, i % 2 == 0 ? "999" : (i % 3 ? "5000" : ""));
  ASSERT_EQ(item_count(*table), 25);
  ttl::Sweeper sweeper(context_);
  const int64_t now = 1'000'000;
  // Ten items examined per tick: the pass takes three ticks.
  auto first = sweeper.tick(now);
  EXPECT_EQ(first.examined, 10);
  auto second = sweeper.tick(now);
  EXPECT_EQ(second.examined, 10);
  auto third = sweeper.tick(now);
  EXPECT_EQ(third.examined, 5);
  EXPECT_EQ(first.deleted + second.deleted + third.deleted, 13);
  EXPECT_EQ(item_count(*table), 12);
  // The pass is over: nothing more until --ttl-sweep-interval-ms after it started.
  EXPECT_EQ(sweeper.tick(now + 999).examined, 0);
  EXPECT_EQ(sweeper.tick(now + 1000).examined, 10);
  // Every delete went through the write path's change capture as the service's.
  ASSERT_EQ(recorder_.changes.size(), 13u);
  for (const auto& [kind, origin] : recorder_.changes) {
    EXPECT_EQ(kind, items::ChangeKind::kRemove);
    EXPECT_EQ(origin, items::WriteOrigin::kTimeToLive);
  }
  EXPECT_EQ(sweeper.totals().deleted, 13);
}

TEST_F(TtlSweeperTest, SkipsTablesWithoutTtlAndSharesTheBudget) {
  auto off = make_table(false);
  auto on_a = make_table(true);
  auto on_b = make_table(true);
  for (int i = 0; i < 8; ++i) {
    put(*off, i, "1");
    put(*on_a, i, "1");
    put(*on_b, i, "1");
  }
  ttl::Sweeper sweeper(context_);
  const auto stats = sweeper.tick(1'000'000);
  EXPECT_EQ(stats.examined, 10);  // one budget for all tables
  sweeper.tick(1'000'000);
  EXPECT_EQ(item_count(*off), 8);
  EXPECT_EQ(item_count(*on_a), 0);
  EXPECT_EQ(item_count(*on_b), 0);
}

TEST_F(TtlSweeperTest, AnItemUpdatedSinceTheScanIsKept) {
  auto table = make_table(true);
  put(*table, 1, "999");  // expired at 1000 s
  Item key;
  put_attribute(key, "pk", s("k101"));
  // The job read it as expired; before its delete, a writer gives it a later expiry.
  put(*table, 1, "5000");
  const items::WritePath path = items::write_path(context_);
  EXPECT_FALSE(ttl::delete_if_expired(path, *table, key, 1'000'000));
  EXPECT_EQ(item_count(*table), 1);
  EXPECT_TRUE(recorder_.changes.empty());
  // Without the later expiry it goes.
  put(*table, 1, "999");
  EXPECT_TRUE(ttl::delete_if_expired(path, *table, key, 1'000'000));
  EXPECT_EQ(item_count(*table), 0);
}

TEST_F(TtlSweeperTest, NothingWhileEnabling) {
  Table prototype;
  prototype.key = {"000000000000", "us-east-1", "enabling"};
  prototype.key_schema.hash = {"pk", 'S'};
  prototype.time_to_live.enabled = true;
  prototype.time_to_live.attribute_name = "exp";
  prototype.time_to_live.settles_at_ms = 2'000'000;
  auto table = *catalog_.create(prototype, 0, nullptr);
  put(*table, 1, "1");
  ttl::Sweeper sweeper(context_);
  EXPECT_EQ(sweeper.tick(1'999'999).examined, 0);
  EXPECT_EQ(item_count(*table), 1);
  EXPECT_EQ(sweeper.tick(2'000'000).deleted, 1);
}

}  // namespace
}  // namespace trib::dynamodb
