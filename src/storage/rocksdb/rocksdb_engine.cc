// The only file in the project that includes RocksDB headers (see rocksdb_engine.h).
#include "storage/rocksdb/rocksdb_engine.h"

#include <fcntl.h>
#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "storage/rocksdb/wal_scan.h"
#include "util/file.h"

namespace trib::storage {

namespace {

constexpr size_t kMiB = size_t{1} << 20;

Status from_rocksdb(const rocksdb::Status& status) {
  if (status.ok()) return Status::ok();
  if (status.IsNotFound()) return Status::not_found();
  if (status.IsCorruption()) {
    // A damaged block (RocksDB names the table file and offset): the request fails with a 500,
    // the operator learns which file from this log. The first few only, so that a client
    // retrying a read of the same block cannot fill the log.
    static std::atomic<int> logged{0};
    if (logged.fetch_add(1, std::memory_order_relaxed) < 10) {
      spdlog::error("storage: a read failed: {}", status.ToString());
    }
    return Status::corruption(status.ToString());
  }
  if (status.IsInvalidArgument()) return Status::invalid_argument(status.ToString());
  return Status::io_error(status.ToString());
}

rocksdb::Slice to_slice(std::string_view bytes) { return {bytes.data(), bytes.size()}; }

bool compression_supported(rocksdb::CompressionType type) {
  const std::vector<rocksdb::CompressionType> supported = rocksdb::GetSupportedCompressions();
  return std::find(supported.begin(), supported.end(), type) != supported.end();
}

// RocksDB's informational log (the LOG file in the data directory). RocksDB's own file logger
// must not be used: once one of its writes fails (a full disk), the next log line trips an
// assertion in its file writer, and Debian's librocksdb is built with assertions on — the
// server aborted on the first full disk (tests/integration/server/test_disk_full.py). This one
// writes with plain write(2), ignores failures (a lost log line is all a full disk costs
// here), keeps LOG under kMaxBytes by renaming it to LOG.old, and repeats errors on the
// server's own log (stderr), where an operator sees a background error.
class InfoLog final : public rocksdb::Logger {
 public:
  explicit InfoLog(std::string path)
      : rocksdb::Logger(rocksdb::InfoLogLevel::INFO_LEVEL), path_(std::move(path)) {
    open_file();
  }
  ~InfoLog() override {
    if (fd_ >= 0) ::close(fd_);
  }

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    write_line(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap);
  }
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    write_line(level, format, ap);
  }

 private:
  static constexpr off_t kMaxBytes = 4 << 20;

  void open_file() { fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644); }

  void write_line(rocksdb::InfoLogLevel level, const char* format, va_list ap) {
    char message[2048];
    va_list copy;
    va_copy(copy, ap);
    const int length = std::vsnprintf(message, sizeof message, format, copy);
    va_end(copy);
    if (length < 0) return;
    // Some of RocksDB's lines end with a newline of their own.
    size_t end = std::min(static_cast<size_t>(length), sizeof message - 1);
    while (end > 0 && message[end - 1] == '\n') message[--end] = '\0';
    if (level >= rocksdb::InfoLogLevel::ERROR_LEVEL) spdlog::error("rocksdb: {}", message);
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char line[2200];
    const size_t prefix = std::strftime(line, sizeof line, "%Y/%m/%d-%H:%M:%S ", &utc);
    const int body = std::snprintf(line + prefix, sizeof line - prefix, "%s\n", message);
    if (body < 0) return;
    const size_t size = std::min(sizeof line - 1, prefix + static_cast<size_t>(body));
    std::lock_guard lock(mutex_);
    if (fd_ >= 0 && ::lseek(fd_, 0, SEEK_END) > kMaxBytes) {
      ::close(fd_);
      std::rename(path_.c_str(), (path_ + ".old").c_str());
      open_file();
    }
    if (fd_ >= 0 && ::write(fd_, line, size) < 0) return;  // a full disk: the line is lost
  }

  std::string path_;
  std::mutex mutex_;
  int fd_ = -1;
};

rocksdb::DBOptions make_db_options(const std::string& path) {
  rocksdb::DBOptions options;
  options.info_log = std::make_shared<InfoLog>(path + "/LOG");
  options.create_if_missing = true;
  // Keyspaces added in later versions appear as new column families on the next open.
  options.create_missing_column_families = true;
  // One flush and one compaction thread: enough for an emulator, and few idle threads.
  options.max_background_jobs = 2;
  // A rarely written column family (meta) would otherwise keep every old WAL file alive until
  // it flushes on its own; past this total the oldest WAL's column families are flushed.
  options.max_total_wal_size = 64 * kMiB;
  // Caps memtable memory across all column families (three CFs x 3 x 16 MiB otherwise).
  options.db_write_buffer_size = 64 * kMiB;
  // Stated for clarity (the default): memtables not covered by the WAL are flushed on close.
  // With the WAL on, unflushed data is replayed from it on the next open.
  options.avoid_flush_during_shutdown = false;
  // The WAL write of one group of writers overlaps the memtable inserts of the previous one.
  options.enable_pipelined_write = true;
  return options;
}

// The options of the column family `name` (a keyspace, or one a later version added).
rocksdb::ColumnFamilyOptions make_column_family_options(
    const std::string& name, const std::shared_ptr<rocksdb::Cache>& block_cache) {
  rocksdb::ColumnFamilyOptions options;
  // Smaller memtables than the 64 MiB default keep the resident size modest; three of them
  // let writes continue while one is flushed.
  options.write_buffer_size = 16 * kMiB;
  options.max_write_buffer_number = 3;
  options.compaction_style = rocksdb::kCompactionStyleLevel;
  // Sizes levels from the bottom up: bounded space amplification, and deleted data (retention,
  // stream deletion) reaches the bottom level and is dropped sooner.
  options.level_compaction_dynamic_level_bytes = true;
  if (name == keyspace_name(Keyspace::kRecords)) {
    // Stream records are mostly payloads producers already encoded, compressed or encrypted:
    // LZ4 on them costs CPU on every flush and compaction for little space (profiles of
    // PutRecords showed ~7% in LZ4), so the records keyspace is stored uncompressed.
    options.compression = rocksdb::kNoCompression;
  } else if (compression_supported(rocksdb::kLZ4Compression)) {
    // LZ4 is cheap on CPU and Debian's librocksdb links it (without it: no compression rather
    // than failing to open). Except level 0, what a memtable flush writes: those files live
    // only until the next compaction merges them down (four at most before it starts), so
    // compressing them spent the flush's CPU, beside the request threads, on space kept for
    // seconds (BatchWriteItem of existing items: about 3.5 % more items/s without it,
    // bench/README.md "Session 13"). With dynamic level sizes, entry 0 is level 0 and the last
    // entry applies to every level below.
    options.compression = rocksdb::kLZ4Compression;
    options.compression_per_level = {rocksdb::kNoCompression, rocksdb::kLZ4Compression};
  } else {
    options.compression = rocksdb::kNoCompression;
  }
  if (name == keyspace_name(Keyspace::kItems)) {
    // A Bloom filter over the whole keys of each memtable. Every item write first reads the
    // old item (and GetItem reads one), usually missing the newest memtable and often the
    // others; without the filter each miss walked the memtable's skip list to the bottom
    // (BatchWriteItem of existing items: about 7 % more items/s with it, bench/README.md
    // "Session 13"). 2 % of the 16 MiB write buffer: 328 KiB a memtable, at 250-byte entries
    // about 40 bits a key.
    options.memtable_prefix_bloom_size_ratio = 0.02;
    options.memtable_whole_key_filtering = true;
  }

  rocksdb::BlockBasedTableOptions table_options;
  // One small block cache shared by all column families instead of an 8 MiB cache each.
  table_options.block_cache = block_cache;
  // Index and filter blocks live in (and are bounded by) the block cache instead of growing
  // with the data; L0's are pinned because every read consults them.
  table_options.cache_index_and_filter_blocks = true;
  table_options.pin_l0_filter_and_index_blocks_in_cache = true;
  // Partitioned: each file's index and filter are split into blocks of about 4 KiB under a
  // small top-level index (pinned). Whole index and filter blocks of large files (hundreds of
  // KiB each) did not fit the small cache: as a DynamoDB table grew past a few million items
  // every point read (GetItem, and the old-item read of every write) read and checksummed
  // them again from the file, and server CPU per item written tripled from 1 to 3 million
  // items (bench/README.md, "Growth"). A miss now costs one small block.
  table_options.index_type = rocksdb::BlockBasedTableOptions::IndexType::kTwoLevelIndexSearch;
  table_options.partition_filters = true;
  table_options.metadata_block_size = 4096;
  table_options.pin_top_level_index_and_filter = true;
  table_options.cache_index_and_filter_blocks_with_high_priority = true;
  // Bloom filters make point reads of absent keys (catalog, items) skip most files.
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  return options;
}

std::string describe_open_failure(const std::string& path, const rocksdb::Status& status) {
  std::string detail = status.ToString();
  std::string lowered = detail;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (status.IsIOError() && lowered.find("lock") != std::string::npos) {
    return "data directory '" + path +
           "' is in use by another process (or another engine in this process); only one "
           "server may open it at a time: " +
           detail;
  }
  return "cannot open RocksDB database in '" + path + "': " + detail;
}

// The sequence mark (docs/storage-encoding.md, "Sequence mark"): RocksDB's last sequence number
// at the last open and at the last clean shutdown, each a point known to be on stable storage,
// kept in a file of its own beside RocksDB's. RocksDB alone cannot tell a MANIFEST cut short,
// or write-ahead log files lost, from a directory that never held more: its MANIFEST reader
// takes a cut tail for an unfinished last write and ignores it, and the open then deletes the
// table files the lost part named as obsolete. A database that recovers to a lower sequence
// number than the mark has lost acknowledged data; the open refuses it (open() below).
constexpr const char* kSequenceMarkFile = "TRIBUTARY-SEQUENCE";
constexpr const char* kSequenceMarkVersion = "1";

std::optional<uint64_t> read_sequence_mark(const std::string& path, std::string* error) {
  std::FILE* file = std::fopen((path + "/" + kSequenceMarkFile).c_str(), "r");
  if (file == nullptr) return std::nullopt;  // none yet (a new directory, or an older version)
  char version[8] = {};
  unsigned long long sequence = 0;
  const int read = std::fscanf(file, "%7s %llu", version, &sequence);
  std::fclose(file);
  if (read != 2 || std::string_view(version) != kSequenceMarkVersion) {
    *error = "unreadable " + path + "/" + kSequenceMarkFile;
    return std::nullopt;
  }
  return sequence;
}

// Replaces the mark atomically (a new file, fsynced, renamed over the old one, then the
// directory fsynced). A failure (a full disk) only loses this check for the next open.
void write_sequence_mark(const std::string& path, uint64_t sequence) {
  const std::string target = path + "/" + kSequenceMarkFile;
  const std::string temporary = target + ".tmp";
  const std::string text =
      std::string(kSequenceMarkVersion) + " " + std::to_string(sequence) + "\n";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool written = fd >= 0 &&
                 ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                 ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  written = written && std::rename(temporary.c_str(), target.c_str()) == 0;
  const int directory = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory >= 0) {
    written = ::fsync(directory) == 0 && written;
    ::close(directory);
  }
  if (!written)
    spdlog::warn("storage: could not write {} (the damage check of the next open is weaker)",
                 target);
}

std::string current_manifest(const std::string& path) {
  std::FILE* file = std::fopen((path + "/CURRENT").c_str(), "r");
  if (file == nullptr) return "MANIFEST-*";
  char name[256] = {};
  const bool read = std::fscanf(file, "%255s", name) == 1;
  std::fclose(file);
  return read ? name : "MANIFEST-*";
}

// The last sequence number RocksDB recovers from the directory, with a read-only open that
// changes nothing (no WAL replay into table files, no deletion of obsolete files) and opens
// table files lazily (their data is not needed for the number). `mode` is how the replay of
// the write-ahead log treats a damaged record. With `wal_files`, also the live WAL files, by
// number.
rocksdb::Status recovered_sequence(rocksdb::DBOptions options, const std::string& path,
                                   const std::vector<std::string>& column_families,
                                   rocksdb::WALRecoveryMode mode, uint64_t* sequence,
                                   rocksdb::VectorLogPtr* wal_files = nullptr) {
  options.max_open_files = 16;
  options.wal_recovery_mode = mode;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : column_families)
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status status = rocksdb::DB::OpenForReadOnly(options, path, descriptors, &handles, &db);
  if (!status.ok()) return status;
  *sequence = db->GetLatestSequenceNumber();
  if (wal_files != nullptr) db->GetSortedWalFiles(*wal_files).PermitUncheckedError();
  for (rocksdb::ColumnFamilyHandle* handle : handles)
    db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  status = db->Close();
  delete db;
  return status;
}

// What a probe of the directory found (RocksDbEngine::open).
struct Recovery {
  // The last sequence number the read-write open will recover (RocksDB's default
  // point-in-time replay of the write-ahead log, which stops at the first damaged record).
  uint64_t sequence = 0;
  // A damaged WAL record with intact records after it, which that replay would drop.
  bool damaged_mid_log = false;
  std::string damaged_wal;  // the file
  // What the replay that skips damaged records recovers (above `sequence`), when it sees the
  // intact records; 0 when only our own reader sees them (in the damaged record's block).
  uint64_t beyond_damage = 0;
  uint64_t damaged_offset = 0;  // with beyond_damage 0: the damaged record's byte offset
};

// Probes how far the directory recovers. Most directories have no damaged WAL record: one
// read-only open that refuses any damage but an unfinished last record (the tail a crash can
// leave) says so. Otherwise two more opens and a read of the log files tell a damaged tail (a
// torn, unsynced write after a power loss: nothing intact follows it, so the point-in-time
// replay loses nothing acknowledged that a crash would not) from a damaged record in the
// middle of the log with acknowledged writes after it, which the point-in-time replay would
// drop silently.
rocksdb::Status probe_recovery(const rocksdb::DBOptions& options, const std::string& path,
                               const std::vector<std::string>& column_families,
                               Recovery* recovery) {
  rocksdb::Status status = recovered_sequence(
      options, path, column_families, rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords,
      &recovery->sequence);
  if (!status.IsCorruption()) return status;
  rocksdb::VectorLogPtr wal_files;
  status = recovered_sequence(options, path, column_families,
                              rocksdb::WALRecoveryMode::kPointInTimeRecovery, &recovery->sequence,
                              &wal_files);
  if (!status.ok()) return status;
  uint64_t skipping = 0;
  status = recovered_sequence(options, path, column_families,
                              rocksdb::WALRecoveryMode::kSkipAnyCorruptedRecords, &skipping);
  if (!status.ok()) return status;
  if (skipping > recovery->sequence) {
    recovery->damaged_mid_log = true;
    recovery->beyond_damage = skipping;
    // The replay stopped in the last WAL file that starts at or before the first write it lost.
    for (const std::unique_ptr<rocksdb::LogFile>& file : wal_files) {
      if (file->Type() == rocksdb::kAliveLogFile &&
          (recovery->damaged_wal.empty() || file->StartSequence() <= recovery->sequence + 1)) {
        recovery->damaged_wal = path + file->PathName();
      }
    }
    if (recovery->damaged_wal.empty()) recovery->damaged_wal = path + "/*.log";
    return status;
  }
  // RocksDB's replay drops the rest of a block after a damaged record, so intact records in
  // the same block are seen only by reading the files (storage/rocksdb/wal_scan.h).
  for (const std::unique_ptr<rocksdb::LogFile>& file : wal_files) {
    if (file->Type() != rocksdb::kAliveLogFile) continue;
    const std::string name = path + file->PathName();
    std::string log;
    std::string unread;
    if (!read_whole_file(name, &log, &unread)) continue;  // gone since the listing
    const detail::WalDamage damage = detail::find_wal_damage(log);
    if (damage.found && damage.intact_after) {
      recovery->damaged_mid_log = true;
      recovery->damaged_wal = name;
      recovery->damaged_offset = damage.offset;
      return status;
    }
  }
  return status;
}

}  // namespace

struct RocksDbHandle {
  rocksdb::DB* db = nullptr;
  // Indexed by Keyspace.
  std::array<rocksdb::ColumnFamilyHandle*, kKeyspaceCount> keyspaces{};
  // Every handle returned by Open (default, keyspaces, and any unknown column family found on
  // disk, which RocksDB requires us to open), destroyed before the database is closed.
  std::vector<rocksdb::ColumnFamilyHandle*> all_column_families;
  std::shared_ptr<rocksdb::Cache> block_cache;
  std::string path;

  RocksDbHandle() = default;
  RocksDbHandle(const RocksDbHandle&) = delete;
  RocksDbHandle& operator=(const RocksDbHandle&) = delete;

  ~RocksDbHandle() {
    if (db == nullptr) return;
    // A clean shutdown leaves every acknowledged write on stable storage, sync or not; the
    // sequence mark then records how far that is.
    const uint64_t sequence = db->GetLatestSequenceNumber();
    if (db->SyncWAL().ok()) write_sequence_mark(path, sequence);
    for (rocksdb::ColumnFamilyHandle* column_family : all_column_families) {
      db->DestroyColumnFamilyHandle(column_family).PermitUncheckedError();
    }
    db->Close().PermitUncheckedError();
    delete db;
  }
};

namespace {

class RocksDbSnapshot final : public Snapshot {
 public:
  RocksDbSnapshot(std::shared_ptr<RocksDbHandle> handle, const rocksdb::Snapshot* snapshot)
      : handle_(std::move(handle)), snapshot_(snapshot) {}
  ~RocksDbSnapshot() override { handle_->db->ReleaseSnapshot(snapshot_); }

  const RocksDbHandle* handle() const { return handle_.get(); }
  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  std::shared_ptr<RocksDbHandle> handle_;
  const rocksdb::Snapshot* snapshot_;
};

// Resolves an engine-neutral snapshot to this database's RocksDB snapshot.
Status resolve_snapshot(const RocksDbHandle* handle, const Snapshot* snapshot,
                        const rocksdb::Snapshot** resolved) {
  *resolved = nullptr;
  if (snapshot == nullptr) return Status::ok();
  const auto* ours = dynamic_cast<const RocksDbSnapshot*>(snapshot);
  if (ours == nullptr || ours->handle() != handle) {
    return Status::invalid_argument("snapshot belongs to a different storage engine");
  }
  *resolved = ours->get();
  return Status::ok();
}

class RocksDbIterator final : public Iterator {
 public:
  RocksDbIterator(std::shared_ptr<RocksDbHandle> handle, rocksdb::ColumnFamilyHandle* column_family,
                  const IteratorOptions& options)
      : handle_(std::move(handle)),
        lower_bound_(options.lower_bound),
        upper_bound_(options.upper_bound) {
    const rocksdb::Snapshot* snapshot = nullptr;
    error_ = resolve_snapshot(handle_.get(), options.snapshot, &snapshot);
    if (!error_.is_ok()) return;
    rocksdb::ReadOptions read_options;
    read_options.snapshot = snapshot;
    // RocksDB keeps pointers to the bound slices, which point into this object's strings.
    if (lower_bound_) {
      lower_bound_slice_ = to_slice(*lower_bound_);
      read_options.iterate_lower_bound = &lower_bound_slice_;
    }
    if (upper_bound_) {
      upper_bound_slice_ = to_slice(*upper_bound_);
      read_options.iterate_upper_bound = &upper_bound_slice_;
    }
    iterator_.reset(handle_->db->NewIterator(read_options, column_family));
  }

  void seek(std::string_view target) override {
    if (!iterator_) return;
    if (lower_bound_ && target < std::string_view(*lower_bound_)) target = *lower_bound_;
    iterator_->Seek(to_slice(target));
  }
  void seek_for_prev(std::string_view target) override {
    if (!iterator_) return;
    if (upper_bound_ && target >= std::string_view(*upper_bound_)) {
      iterator_->SeekToLast();  // the last key below the (exclusive) upper bound
      return;
    }
    iterator_->SeekForPrev(to_slice(target));
  }
  void seek_to_first() override {
    if (iterator_) iterator_->SeekToFirst();
  }
  void seek_to_last() override {
    if (iterator_) iterator_->SeekToLast();
  }
  bool valid() const override { return iterator_ && iterator_->Valid(); }
  void next() override {
    if (valid()) iterator_->Next();
  }
  void prev() override {
    if (valid()) iterator_->Prev();
  }
  std::string_view key() const override {
    const rocksdb::Slice key = iterator_->key();
    return {key.data(), key.size()};
  }
  std::string_view value() const override {
    const rocksdb::Slice value = iterator_->value();
    return {value.data(), value.size()};
  }
  Status status() const override {
    if (!error_.is_ok()) return error_;
    return from_rocksdb(iterator_->status());
  }

 private:
  // Declaration order matters: the RocksDB iterator is destroyed first, then the bounds it
  // points to, then (possibly) the database.
  std::shared_ptr<RocksDbHandle> handle_;
  std::optional<std::string> lower_bound_;
  std::optional<std::string> upper_bound_;
  rocksdb::Slice lower_bound_slice_;
  rocksdb::Slice upper_bound_slice_;
  Status error_;
  std::unique_ptr<rocksdb::Iterator> iterator_;
};

}  // namespace

std::unique_ptr<RocksDbEngine> RocksDbEngine::open(const std::string& path, Status* status,
                                                   const EngineOptions& options) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) {
    *status = Status::io_error("cannot create data directory '" + path + "': " + error.message());
    return nullptr;
  }

  auto handle = std::make_shared<RocksDbHandle>();
  // Shared by every column family; small because the product promises a few MB idle RSS and
  // the OS page cache already holds recently read files.
  handle->block_cache = rocksdb::NewLRUCache(8 * kMiB);
  const rocksdb::DBOptions db_options = make_db_options(path);

  // RocksDB requires opening every column family that exists on disk; a missing directory or
  // database simply has none yet.
  std::vector<std::string> existing;
  rocksdb::DB::ListColumnFamilies(db_options, path, &existing).PermitUncheckedError();
  std::vector<std::string> names = {rocksdb::kDefaultColumnFamilyName};
  for (int i = 0; i < kKeyspaceCount; ++i) names.push_back(keyspace_name(static_cast<Keyspace>(i)));
  for (const std::string& name : existing) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, make_column_family_options(name, handle->block_cache));
  }

  // A directory that recovers to less than its sequence mark has lost data: refused before
  // the read-write open below could delete the table files a damaged MANIFEST no longer names.
  std::string mark_error;
  const std::optional<uint64_t> mark = read_sequence_mark(path, &mark_error);
  if (!mark_error.empty()) {
    *status = Status::corruption("data directory '" + path + "' is damaged: " + mark_error +
                                 "; if it is the only damage, delete that file and start again");
    return nullptr;
  }
  if (!existing.empty()) {
    Recovery recovery;
    const rocksdb::Status probed = probe_recovery(db_options, path, existing, &recovery);
    // A probe that fails is left to the open below, whose error names the damage.
    if (probed.ok() && mark && recovery.sequence < *mark) {
      const std::string manifest = path + "/" + current_manifest(path);
      *status = Status::corruption(
          "data directory '" + path +
          "' is damaged: RocksDB recovers it only up to sequence "
          "number " +
          std::to_string(recovery.sequence) + ", but it held data up to " + std::to_string(*mark) +
          " when the server last opened or stopped (" + path + "/" + kSequenceMarkFile +
          "); the MANIFEST (" + manifest +
          ") or a write-ahead log file (*.log) is damaged or cut short. Nothing was changed. "
          "Restore the directory from a backup; or, to start on what is left and lose the "
          "newer data, copy the directory aside and delete " +
          kSequenceMarkFile);
      return nullptr;
    }
    if (probed.ok() && recovery.damaged_mid_log) {
      // Sequence numbers count stored keys: a write of several keys (a batch, an item and its
      // index entries) has several.
      const std::string lost = recovery.beyond_damage > 0
                                   ? "sequence numbers " + std::to_string(recovery.sequence + 1) +
                                         " to " + std::to_string(recovery.beyond_damage)
                                   : "in the damaged record's 32 KiB block, at byte offset " +
                                         std::to_string(recovery.damaged_offset) + " of the file";
      if (!options.recover_damaged_wal) {
        *status = Status::corruption(
            "data directory '" + path + "' is damaged: the write-ahead log file " +
            recovery.damaged_wal + " has a damaged record after sequence number " +
            std::to_string(recovery.sequence) + " and intact writes after it (" + lost +
            "); starting would drop those silently. Nothing was changed. Restore the directory "
            "from a backup; or, to start on what precedes the damage and lose the writes after "
            "it, copy the directory aside and start with --recover-damaged-wal");
        return nullptr;
      }
      spdlog::warn(
          "storage: the write-ahead log file {} has a damaged record after sequence number {}; "
          "--recover-damaged-wal: starting on what precedes it and dropping the writes after it "
          "({})",
          recovery.damaged_wal, recovery.sequence, lost);
    }
  }

  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> column_families;
  const rocksdb::Status open_status =
      rocksdb::DB::Open(db_options, path, descriptors, &column_families, &db);
  if (!open_status.ok()) {
    *status = Status::io_error(describe_open_failure(path, open_status));
    if (open_status.IsCorruption()) status->code = Status::Code::kCorruption;
    return nullptr;
  }
  handle->db = db;
  handle->path = path;
  handle->all_column_families = column_families;
  for (int i = 0; i < kKeyspaceCount; ++i) handle->keyspaces[i] = column_families[i + 1];
  // What the open recovered is on stable storage now (replayed logs are flushed to table files).
  write_sequence_mark(path, db->GetLatestSequenceNumber());

  *status = Status::ok();
  return std::unique_ptr<RocksDbEngine>(new RocksDbEngine(std::move(handle), options));
}

RocksDbEngine::RocksDbEngine(std::shared_ptr<RocksDbHandle> handle, const EngineOptions& options)
    : handle_(std::move(handle)), options_(options) {}

RocksDbEngine::~RocksDbEngine() = default;

rocksdb::ColumnFamilyHandle* RocksDbEngine::column_family(Keyspace ks) const {
  return handle_->keyspaces[static_cast<size_t>(ks)];
}

Status RocksDbEngine::write(const WriteBatch& batch, const WriteOptions& options) {
  rocksdb::WriteBatch rocksdb_batch;
  for (const WriteBatch::Op& op : batch.ops()) {
    if (static_cast<size_t>(op.keyspace) >= kKeyspaceCount) {
      return Status::invalid_argument("unknown keyspace in write batch");
    }
    rocksdb::ColumnFamilyHandle* cf = column_family(op.keyspace);
    rocksdb::Status added;
    switch (op.type) {
      case WriteBatch::OpType::kPut:
        added = rocksdb_batch.Put(cf, op.key, op.value);
        break;
      case WriteBatch::OpType::kDelete:
        added = rocksdb_batch.Delete(cf, op.key);
        break;
      case WriteBatch::OpType::kDeleteRange:
        // An empty or inverted range deletes nothing (RocksDB would reject end < begin).
        if (op.key >= op.value) continue;
        added = rocksdb_batch.DeleteRange(cf, op.key, op.value);
        break;
    }
    if (!added.ok()) return from_rocksdb(added);
  }
  rocksdb::WriteOptions write_options;
  // The WAL is always on; sync adds an fsync.
  write_options.sync = options.sync || options_.sync_every_write;
  if (write_failed_.load(std::memory_order_acquire)) resume_after_failed_write();
  const rocksdb::Status written = handle_->db->Write(write_options, &rocksdb_batch);
  if (!written.ok() && !write_failed_.exchange(true)) {
    spdlog::error(
        "storage: a write failed ({}); writes are refused until it is resolved, "
        "reads go on",
        written.ToString());
  }
  if (written.ok() && write_options.sync) synced_writes_.fetch_add(1, std::memory_order_relaxed);
  return from_rocksdb(written);
}

// A write that fails in RocksDB (no space left for the write-ahead log or a memtable flush,
// an I/O error) puts the database in its background-error state: every later write fails
// with that error, reads go on. For a full disk RocksDB recovers by itself: its SstFileManager
// polls the free space (every few seconds) and resumes once enough is free (seen in the LOG of
// tests/integration/server/test_disk_full.py: "free space ... is less than required disk
// buffer", then the resume). For the other recoverable errors, or if that recovery gave up,
// the first write after a failure asks for DB::Resume() itself (Busy while RocksDB's own
// recovery runs; then the write just fails as before). Errors RocksDB cannot recover from (a
// fatal I/O error, corruption) keep failing writes until a restart.
void RocksDbEngine::resume_after_failed_write() {
  std::unique_lock lock(resume_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;  // another writer is resuming; this write just tries
  if (!write_failed_.load(std::memory_order_acquire)) return;
  const rocksdb::Status resumed = handle_->db->Resume();
  if (!resumed.ok()) return;
  write_failed_.store(false, std::memory_order_release);
  spdlog::info("storage: writes resumed after the earlier failure");
}

Status RocksDbEngine::run_transaction(std::span<const LockKey> keys, const TransactionBody& body,
                                      const WriteOptions& options) {
  return transact_with_key_locks(*this, key_locks_, keys, body, options);
}

Status RocksDbEngine::get(Keyspace ks, std::string_view key, std::string* value,
                          const Snapshot* snapshot) {
  rocksdb::ReadOptions read_options;
  Status resolved = resolve_snapshot(handle_.get(), snapshot, &read_options.snapshot);
  if (!resolved.is_ok()) return resolved;
  return from_rocksdb(handle_->db->Get(read_options, column_family(ks), to_slice(key), value));
}

void RocksDbEngine::multi_get(Keyspace ks, std::span<const std::string_view> keys,
                              std::vector<std::string>* values, std::vector<Status>* statuses,
                              const Snapshot* snapshot) {
  values->assign(keys.size(), std::string());
  rocksdb::ReadOptions read_options;
  Status resolved = resolve_snapshot(handle_.get(), snapshot, &read_options.snapshot);
  if (!resolved.is_ok()) {
    statuses->assign(keys.size(), resolved);
    return;
  }
  statuses->assign(keys.size(), Status::ok());
  std::vector<rocksdb::Slice> slices;
  slices.reserve(keys.size());
  for (std::string_view key : keys) slices.push_back(to_slice(key));
  std::vector<rocksdb::PinnableSlice> pinned(keys.size());
  std::vector<rocksdb::Status> results(keys.size());
  handle_->db->MultiGet(read_options, column_family(ks), keys.size(), slices.data(), pinned.data(),
                        results.data(), /*sorted_input=*/false);
  for (size_t i = 0; i < keys.size(); ++i) {
    (*statuses)[i] = from_rocksdb(results[i]);
    if (results[i].ok()) (*values)[i].assign(pinned[i].data(), pinned[i].size());
  }
}

std::unique_ptr<Iterator> RocksDbEngine::iterate(Keyspace ks, const IteratorOptions& options) {
  return std::make_unique<RocksDbIterator>(handle_, column_family(ks), options);
}

std::shared_ptr<const Snapshot> RocksDbEngine::snapshot() {
  return std::make_shared<RocksDbSnapshot>(handle_, handle_->db->GetSnapshot());
}

void RocksDbEngine::compact_range(Keyspace ks, std::string_view begin, std::string_view end) {
  rocksdb::CompactRangeOptions options;
  // Also rewrite bottom-level files in the range: that is where deleted data usually sits, and
  // reclaiming it is the point of calling this.
  options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  const rocksdb::Slice begin_slice = to_slice(begin);
  const rocksdb::Slice end_slice = to_slice(end);
  // An empty bound means "from the first key" / "to the last key" (prefix_successor returns ""
  // when there is no upper bound).
  handle_->db
      ->CompactRange(options, column_family(ks), begin.empty() ? nullptr : &begin_slice,
                     end.empty() ? nullptr : &end_slice)
      .PermitUncheckedError();
}

Status RocksDbEngine::flush_wal(bool sync) { return from_rocksdb(handle_->db->FlushWAL(sync)); }

uint64_t RocksDbEngine::approximate_size(Keyspace ks) {
  uint64_t live_data = 0;
  uint64_t memtables = 0;
  handle_->db->GetIntProperty(column_family(ks), rocksdb::DB::Properties::kEstimateLiveDataSize,
                              &live_data);
  handle_->db->GetIntProperty(column_family(ks), rocksdb::DB::Properties::kCurSizeAllMemTables,
                              &memtables);
  return live_data + memtables;
}

std::vector<Engine::Statistic> RocksDbEngine::statistics() {
  std::vector<Statistic> out;
  rocksdb::DB& db = *handle_->db;
  const auto add = [&](std::string name, std::string type, std::string help, uint64_t value) {
    out.push_back({std::move(name), std::move(type), std::move(help), static_cast<double>(value)});
  };
  // Database-wide properties, and (summed over the column families) per-family ones.
  struct Gauge {
    const char* property;
    const char* name;
    bool per_column_family;
  };
  const Gauge gauges[] = {
      {"rocksdb.num-running-compactions", "rocksdb_running_compactions", false},
      {"rocksdb.num-running-flushes", "rocksdb_running_flushes", false},
      {"rocksdb.actual-delayed-write-rate", "rocksdb_delayed_write_rate_bytes", false},
      {"rocksdb.is-write-stopped", "rocksdb_write_stopped", false},
      {"rocksdb.compaction-pending", "rocksdb_compaction_pending", true},
      {"rocksdb.estimate-pending-compaction-bytes", "rocksdb_pending_compaction_bytes", true},
      {"rocksdb.total-sst-files-size", "rocksdb_sst_files_bytes", true},
      {"rocksdb.cur-size-all-mem-tables", "rocksdb_memtable_bytes", true}};
  for (const Gauge& gauge : gauges) {
    uint64_t value = 0;
    const bool found = gauge.per_column_family ? db.GetAggregatedIntProperty(gauge.property, &value)
                                               : db.GetIntProperty(gauge.property, &value);
    if (found) add(gauge.name, "gauge", std::string("RocksDB property ") + gauge.property, value);
  }
  // Write stalls since the database opened, from each column family's statistics.
  uint64_t stops = 0, slowdowns = 0;
  for (rocksdb::ColumnFamilyHandle* column_family : handle_->all_column_families) {
    std::map<std::string, std::string> stats;
    if (!db.GetMapProperty(column_family, rocksdb::DB::Properties::kCFStats, &stats)) continue;
    const auto read = [&](const char* key) -> uint64_t {
      auto it = stats.find(key);
      return it == stats.end() ? 0 : std::strtoull(it->second.c_str(), nullptr, 10);
    };
    stops += read("io_stalls.total_stop");
    slowdowns += read("io_stalls.total_slowdown");
  }
  add("rocksdb_write_stops_total", "counter", "Writes stopped by RocksDB (io_stalls.total_stop)",
      stops);
  add("rocksdb_write_slowdowns_total", "counter",
      "Writes slowed down by RocksDB (io_stalls.total_slowdown)", slowdowns);
  add("synced_writes_total", "counter",
      "Writes fsynced before they were acknowledged (--sync-writes: every write)",
      synced_writes_.load(std::memory_order_relaxed));
  return out;
}

std::unique_ptr<Engine> open_rocksdb_engine(const std::string& path, Status* status,
                                            const EngineOptions& options) {
  return RocksDbEngine::open(path, status, options);
}

}  // namespace trib::storage
