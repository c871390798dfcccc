// The read-modify-write contract of Engine::transact (storage/engine.h, src/storage/README.md),
// run against every engine. A future engine (a distributed partition store) must pass it too.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "storage/engine.h"
#include "storage_engine_fixture.h"

namespace trib::storage {
namespace {

using namespace std::chrono_literals;

// How long a step that should be prompt may take before the test calls it a deadlock; generous,
// because the machine running the tests may be heavily loaded.
constexpr auto kDeadline = 30s;

// Runs `step` on another thread and aborts the test binary with a message if it does not finish
// within kDeadline: a lock that is never released must fail the test, not hang it.
void finishes_promptly(const char* what, const std::function<void()>& step) {
  std::mutex mutex;
  std::condition_variable done_changed;
  bool done = false;
  std::thread runner([&] {
    step();
    std::lock_guard lock(mutex);
    done = true;
    done_changed.notify_all();
  });
  {
    std::unique_lock lock(mutex);
    if (!done_changed.wait_for(lock, kDeadline, [&] { return done; })) {
      std::fprintf(stderr,
                   "%s did not finish within %lld s: a deadlock, or a lock never released\n", what,
                   static_cast<long long>(kDeadline.count()));
      std::abort();
    }
  }
  runner.join();
}

// A latch with a deadline: wait() returns false if `count` was not reached in time.
class Counter {
 public:
  void add() {
    std::lock_guard lock(mutex_);
    ++value_;
    changed_.notify_all();
  }
  int value() {
    std::lock_guard lock(mutex_);
    return value_;
  }
  bool wait_for_at_least(int count, std::chrono::seconds timeout = kDeadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return value_ >= count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int value_ = 0;
};

std::string account_key(int account) { return "account-" + std::to_string(account); }

class StorageTransactionTest : public StorageEngineTest {
 protected:
  // Reads `key` inside a transaction as a number (0 when absent).
  static int64_t read_number(Transaction& txn, Keyspace ks, std::string_view key) {
    std::string value;
    const Status status = txn.get(ks, key, &value);
    if (status.is_not_found()) return 0;
    EXPECT_TRUE(status.is_ok()) << status.message;
    return std::stoll(value);
  }
  // One read-increment-write of a counter; widening the window between read and write makes a
  // missing lock lose updates reliably.
  Status increment(std::string_view key) {
    return engine_->transact({{Keyspace::kItems, key}}, [&](Transaction& txn) {
      const int64_t value = read_number(txn, Keyspace::kItems, key);
      std::this_thread::yield();
      txn.batch().put(Keyspace::kItems, key, std::to_string(value + 1));
      return Status::ok();
    });
  }
};

TEST_P(StorageTransactionTest, ConcurrentIncrementsOfOneKeyLoseNoUpdate) {
  constexpr int kThreads = 8;
  constexpr int kIncrements = 300;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        if (!increment("counter").is_ok()) failures.fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(get(Keyspace::kItems, "counter"), std::to_string(kThreads * kIncrements));
}

TEST_P(StorageTransactionTest, ReadsAreFreshAndExcludeTheBodysOwnWrites) {
  put(Keyspace::kMeta, "k", "1");
  auto snapshot = engine_->snapshot();  // an older snapshot must not be what the body reads
  put(Keyspace::kMeta, "k", "2");
  const Status status = engine_->transact({{Keyspace::kMeta, "k"}}, [&](Transaction& txn) {
    std::string value;
    EXPECT_TRUE(txn.get(Keyspace::kMeta, "k", &value).is_ok());
    EXPECT_EQ(value, "2");
    txn.batch().put(Keyspace::kMeta, "k", "3");
    EXPECT_TRUE(txn.get(Keyspace::kMeta, "k", &value).is_ok());
    EXPECT_EQ(value, "2") << "a body's staged writes are not visible before commit";
    EXPECT_TRUE(txn.get(Keyspace::kMeta, "absent", &value).is_not_found());
    return Status::ok();
  });
  ASSERT_TRUE(status.is_ok()) << status.message;
  EXPECT_EQ(get(Keyspace::kMeta, "k"), "3");
  EXPECT_EQ(get(Keyspace::kMeta, "k", snapshot.get()), "1");
}

TEST_P(StorageTransactionTest, AbortedTransactionWritesNothingAndReleasesItsLocks) {
  put(Keyspace::kItems, "item", "old");
  const Status status = engine_->transact(
      {{Keyspace::kItems, "item"}, {Keyspace::kMeta, "counter"}}, [&](Transaction& txn) {
        txn.batch().put(Keyspace::kItems, "item", "new");
        txn.batch().put(Keyspace::kMeta, "counter", "1");
        txn.batch().put(Keyspace::kRecords, "change", "record");
        return Status::aborted("condition failed");
      });
  EXPECT_TRUE(status.is_aborted());
  EXPECT_EQ(status.message, "condition failed");
  EXPECT_EQ(get(Keyspace::kItems, "item"), "old");
  EXPECT_EQ(get(Keyspace::kMeta, "counter"), std::nullopt);
  EXPECT_EQ(get(Keyspace::kRecords, "change"), std::nullopt);
  // The locks are free again: the same keys can be transacted, from another thread too.
  finishes_promptly("a transaction after an aborted one", [&] {
    EXPECT_TRUE(increment("item-counter").is_ok());
    EXPECT_TRUE(engine_
                    ->transact({{Keyspace::kItems, "item"}, {Keyspace::kMeta, "counter"}},
                               [](Transaction& txn) {
                                 txn.batch().put(Keyspace::kItems, "item", "newer");
                                 return Status::ok();
                               })
                    .is_ok());
  });
  EXPECT_EQ(get(Keyspace::kItems, "item"), "newer");
}

TEST_P(StorageTransactionTest, FailedCommitWritesNothingAndReleasesItsLocks) {
  const Status status = engine_->transact({{Keyspace::kItems, "item"}}, [](Transaction& txn) {
    txn.batch().put(Keyspace::kItems, "item", "new");
    txn.batch().put(static_cast<Keyspace>(kKeyspaceCount), "bad", "keyspace");
    return Status::ok();
  });
  EXPECT_EQ(status.code, Status::Code::kInvalidArgument);
  EXPECT_EQ(get(Keyspace::kItems, "item"), std::nullopt);
  finishes_promptly("a transaction after a failed commit", [&] {
    EXPECT_TRUE(engine_
                    ->transact({{Keyspace::kItems, "item"}},
                               [](Transaction& txn) {
                                 txn.batch().put(Keyspace::kItems, "item", "ok");
                                 return Status::ok();
                               })
                    .is_ok());
  });
  EXPECT_EQ(get(Keyspace::kItems, "item"), "ok");
}

TEST_P(StorageTransactionTest, EmptyBatchCommitsNothing) {
  put(Keyspace::kItems, "item", "v");
  bool ran = false;
  const Status status = engine_->transact({{Keyspace::kItems, "item"}}, [&](Transaction&) {
    ran = true;
    return Status::ok();
  });
  EXPECT_TRUE(status.is_ok()) << status.message;
  EXPECT_TRUE(ran);
  EXPECT_EQ(scan(Keyspace::kItems), (KeyValues{{"item", "v"}}));
}

TEST_P(StorageTransactionTest, DuplicateAndEquivalentLockKeysDoNotSelfDeadlock) {
  finishes_promptly("a transaction listing one key several times", [&] {
    const std::vector<LockKey> keys = {{Keyspace::kItems, "k"},
                                       {Keyspace::kItems, "k"},
                                       {Keyspace::kMeta, "k"},
                                       {Keyspace::kItems, ""},
                                       {Keyspace::kItems, "k"}};
    EXPECT_TRUE(engine_
                    ->transact(keys,
                               [](Transaction& txn) {
                                 txn.batch().put(Keyspace::kItems, "k", "v");
                                 return Status::ok();
                               })
                    .is_ok());
  });
  EXPECT_EQ(get(Keyspace::kItems, "k"), "v");
}

TEST_P(StorageTransactionTest, NestedTransactionOnTheSameEngineIsRefused) {
  finishes_promptly("a nested transaction", [&] {
    const Status outer = engine_->transact({{Keyspace::kItems, "outer"}}, [&](Transaction& txn) {
      const Status inner =
          engine_->transact({{Keyspace::kItems, "inner"}}, [](Transaction& inner_txn) {
            inner_txn.batch().put(Keyspace::kItems, "inner", "v");
            return Status::ok();
          });
      EXPECT_EQ(inner.code, Status::Code::kInvalidArgument) << inner.message;
      txn.batch().put(Keyspace::kItems, "outer", "v");
      return Status::ok();
    });
    EXPECT_TRUE(outer.is_ok()) << outer.message;
  });
  EXPECT_EQ(get(Keyspace::kItems, "outer"), "v");
  EXPECT_EQ(get(Keyspace::kItems, "inner"), std::nullopt);
  // The refusal left nothing behind: a transaction after it works.
  EXPECT_TRUE(increment("inner").is_ok());
}

// A transaction that waits for a lock runs its body only after the holder commits, and then
// reads the holder's value.
TEST_P(StorageTransactionTest, SecondTransactionOnAKeyWaitsAndSeesTheFirstsCommit) {
  put(Keyspace::kItems, "k", "0");
  Counter holder_started;
  Counter release_holder;
  Counter waiter_started;
  std::optional<std::string> waiter_read;
  std::thread holder([&] {
    EXPECT_TRUE(engine_
                    ->transact({{Keyspace::kItems, "k"}},
                               [&](Transaction& txn) {
                                 holder_started.add();
                                 EXPECT_TRUE(release_holder.wait_for_at_least(1, 3 * kDeadline));
                                 txn.batch().put(Keyspace::kItems, "k", "holder");
                                 return Status::ok();
                               })
                    .is_ok());
  });
  ASSERT_TRUE(holder_started.wait_for_at_least(1));
  std::thread waiter([&] {
    EXPECT_TRUE(engine_
                    ->transact({{Keyspace::kMeta, "unrelated"}, {Keyspace::kItems, "k"}},
                               [&](Transaction& txn) {
                                 waiter_started.add();
                                 std::string value;
                                 EXPECT_TRUE(txn.get(Keyspace::kItems, "k", &value).is_ok());
                                 waiter_read = value;
                                 txn.batch().put(Keyspace::kItems, "k", value + "+waiter");
                                 return Status::ok();
                               })
                    .is_ok());
  });
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(waiter_started.value(), 0) << "the waiter's body ran while the key was locked";
  release_holder.add();
  holder.join();
  waiter.join();
  EXPECT_EQ(waiter_read, "holder");
  EXPECT_EQ(get(Keyspace::kItems, "k"), "holder+waiter");
}

// While one transaction holds its key, transactions on other keys commit, and readers of the
// held key (get, iterators, snapshots) are not blocked and see its last committed value.
TEST_P(StorageTransactionTest, OtherKeysAndReadersDoNotWaitForAHeldKey) {
  put(Keyspace::kItems, "held", "old");
  constexpr int kOthers = 16;
  // An engine may serialise a few unrelated keys (lock striping): most must get through.
  constexpr int kMustGetThrough = kOthers / 2;
  Counter holder_started;
  Counter release_holder;
  Counter others_done;
  int others_done_while_held = -1;
  std::thread holder([&] {
    EXPECT_TRUE(engine_
                    ->transact({{Keyspace::kItems, "held"}},
                               [&](Transaction& txn) {
                                 holder_started.add();
                                 EXPECT_TRUE(release_holder.wait_for_at_least(1, 3 * kDeadline));
                                 others_done_while_held = others_done.value();
                                 txn.batch().put(Keyspace::kItems, "held", "new");
                                 return Status::ok();
                               })
                    .is_ok());
  });
  ASSERT_TRUE(holder_started.wait_for_at_least(1));
  std::vector<std::thread> others;
  for (int i = 0; i < kOthers; ++i) {
    others.emplace_back([&, i] {
      const std::string key = "other-" + std::to_string(i);
      EXPECT_TRUE(engine_
                      ->transact({{Keyspace::kItems, key}},
                                 [&](Transaction& txn) {
                                   txn.batch().put(Keyspace::kItems, key, "done");
                                   return Status::ok();
                                 })
                      .is_ok());
      others_done.add();
    });
  }
  EXPECT_TRUE(others_done.wait_for_at_least(kMustGetThrough))
      << "transactions on other keys waited for an unrelated held key (a global lock?)";
  finishes_promptly("reads of a key a transaction holds", [&] {
    EXPECT_EQ(get(Keyspace::kItems, "held"), "old");
    auto snapshot = engine_->snapshot();
    EXPECT_EQ(get(Keyspace::kItems, "held", snapshot.get()), "old");
    IteratorOptions options;
    options.lower_bound = "held";
    options.upper_bound = "hele";
    EXPECT_EQ(scan(Keyspace::kItems, options), (KeyValues{{"held", "old"}}));
    // A plain write of an unrelated key takes no transaction locks either.
    put(Keyspace::kMeta, "plain", "write");
  });
  release_holder.add();
  holder.join();
  for (std::thread& thread : others) thread.join();
  EXPECT_GE(others_done_while_held, kMustGetThrough);
  EXPECT_EQ(get(Keyspace::kItems, "held"), "new");
  for (int i = 0; i < kOthers; ++i) {
    EXPECT_EQ(get(Keyspace::kItems, "other-" + std::to_string(i)), "done") << i;
  }
}

// Transfers between accounts: each transaction locks two keys (listed in either order, so a
// missing lock order would deadlock) and rewrites both in one batch. Readers taking snapshots
// meanwhile always see the same total (batches are atomic), and every balance ends exactly as
// the committed transfers say (no lost update).
TEST_P(StorageTransactionTest, TransfersBetweenKeysAreAtomicAndDeadlockFree) {
  constexpr int kAccounts = 6;
  constexpr int kThreads = 4;
  constexpr int kTransfersPerThread = 250;
  constexpr int64_t kInitial = 1'000'000;
  for (int a = 0; a < kAccounts; ++a) {
    put(Keyspace::kItems, account_key(a), std::to_string(kInitial));
  }
  std::array<std::atomic<int64_t>, kAccounts> expected_delta{};
  std::atomic<bool> writers_done{false};
  std::atomic<int> inconsistent_views{0};
  std::atomic<int> views{0};

  std::thread reader([&] {
    while (!writers_done.load()) {
      auto snapshot = engine_->snapshot();
      int64_t total = 0;
      for (int a = 0; a < kAccounts; ++a) {
        std::string value;
        if (engine_->get(Keyspace::kItems, account_key(a), &value, snapshot.get()).is_ok()) {
          total += std::stoll(value);
        }
      }
      if (total != kAccounts * kInitial) inconsistent_views.fetch_add(1);
      views.fetch_add(1);
    }
  });

  finishes_promptly("concurrent transfers", [&] {
    std::vector<std::thread> writers;
    for (int t = 0; t < kThreads; ++t) {
      writers.emplace_back([&, t] {
        std::mt19937 random(t);
        for (int i = 0; i < kTransfersPerThread; ++i) {
          const int from = static_cast<int>(random() % kAccounts);
          const int to = (from + 1 + static_cast<int>(random() % (kAccounts - 1))) % kAccounts;
          const int64_t amount = 1 + static_cast<int64_t>(random() % 100);
          const std::string from_key = account_key(from);
          const std::string to_key = account_key(to);
          const Status status = engine_->transact(
              {{Keyspace::kItems, from_key}, {Keyspace::kItems, to_key}}, [&](Transaction& txn) {
                const int64_t from_balance = read_number(txn, Keyspace::kItems, from_key);
                const int64_t to_balance = read_number(txn, Keyspace::kItems, to_key);
                std::this_thread::yield();
                txn.batch().put(Keyspace::kItems, from_key, std::to_string(from_balance - amount));
                txn.batch().put(Keyspace::kItems, to_key, std::to_string(to_balance + amount));
                return Status::ok();
              });
          ASSERT_TRUE(status.is_ok()) << status.message;
          expected_delta[from].fetch_sub(amount);
          expected_delta[to].fetch_add(amount);
        }
      });
    }
    for (std::thread& writer : writers) writer.join();
  });
  writers_done.store(true);
  reader.join();

  EXPECT_GT(views.load(), 0);
  EXPECT_EQ(inconsistent_views.load(), 0) << "a reader saw half of a transaction's batch";
  for (int a = 0; a < kAccounts; ++a) {
    EXPECT_EQ(get(Keyspace::kItems, account_key(a)),
              std::to_string(kInitial + expected_delta[a].load()))
        << account_key(a);
  }
}

TEST_P(StorageTransactionTest, CommitHonoursWriteOptionsAndPersists) {
  const Status status = engine_->transact(
      {{Keyspace::kItems, "durable"}},
      [](Transaction& txn) {
        txn.batch().put(Keyspace::kItems, "durable", "yes");
        return Status::ok();
      },
      WriteOptions{.sync = true});
  ASSERT_TRUE(status.is_ok()) << status.message;
  if (is_rocksdb()) reopen();
  EXPECT_EQ(get(Keyspace::kItems, "durable"), "yes");
}

INSTANTIATE_TEST_SUITE_P(Engines, StorageTransactionTest, ::testing::Values(kMemory, kRocksDb),
                         [](const auto& param_info) { return std::string(param_info.param); });

}  // namespace
}  // namespace trib::storage
