// The lock table behind Engine::transact, shared by the RocksDB and in-memory engines: a fixed
// array of mutexes ("stripes"); a lock key hashes to one stripe. A transaction takes the
// stripes of its keys in ascending stripe order, so any two transactions wait for each other in
// the same order and never deadlock. Different keys almost always land on different stripes and
// proceed in parallel; two that share a stripe are merely serialised. There is no global lock.
// Lock state lives only in process memory and guards no state of its own: the data stays in the
// engine (DESIGN.md: no authoritative state only in process memory).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "storage/engine.h"

namespace trib::storage {

class KeyLocks {
 public:
  // Enough that two concurrent transactions of a few dozen keys each (a BatchWriteItem locks
  // 26) rarely share a stripe: about 4 % of pairs here, against about half with 1,024 stripes
  // (26 * 26 / kStripes). 1 MiB of cache-line-sized mutexes, allocated once per engine.
  static constexpr size_t kStripes = 16384;

  KeyLocks();
  KeyLocks(const KeyLocks&) = delete;
  KeyLocks& operator=(const KeyLocks&) = delete;

  // Holds the stripes of a set of keys until destroyed.
  class Guard {
   public:
    Guard(Guard&& other) noexcept;
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    Guard& operator=(Guard&&) = delete;
    ~Guard();

   private:
    friend class KeyLocks;
    Guard(KeyLocks* owner, std::vector<uint32_t> stripes);
    KeyLocks* owner_;
    std::vector<uint32_t> stripes_;  // ascending, distinct
  };

  // Blocks until every stripe of `keys` is held by the calling thread.
  Guard lock(std::span<const LockKey> keys);

  static uint32_t stripe_of(const LockKey& key);

 private:
  struct alignas(64) Stripe {
    std::mutex mutex;
  };
  std::unique_ptr<Stripe[]> stripes_;
};

// Engine::transact for engines whose reads and write() have the engine contract: locks `keys`
// in `locks`, runs `body` with fresh reads through engine.get, and commits its batch through
// engine.write while the locks are held. Refuses a nested transaction on the same lock table.
Status transact_with_key_locks(Engine& engine, KeyLocks& locks, std::span<const LockKey> keys,
                               const TransactionBody& body, const WriteOptions& options);

}  // namespace trib::storage
