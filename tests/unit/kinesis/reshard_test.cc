// UpdateShardCount's plan (streams/reshard.h): for many start and target counts, the open
// shards afterwards are the target's even ranges, every shard has at most two parents whose
// ranges it lies in (or exactly joins), every closed shard's range is covered by its children,
// and shard indexes are new and unique.
// A pending reshard (StreamCatalog): invisible until its time, then applied exactly once by
// the first access at or after it — also by a catalog loaded after a restart — with the
// parents closed in the record log.
#include "kinesis/reshard.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "kinesis/stream_catalog.h"
#include "pending_split.h"
#include "storage/engine.h"
#include "streams/record_log.h"

namespace trib::kinesis {
namespace {

Stream stream_with_shards(uint32_t count) {
  Stream stream;
  stream.id = 1;
  uint32_t index = 0;
  for (const auto& range : streams::split_hash_space(count)) {
    Shard shard;
    shard.index = index++;
    shard.hash_range = range;
    stream.shards.push_back(shard);
  }
  return stream;
}

// Applies a plan as the catalog does when its UPDATING period ends.
void apply(Stream& stream, const ReshardPlan& plan, int64_t now) {
  for (uint32_t index : plan.closing) {
    const Shard* shard = stream.find_shard(index);
    ASSERT_TRUE(shard && shard->is_open()) << "closing a missing or closed shard " << index;
  }
  stream.pending_reshard = PendingReshard{now, plan};
  stream.apply_pending_reshard(now);
  ASSERT_FALSE(stream.pending_reshard);
}

void expect_consistent_lineage(const Stream& stream) {
  std::set<uint32_t> indexes;
  std::map<uint32_t, std::vector<const Shard*>> children;
  for (const auto& shard : stream.shards) {
    EXPECT_TRUE(indexes.insert(shard.index).second) << "index reused: " << shard.index;
    for (auto parent : {shard.parent_index, shard.adjacent_parent_index}) {
      if (parent) children[*parent].push_back(&shard);
    }
  }
  for (const auto& shard : stream.shards) {
    const auto& range = shard.hash_range;
    if (shard.parent_index && shard.adjacent_parent_index) {
      const auto& a = stream.find_shard(*shard.parent_index)->hash_range;
      const auto& b = stream.find_shard(*shard.adjacent_parent_index)->hash_range;
      EXPECT_EQ(a.ending_hash_key + 1, b.starting_hash_key);
      EXPECT_EQ(range.starting_hash_key, a.starting_hash_key);
      EXPECT_EQ(range.ending_hash_key, b.ending_hash_key);
    } else if (shard.parent_index) {
      const auto& parent = stream.find_shard(*shard.parent_index)->hash_range;
      EXPECT_GE(range.starting_hash_key, parent.starting_hash_key);
      EXPECT_LE(range.ending_hash_key, parent.ending_hash_key);
    }
    if (shard.is_open()) {
      EXPECT_TRUE(children[shard.index].empty());
      continue;
    }
    auto& kids = children[shard.index];
    ASSERT_FALSE(kids.empty()) << "closed shard without children: " << shard.index;
    std::sort(kids.begin(), kids.end(), [](const Shard* x, const Shard* y) {
      return x->hash_range.starting_hash_key < y->hash_range.starting_hash_key;
    });
    EXPECT_LE(kids.front()->hash_range.starting_hash_key, range.starting_hash_key);
    EXPECT_GE(kids.back()->hash_range.ending_hash_key, range.ending_hash_key);
    for (size_t i = 1; i < kids.size(); ++i) {
      EXPECT_EQ(kids[i - 1]->hash_range.ending_hash_key + 1, kids[i]->hash_range.starting_hash_key);
    }
  }
}

TEST(UniformScalingPlan, EndsWithEvenRangesAndSoundLineage) {
  for (uint32_t start = 1; start <= 12; ++start) {
    for (uint32_t target = (start + 1) / 2; target <= 2 * start; ++target) {
      SCOPED_TRACE(std::to_string(start) + " -> " + std::to_string(target));
      Stream stream = stream_with_shards(start);
      apply(stream,
            streams::plan_uniform_scaling(stream.shards, stream.next_shard_index(), target, 1000),
            1000);
      std::vector<streams::HashKeyRange> open;
      for (const auto& shard : stream.shards) {
        if (shard.is_open()) open.push_back(shard.hash_range);
      }
      std::sort(open.begin(), open.end(), [](const auto& x, const auto& y) {
        return x.starting_hash_key < y.starting_hash_key;
      });
      const auto expected = streams::split_hash_space(target);
      ASSERT_EQ(open.size(), expected.size());
      for (size_t i = 0; i < open.size(); ++i) {
        EXPECT_EQ(open[i].starting_hash_key, expected[i].starting_hash_key);
        EXPECT_EQ(open[i].ending_hash_key, expected[i].ending_hash_key);
      }
      expect_consistent_lineage(stream);
    }
  }
}

TEST(UniformScalingPlan, RepeatedScalingKeepsLineageSound) {
  Stream stream = stream_with_shards(3);
  int64_t now = 1000;
  for (uint32_t target : {5u, 7u, 4u, 8u, 5u, 3u, 6u}) {
    apply(stream,
          streams::plan_uniform_scaling(stream.shards, stream.next_shard_index(), target, now),
          now);
    now += 1000;
    EXPECT_EQ(stream.open_shard_count(), target);
  }
  expect_consistent_lineage(stream);
}

TEST(UniformScalingPlan, SameCountChangesNothing) {
  Stream stream = stream_with_shards(4);
  const auto plan =
      streams::plan_uniform_scaling(stream.shards, stream.next_shard_index(), 4, 1000);
  EXPECT_TRUE(plan.closing.empty());
  EXPECT_TRUE(plan.added.empty());
}

class PendingReshardTest : public ::testing::Test {
 protected:
  static constexpr int64_t kNow = 1'700'000'000'000;
  static constexpr int64_t kAt = kNow + 60'000;

  void SetUp() override {
    Stream prototype = stream_with_shards(1);
    prototype.key = StreamKey{"000000000000", "us-east-1", "s"};
    prototype.created_ms = kNow;
    prototype.active_at_ms = kNow;
    auto created = catalog_.create(std::move(prototype), kNow, nullptr);
    ASSERT_TRUE(created);
    key_ = created.value()->key;
    // SplitShard of shard 0 with a 60 s UPDATING period, as apply_reshard stores it.
    testing::store_split_of_shard_0(catalog_, key_, kNow, kAt);
  }

  storage::Status append_to_shard_0() {
    streams::AppendRequest request{0, "pk", "data"};
    std::vector<streams::Appended> out;
    return records_.append(id(), std::span(&request, 1), kNow, false, &out);
  }
  uint64_t id() { return catalog_.find(key_, kNow)->id; }

  std::unique_ptr<storage::Engine> engine_ = storage::make_memory_engine();
  streams::RecordLog records_{*engine_};
  StreamCatalog catalog_{*engine_, &records_};
  StreamKey key_;
};

TEST_F(PendingReshardTest, OldShardsUntilItsTimeThenAppliedOnce) {
  auto before = catalog_.find(key_, kAt - 1);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status(kAt - 1), StreamStatus::kUpdating);
  ASSERT_EQ(before->shards.size(), 1u);
  EXPECT_TRUE(before->shards[0].is_open());
  EXPECT_EQ(before->open_shard_count(), 1);
  EXPECT_EQ(before->open_shard_count_after_reshard(), 2);
  EXPECT_EQ(before->next_shard_index(), 3u);  // pending shards keep their indexes
  EXPECT_TRUE(append_to_shard_0().is_ok());   // the parent still takes records

  auto after = catalog_.find(key_, kAt);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status(kAt), StreamStatus::kActive);
  EXPECT_FALSE(after->pending_reshard);
  ASSERT_EQ(after->shards.size(), 3u);
  EXPECT_EQ(after->shards[0].closed_ms, kAt);
  EXPECT_EQ(after->shards[1].created_ms, kAt);
  EXPECT_EQ(after->shards[2].parent_index, 0u);
  EXPECT_TRUE(append_to_shard_0().is_aborted());  // closed in the record log

  // Later accesses and lifecycle ticks change nothing more.
  catalog_.settle_due(kAt + 5000);
  auto later = catalog_.find(key_, kAt + 10'000);
  EXPECT_EQ(later, after);
}

TEST_F(PendingReshardTest, SurvivesARestartAndCompletesAfterIt) {
  const std::string stored = encode_stream(*catalog_.find(key_, kNow));
  auto decoded = decode_stream(stored);
  ASSERT_TRUE(decoded && decoded->pending_reshard);
  EXPECT_EQ(decoded->pending_reshard->at_ms, kAt);
  EXPECT_EQ(decoded->pending_reshard->plan.closing, std::vector<uint32_t>{0});
  ASSERT_EQ(decoded->pending_reshard->plan.added.size(), 2u);
  EXPECT_EQ(decoded->pending_reshard->plan.added[1].hash_range.ending_hash_key,
            streams::kMaxHashKey);

  // A restart during UPDATING: a new catalog on the same storage finishes the reshard on its
  // first lifecycle tick at or after the time.
  streams::RecordLog records{*engine_};
  StreamCatalog restarted{*engine_, &records};
  ASSERT_TRUE(restarted.load().is_ok());
  restarted.settle_due(kAt - 1);
  EXPECT_EQ(restarted.find(key_, kAt - 1)->shards.size(), 1u);
  restarted.settle_due(kAt + 250);
  StreamCatalog again{*engine_};
  ASSERT_TRUE(again.load().is_ok());
  auto settled = again.find(key_, kAt + 250);
  ASSERT_TRUE(settled);
  EXPECT_FALSE(settled->pending_reshard);
  ASSERT_EQ(settled->shards.size(), 3u);
  EXPECT_EQ(settled->shards[0].closed_ms, kAt + 250);
}

// The stored form is a contract with existing data directories (docs/storage-encoding.md): a
// document as written before is read back whole, and written again byte for byte.
TEST(StoredStream, AnExistingDocumentReadsBackAndIsWrittenUnchanged) {
  const std::string json =
      R"({"id":7,"account":"000000000000","region":"us-east-1","name":"orders",)"
      R"("mode":"PROVISIONED","created_ms":1795332410934,"active_at_ms":1795332411434,)"
      R"("deleting_since_ms":1795332419000,"gone_at_ms":9223372036854775807,)"
      R"("retention_hours":48,"expired_before_ms":1795332400000,"encryption_type":"KMS",)"
      R"("key_id":"alias/aws/kinesis","shard_level_metrics":["IncomingBytes"],)"
      R"("max_record_size_kib":2048,"updating_until_ms":1795332471434,)"
      R"("warm_throughput_mibps":100,"previous_warm_throughput_mibps":50,)"
      R"("resource_policy":"{\"Version\":\"2012-10-17\"}","tags":[["team","a"],["ü",""]],)"
      R"("shard_count_updates_ms":[1795332411000],)"
      R"("shards":[{"index":0,"start":"0","end":"170141183460469231731687303715884105727",)"
      R"("created_ms":1795332410934,"closed_ms":1795332415000},)"
      R"({"index":1,"start":"170141183460469231731687303715884105728",)"
      R"("end":"340282366920938463463374607431768211455","created_ms":1795332410934},)"
      R"({"index":2,"start":"0","end":"85070591730234615865843651857942052863",)"
      R"("created_ms":1795332415000,"parent":0}],)"
      R"("pending_reshard":{"at_ms":1795332471434,"closing":[1],)"
      R"("added":[{"index":3,"start":"170141183460469231731687303715884105728",)"
      R"("end":"340282366920938463463374607431768211455","created_ms":1795332471434,)"
      R"("parent":1,"adjacent_parent":2}]}})";
  const std::string stored = "\x01" + json;
  auto s = decode_stream(stored);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->id, 7u);
  EXPECT_EQ(s->key, (StreamKey{"000000000000", "us-east-1", "orders"}));
  EXPECT_EQ(s->mode, "PROVISIONED");
  EXPECT_EQ(s->created_ms, 1795332410934);
  EXPECT_EQ(s->active_at_ms, 1795332411434);
  EXPECT_EQ(s->deleting_since_ms, 1795332419000);
  EXPECT_EQ(s->gone_at_ms, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(s->retention_hours, 48);
  EXPECT_EQ(s->expired_before_ms, 1795332400000);
  EXPECT_EQ(s->encryption_type, "KMS");
  EXPECT_EQ(s->key_id, "alias/aws/kinesis");
  EXPECT_EQ(s->shard_level_metrics, std::vector<std::string>{"IncomingBytes"});
  EXPECT_EQ(s->max_record_size_kib, 2048);
  EXPECT_EQ(s->updating_until_ms, 1795332471434);
  EXPECT_EQ(s->warm_throughput_mibps, 100);
  EXPECT_EQ(s->previous_warm_throughput_mibps, 50);
  EXPECT_EQ(s->resource_policy, R"({"Version":"2012-10-17"})");
  EXPECT_EQ(s->tags, (std::vector<std::pair<std::string, std::string>>{{"team", "a"}, {"ü", ""}}));
  EXPECT_EQ(s->shard_count_updates_ms, std::vector<int64_t>{1795332411000});
  ASSERT_EQ(s->shards.size(), 3u);
  EXPECT_EQ(s->shards[0].closed_ms, 1795332415000);
  EXPECT_FALSE(s->shards[0].parent_index);
  EXPECT_EQ(s->shards[1].hash_range.starting_hash_key, streams::uint128{1} << 127);
  EXPECT_EQ(s->shards[1].hash_range.ending_hash_key, streams::kMaxHashKey);
  EXPECT_TRUE(s->shards[1].is_open());
  EXPECT_EQ(s->shards[2].parent_index, 0u);
  EXPECT_FALSE(s->shards[2].adjacent_parent_index);
  ASSERT_TRUE(s->pending_reshard);
  EXPECT_EQ(s->pending_reshard->at_ms, 1795332471434);
  EXPECT_EQ(s->pending_reshard->plan.closing, std::vector<uint32_t>{1});
  ASSERT_EQ(s->pending_reshard->plan.added.size(), 1u);
  EXPECT_EQ(s->pending_reshard->plan.added[0].index, 3u);
  EXPECT_EQ(s->pending_reshard->plan.added[0].parent_index, 1u);
  EXPECT_EQ(s->pending_reshard->plan.added[0].adjacent_parent_index, 2u);
  EXPECT_EQ(encode_stream(*s), stored);

  // The first stored streams had no record size limit, expiry floor or update time: defaults.
  const std::string first =
      "\x01"
      R"({"id":1,"account":"000000000000","region":"us-east-1","name":"s","mode":"ON_DEMAND",)"
      R"("created_ms":5,"active_at_ms":6,"gone_at_ms":9223372036854775807,"retention_hours":24,)"
      R"("encryption_type":"NONE","key_id":"","shard_level_metrics":[],"tags":[],)"
      R"("shards":[{"index":0,"start":"0","end":"340282366920938463463374607431768211455",)"
      R"("created_ms":5}]})";
  auto old = decode_stream(first);
  ASSERT_TRUE(old);
  EXPECT_EQ(old->max_record_size_kib, 1024);
  EXPECT_EQ(old->expired_before_ms, 0);
  EXPECT_EQ(old->updating_until_ms, 0);
  EXPECT_FALSE(old->pending_reshard);
  ASSERT_EQ(old->shards.size(), 1u);

  // Refused rather than guessed: another version, a missing required member, a malformed
  // shard or pending reshard.
  EXPECT_FALSE(decode_stream("\x02" + json));
  auto without = [&](std::string_view member, std::string_view replacement) {
    std::string broken = stored;
    const auto at = broken.find(member);
    EXPECT_NE(at, std::string::npos) << member;
    return broken.replace(at, member.size(), replacement);
  };
  EXPECT_FALSE(decode_stream(without(R"("mode":"PROVISIONED",)", "")));
  EXPECT_FALSE(decode_stream(without(R"("tags":[["team","a"],)", R"("tags":[["team"],)")));
  EXPECT_FALSE(decode_stream(without(R"("start":"0")", R"("start":"x")")));
  EXPECT_FALSE(decode_stream(without(R"("closing":[1])", R"("closing":["1"])")));
  EXPECT_FALSE(
      decode_stream(without(R"("pending_reshard":{"at_ms")", R"("pending_reshard":{"at")")));
}

TEST(StoredAccountSettings, AnExistingDocumentReadsBackAndIsWrittenUnchanged) {
  const std::string stored =
      "\x01"
      R"({"commitment_status":"ENABLED_UNTIL_EARLIEST_ALLOWED_END","started_ms":10,)"
      R"("earliest_end_ms":30})";
  auto settings = decode_account_settings(stored);
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->commitment_status, "ENABLED_UNTIL_EARLIEST_ALLOWED_END");
  EXPECT_EQ(settings->started_ms, 10);
  EXPECT_FALSE(settings->ended_ms);
  EXPECT_EQ(settings->earliest_end_ms, 30);
  EXPECT_EQ(encode_account_settings(*settings), stored);
  EXPECT_FALSE(decode_account_settings("\x01{\"started_ms\":10}"));
  EXPECT_FALSE(decode_account_settings("\x02{\"commitment_status\":\"ENABLED\"}"));
}

}  // namespace
}  // namespace trib::kinesis
