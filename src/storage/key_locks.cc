#include "storage/key_locks.h"

#include <algorithm>
#include <functional>
#include <string_view>
#include <utility>

namespace trib::storage {

namespace {

// The lock tables whose stripes the current thread holds inside a transaction body, to refuse a
// nested transact on the same engine instead of deadlocking on its own stripes.
thread_local std::vector<const KeyLocks*> held_lock_tables;

class LockedTransaction final : public Transaction {
 public:
  explicit LockedTransaction(Engine& engine) : engine_(engine) {}
  Status get(Keyspace ks, std::string_view key, std::string* value) override {
    return engine_.get(ks, key, value, /*snapshot=*/nullptr);
  }
  void get_many(Keyspace ks, std::span<const std::string_view> keys,
                std::vector<std::string>* values, std::vector<Status>* statuses) override {
    engine_.multi_get(ks, keys, values, statuses, /*snapshot=*/nullptr);
  }

 private:
  Engine& engine_;
};

}  // namespace

KeyLocks::KeyLocks() : stripes_(std::make_unique<Stripe[]>(kStripes)) {}

uint32_t KeyLocks::stripe_of(const LockKey& key) {
  // The keyspace is mixed in so equal keys in different keyspaces usually differ in stripe.
  const uint64_t hash = std::hash<std::string_view>{}(key.key) ^
                        (static_cast<uint64_t>(key.keyspace) * 0x9e3779b97f4a7c15ULL);
  return static_cast<uint32_t>((hash ^ (hash >> 32)) % kStripes);
}

KeyLocks::Guard KeyLocks::lock(std::span<const LockKey> keys) {
  std::vector<uint32_t> stripes;
  stripes.reserve(keys.size());
  for (const LockKey& key : keys) stripes.push_back(stripe_of(key));
  std::sort(stripes.begin(), stripes.end());
  stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
  for (uint32_t stripe : stripes) stripes_[stripe].mutex.lock();
  return Guard(this, std::move(stripes));
}

KeyLocks::Guard::Guard(KeyLocks* owner, std::vector<uint32_t> stripes)
    : owner_(owner), stripes_(std::move(stripes)) {}

KeyLocks::Guard::Guard(Guard&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), stripes_(std::move(other.stripes_)) {}

KeyLocks::Guard::~Guard() {
  if (owner_ == nullptr) return;
  for (auto it = stripes_.rbegin(); it != stripes_.rend(); ++it) {
    owner_->stripes_[*it].mutex.unlock();
  }
}

Status transact_with_key_locks(Engine& engine, KeyLocks& locks, std::span<const LockKey> keys,
                               const TransactionBody& body, const WriteOptions& options) {
  if (std::find(held_lock_tables.begin(), held_lock_tables.end(), &locks) !=
      held_lock_tables.end()) {
    return Status::invalid_argument("a transaction body may not start a transaction on its engine");
  }
  const KeyLocks::Guard guard = locks.lock(keys);
  LockedTransaction transaction(engine);
  Status status;
  {
    held_lock_tables.push_back(&locks);
    struct Unmark {
      ~Unmark() { held_lock_tables.pop_back(); }
    } unmark;
    status = body(transaction);
  }
  if (!status.is_ok()) return status;
  if (transaction.batch().empty()) return Status::ok();
  return engine.write(transaction.batch(), options);
}

}  // namespace trib::storage
