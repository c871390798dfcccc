// The fixture of the storage engine contract tests: one test per engine ("memory", "rocksdb"),
// a fresh engine each (RocksDB in a temporary directory), and helpers that assert success.
// Shared by the engine tests (storage_engine_test.cc) and the transaction contract
// (storage_transaction_test.cc); a new engine joins both by adding its name to their
// INSTANTIATE_TEST_SUITE_P lists and to open().
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/engine.h"

namespace trib::storage {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

inline constexpr const char* kMemory = "memory";
inline constexpr const char* kRocksDb = "rocksdb";

inline std::string make_temp_dir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "tributary-storage-XXXXXX").string();
  char* created = mkdtemp(pattern.data());
  EXPECT_NE(created, nullptr);
  return pattern;
}

class StorageEngineTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (is_rocksdb()) directory_ = make_temp_dir();
    open();
  }
  void TearDown() override {
    engine_.reset();
    if (!directory_.empty()) std::filesystem::remove_all(directory_);
  }

  bool is_rocksdb() const { return GetParam() == kRocksDb; }

  void open() {
    if (is_rocksdb()) {
      Status status;
      engine_ = open_rocksdb_engine(directory_, &status);
      ASSERT_TRUE(status.is_ok()) << status.message;
      ASSERT_NE(engine_, nullptr);
    } else {
      engine_ = make_memory_engine();
    }
  }
  // Closes and reopens the same database (RocksDB only; the memory engine has no persistence).
  void reopen() {
    engine_.reset();
    open();
  }

  void write(const WriteBatch& batch, WriteOptions options = {}) {
    Status status = engine_->write(batch, options);
    ASSERT_TRUE(status.is_ok()) << status.message;
  }
  void put(Keyspace ks, std::string_view key, std::string_view value) {
    WriteBatch batch;
    batch.put(ks, key, value);
    write(batch);
  }
  void del(Keyspace ks, std::string_view key) {
    WriteBatch batch;
    batch.del(ks, key);
    write(batch);
  }
  void delete_range(Keyspace ks, std::string_view begin, std::string_view end) {
    WriteBatch batch;
    batch.delete_range(ks, begin, end);
    write(batch);
  }
  std::optional<std::string> get(Keyspace ks, std::string_view key,
                                 const Snapshot* snapshot = nullptr) {
    std::string value;
    Status status = engine_->get(ks, key, &value, snapshot);
    if (status.is_not_found()) return std::nullopt;
    EXPECT_TRUE(status.is_ok()) << status.message;
    return value;
  }

  static KeyValues scan_forward(Iterator& it) {
    KeyValues out;
    for (it.seek_to_first(); it.valid(); it.next()) out.emplace_back(it.key(), it.value());
    EXPECT_TRUE(it.status().is_ok()) << it.status().message;
    return out;
  }
  static KeyValues scan_backward(Iterator& it) {
    KeyValues out;
    for (it.seek_to_last(); it.valid(); it.prev()) out.emplace_back(it.key(), it.value());
    EXPECT_TRUE(it.status().is_ok()) << it.status().message;
    std::reverse(out.begin(), out.end());
    return out;
  }
  KeyValues scan(Keyspace ks, const IteratorOptions& options = {}) {
    auto it = engine_->iterate(ks, options);
    KeyValues forward = scan_forward(*it);
    EXPECT_EQ(forward, scan_backward(*it)) << "forward and backward scans disagree";
    return forward;
  }

  std::string directory_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace trib::storage
