// SnapshotMap: the in-memory side of the stream and table catalogs.
#include "util/snapshot_map.h"

#include <gtest/gtest.h>

namespace trib {
namespace {

struct Key {
  std::string account;
  std::string region;
  std::string name;
  friend auto operator<=>(const Key&, const Key&) = default;
};

struct Resource {
  Key key;
  int64_t gone_at_ms = 1000;
  bool is_gone(int64_t now_ms) const { return now_ms >= gone_at_ms; }
};

std::shared_ptr<const Resource> make(std::string account, std::string region, std::string name,
                                     int64_t gone_at_ms = 1000) {
  return std::make_shared<const Resource>(
      Resource{{std::move(account), std::move(region), std::move(name)}, gone_at_ms});
}

TEST(SnapshotMap, LiveLookupsListsAndGuardedErase) {
  SnapshotMap<Key, Resource> map;
  map.publish(make("1", "eu", "b"));
  map.publish(make("1", "eu", "a"));
  map.publish(make("1", "us", "c"));
  map.publish(make("2", "eu", "d"));
  map.publish(make("1", "eu", "gone", 10));

  EXPECT_TRUE(map.find_live({"1", "eu", "a"}, 100));
  EXPECT_FALSE(map.find_live({"1", "eu", "gone"}, 100));
  EXPECT_TRUE(map.get({"1", "eu", "gone"}));  // gone, still held until purged
  EXPECT_FALSE(map.find_live({"1", "eu", "a"}, 1000));

  std::vector<std::string> names;
  for (const auto& r : map.list_live("1", "eu", 100)) names.push_back(r->key.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(map.list_live_all(100).size(), 4u);
  EXPECT_EQ(map.select([](const Resource& r) { return r.is_gone(100); }).size(), 1u);

  // A purge of an old incarnation leaves a re-created one in place.
  auto old = map.get({"1", "eu", "a"});
  auto recreated = make("1", "eu", "a", 5000);
  map.publish(recreated);
  map.erase_if_current(old);
  EXPECT_EQ(map.get({"1", "eu", "a"}), recreated);
  map.erase_if_current(recreated);
  EXPECT_FALSE(map.get({"1", "eu", "a"}));
}

}  // namespace
}  // namespace trib
