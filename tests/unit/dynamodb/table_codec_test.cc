// The table document keeps what UpdateTable, the tag operations and UpdateContinuousBackups
// store: index lifecycle times, throughput history, tags in order, point-in-time recovery.
#include <gtest/gtest.h>

#include "dynamodb/tables/table.h"

namespace trib::dynamodb {
namespace {

TEST(TableCodec, RoundTripsUpdateTableAndSettingsFields) {
  Table t;
  t.id = 7;
  t.key = {"000000000000", "us-east-1", "orders"};
  t.key_schema.hash = {"pk", 'S'};
  t.attribute_definitions = {{"pk", 'S'}, {"g", 'N'}};
  t.throughput = {5, 6, 1000, 2000, 3};
  t.updating_until_ms = 9000;
  t.tags = {{"b", "2"}, {"a", ""}};
  t.pitr_enabled_ms = 1234;
  t.pitr_recovery_days = 7;
  SecondaryIndex index;
  index.name = "by-g";
  index.global = true;
  index.id = 1;
  index.key_schema.hash = {"g", 'N'};
  index.throughput = {1, 2, std::nullopt, 3000, 1};
  index.active_at_ms = 100;
  index.updating_until_ms = 200;
  index.deleting_since_ms = 300;
  index.gone_at_ms = 400;
  t.indexes.push_back(index);

  auto decoded = decode_table(encode_table(t));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->updating_until_ms, 9000);
  EXPECT_EQ(decoded->throughput.last_increase_ms, 1000);
  EXPECT_EQ(decoded->throughput.last_decrease_ms, 2000);
  EXPECT_EQ(decoded->throughput.decreases_today, 3);
  EXPECT_EQ(decoded->tags, t.tags);
  EXPECT_EQ(decoded->pitr_enabled_ms, 1234);
  EXPECT_EQ(decoded->pitr_recovery_days, 7);
  ASSERT_EQ(decoded->indexes.size(), 1u);
  const SecondaryIndex& got = decoded->indexes[0];
  EXPECT_EQ(got.updating_until_ms, 200);
  EXPECT_EQ(got.deleting_since_ms, 300);
  EXPECT_EQ(got.gone_at_ms, 400);
  EXPECT_EQ(got.throughput.last_decrease_ms, 3000);
  EXPECT_EQ(got.status_name(399), "DELETING");
  EXPECT_FALSE(got.is_gone(399));
  EXPECT_TRUE(got.is_gone(400));
}

TEST(TableCodec, IndexStatusFromStoredTimes) {
  SecondaryIndex index;
  index.active_at_ms = 100;
  index.updating_until_ms = 200;
  EXPECT_EQ(index.status_name(99), "CREATING");
  EXPECT_EQ(index.status_name(150), "UPDATING");
  EXPECT_EQ(index.status_name(200), "ACTIVE");
}

TEST(TableCodec, PointInTimeRecoveryOffByDefault) {
  Table t;
  t.key = {"000000000000", "us-east-1", "plain"};
  t.key_schema.hash = {"pk", 'S'};
  auto decoded = decode_table(encode_table(t));
  ASSERT_TRUE(decoded);
  EXPECT_FALSE(decoded->pitr_enabled_ms);
  EXPECT_EQ(decoded->pitr_recovery_days, 35);
}

}  // namespace
}  // namespace trib::dynamodb
