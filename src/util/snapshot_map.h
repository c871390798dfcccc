// The in-memory side of a resource catalog (Kinesis streams, DynamoDB tables): immutable
// snapshots (shared_ptr<const T>) by key, read under a short shared lock and replaced whole
// when a control-plane change is published. `Key` has `account`, `region` and `name` and
// orders by them (so one account and region is one contiguous run); `T` has `key` and
// `is_gone(now_ms)`. Persisting and serialising mutations stay with each catalog.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace trib {

template <typename Key, typename T>
class SnapshotMap {
 public:
  using Ptr = std::shared_ptr<const T>;

  // The snapshot under `key` in any state, gone included (nullptr when none).
  Ptr get(const Key& key) const {
    std::shared_lock lock(mutex_);
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : it->second;
  }

  // The snapshot under `key` unless it is gone at `now_ms`.
  Ptr find_live(const Key& key, int64_t now_ms) const {
    Ptr found = get(key);
    return found && !found->is_gone(now_ms) ? found : nullptr;
  }

  // Every snapshot `keep` accepts, in key order.
  template <typename Predicate>
  std::vector<Ptr> select(const Predicate& keep) const {
    std::vector<Ptr> out;
    std::shared_lock lock(mutex_);
    for (const auto& [key, value] : map_) {
      if (keep(*value)) out.push_back(value);
    }
    return out;
  }

  // The live snapshots of one account and region, in name order.
  std::vector<Ptr> list_live(std::string_view account, std::string_view region,
                             int64_t now_ms) const {
    std::vector<Ptr> out;
    std::shared_lock lock(mutex_);
    auto it = map_.lower_bound(Key{std::string(account), std::string(region), ""});
    for (; it != map_.end() && it->first.account == account && it->first.region == region; ++it) {
      if (!it->second->is_gone(now_ms)) out.push_back(it->second);
    }
    return out;
  }

  std::vector<Ptr> list_live_all(int64_t now_ms) const {
    return select([now_ms](const T& value) { return !value.is_gone(now_ms); });
  }

  // Makes `value` the snapshot under its key.
  void publish(Ptr value) {
    std::unique_lock lock(mutex_);
    map_[value->key] = std::move(value);
  }

  // Drops `value`'s key only if `value` is still its snapshot (a purge racing a re-create
  // keeps the new incarnation).
  void erase_if_current(const Ptr& value) {
    std::unique_lock lock(mutex_);
    auto it = map_.find(value->key);
    if (it != map_.end() && it->second == value) map_.erase(it);
  }

 private:
  mutable std::shared_mutex mutex_;
  std::map<Key, Ptr> map_;
};

}  // namespace trib
