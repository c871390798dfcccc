#include "streams/record_log.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "storage/keys.h"
#include "util/big_endian.h"

namespace trib::streams {

namespace {

constexpr uint8_t kRecordTag = 'R';
// Stored values (docs/storage-encoding.md). A chunk holds the records one append gave one
// shard, under the key of its first position: one storage entry per shard and call instead of
// one per record. Version 1 values (one record each, written before chunks existed) are still
// read.
constexpr uint8_t kSingleRecordVersion = 1;
constexpr uint8_t kChunkVersion = 2;
constexpr uint64_t kCompactAfterTrimmedRecords = 10'000;

std::string shard_prefix(ShardRef shard) {
  return storage::KeyBuilder().u8(kRecordTag).u64(shard.stream_id).u32(shard.shard_index).take();
}

// Chunk: 0x02 | count (u32 BE) | per record: arrival ms (i64 BE) | partition key length
// (u16 BE) | data length (u32 BE) | partition key | data.
constexpr size_t kChunkHeader = 5;
constexpr size_t kChunkRecordHeader = 14;

void start_chunk(std::string& out, uint32_t count) {
  char header[kChunkHeader];
  header[0] = static_cast<char>(kChunkVersion);
  util::store_big_endian<4>(header + 1, count);
  out.append(header, sizeof header);
}

void add_to_chunk(std::string& out, int64_t arrival_ms, std::string_view partition_key,
                  std::string_view data) {
  char header[kChunkRecordHeader];  // arrival (8), key length (2), data length (4)
  util::store_big_endian<8>(header, static_cast<uint64_t>(arrival_ms));
  util::store_big_endian<2>(header + 8, partition_key.size());
  util::store_big_endian<4>(header + 10, data.size());
  out.append(header, sizeof header);
  out.append(partition_key);
  out.append(data);
}

struct RecordView {
  uint64_t position = 0;
  int64_t arrival_ms = 0;
  std::string_view partition_key;
  std::string_view data;
};

// Walks the records of one stored value (a chunk, or a single version-1 record).
class ValueReader {
 public:
  // False when the key or value is malformed.
  bool open(std::string_view key, std::string_view value) {
    if (key.size() < 8 || value.empty()) return false;
    position_ = util::load_big_endian(key.data() + key.size() - 8, 8);
    value_ = value;
    const auto version = static_cast<uint8_t>(value[0]);
    if (version == kSingleRecordVersion) {
      if (value.size() < 11) return false;
      single_ = true;
      left_ = 1;
      return true;
    }
    if (version != kChunkVersion || value.size() < kChunkHeader) return false;
    single_ = false;
    left_ = static_cast<uint32_t>(util::load_big_endian(value.data() + 1, 4));
    offset_ = kChunkHeader;
    return left_ > 0;
  }
  // The next record, or false at the end of the value (or when it is malformed: then ok() is
  // false).
  bool next(RecordView* out) {
    if (left_ == 0) return false;
    if (single_) {
      const size_t key_length = util::load_big_endian(value_.data() + 9, 2);
      if (value_.size() < 11 + key_length) return fail();
      *out =
          RecordView{position_, static_cast<int64_t>(util::load_big_endian(value_.data() + 1, 8)),
                     value_.substr(11, key_length), value_.substr(11 + key_length)};
    } else {
      if (value_.size() < offset_ + kChunkRecordHeader) return fail();
      const std::string_view header = value_.substr(offset_, kChunkRecordHeader);
      const size_t key_length = util::load_big_endian(header.data() + 8, 2);
      const size_t data_length = util::load_big_endian(header.data() + 10, 4);
      const size_t body = offset_ + kChunkRecordHeader;
      if (value_.size() < body + key_length + data_length) return fail();
      *out = RecordView{position_, static_cast<int64_t>(util::load_big_endian(header.data(), 8)),
                        value_.substr(body, key_length),
                        value_.substr(body + key_length, data_length)};
      offset_ = body + key_length + data_length;
    }
    ++position_;
    --left_;
    return true;
  }
  bool ok() const { return ok_; }
  // The position after this value's last record (valid after open()).
  uint64_t end_position() const { return position_ + left_; }

 private:
  bool fail() {
    ok_ = false;
    left_ = 0;
    return false;
  }
  std::string_view value_;
  uint64_t position_ = 0;
  uint32_t left_ = 0;
  size_t offset_ = 0;
  bool single_ = false;
  bool ok_ = true;
};

// Positions the iterator (bounded to one shard) on the value holding `position`, or on the
// first value after it when none holds it; false when there is neither.
bool seek_value_at(storage::Iterator& it, ShardRef shard, uint64_t position) {
  it.seek_for_prev(RecordLog::record_key(shard, position));
  if (it.valid()) {
    ValueReader reader;
    if (reader.open(it.key(), it.value()) && reader.end_position() > position) return true;
    it.next();
    return it.valid();
  }
  it.seek(RecordLog::record_key(shard, position));
  return it.valid();
}

}  // namespace

struct RecordLog::ShardState {
  std::mutex append_mutex;
  // Written with append_mutex held; read without it by state() (double-checked), hence atomic.
  std::atomic<bool> loaded{false};
  // Why the last load failed (a read error: a damaged table file); guarded by append_mutex.
  storage::Status load_status;
  bool closed = false;  // guarded by append_mutex
  std::atomic<uint64_t> next_position{0};
  std::atomic<int64_t> latest_arrival_ms{0};
  std::atomic<uint64_t> first_position{0};
  std::shared_ptr<Counter> counter;       // set on the first append; guarded by append_mutex
  uint64_t trimmed_since_compaction = 0;  // the lifecycle thread's only
  // Traffic since the process started (metrics): appended, and handed out by read().
  std::atomic<uint64_t> records_in{0}, bytes_in{0}, records_out{0}, bytes_out{0};
  std::atomic<int64_t> iterator_age_ms{-1};  // note_read_age

  std::mutex waiters_mutex;
  uint64_t next_waiter_id = 1;
  std::map<uint64_t, WaitCallback> waiters;
};

RecordLog::RecordLog(storage::Engine& engine) : engine_(engine) {}
RecordLog::~RecordLog() = default;

std::string RecordLog::record_key(ShardRef shard, uint64_t position) {
  return storage::KeyBuilder()
      .u8(kRecordTag)
      .u64(shard.stream_id)
      .u32(shard.shard_index)
      .u64(position)
      .take();
}

std::string RecordLog::stream_prefix(uint64_t stream_id) {
  return storage::KeyBuilder().u8(kRecordTag).u64(stream_id).take();
}

void RecordLog::load_state(ShardRef shard, ShardState& state) {
  // Called with state.append_mutex held.
  if (state.loaded.load(std::memory_order_acquire)) return;
  const std::string prefix = shard_prefix(shard);
  storage::IteratorOptions options;
  options.lower_bound = prefix;
  options.upper_bound = storage::prefix_successor(prefix);
  auto it = engine_.iterate(storage::Keyspace::kRecords, options);
  it->seek_to_last();
  ValueReader reader;
  if (it->valid() && reader.open(it->key(), it->value())) {
    RecordView record, last;
    bool any = false;
    while (reader.next(&record)) {
      last = record;
      any = true;
    }
    if (any) {
      state.next_position.store(last.position + 1);
      state.latest_arrival_ms.store(last.arrival_ms);
    }
    it->seek_to_first();
    if (it->valid() && reader.open(it->key(), it->value())) {
      RecordView first;
      if (reader.next(&first)) state.first_position.store(first.position);
    }
  }
  // A read error (a damaged block) looks like no record at all: the shard's end is unknown, and
  // appending from position 0 would overwrite stored records. It stays unloaded (the next use
  // tries again) and append() refuses with this status.
  state.load_status = it->status();
  state.loaded.store(state.load_status.is_ok(), std::memory_order_release);
}

std::shared_ptr<RecordLog::ShardState> RecordLog::find_state(ShardRef shard) {
  std::shared_lock lock(states_mutex_);
  auto it = states_.find(shard);
  return it == states_.end() ? nullptr : it->second;
}

std::shared_ptr<RecordLog::Counter> RecordLog::counter_for(ShardRef shard, uint64_t group,
                                                           const ShardState& state,
                                                           storage::Status* status) {
  *status = storage::Status::ok();
  if (group == kOwnCounter) return std::make_shared<Counter>(state.next_position.load());
  std::lock_guard lock(counters_mutex_);
  auto& counter = counters_[{shard.stream_id, group}];
  // Past every stored position of the stream, hence of every shard of the group (which can have
  // appended nothing since: its appends need this counter).
  if (!counter) {
    uint64_t end = 0;
    *status = stream_end_position(shard.stream_id, &end);
    if (!status->is_ok()) return nullptr;  // a read error: no counter rather than a low one
    counter = std::make_shared<Counter>(end);
  }
  return counter;
}

storage::Status RecordLog::stream_end_position(uint64_t stream_id, uint64_t* out) {
  const std::string prefix = stream_prefix(stream_id);
  storage::IteratorOptions options;
  options.lower_bound = prefix;
  options.upper_bound = storage::prefix_successor(prefix);
  auto it = engine_.iterate(storage::Keyspace::kRecords, options);
  uint64_t end = 0;
  // One seek to each shard's last value.
  for (it->seek(prefix); it->valid();) {
    const std::string_view key = it->key();
    if (key.size() < prefix.size() + 4) break;
    const auto index = static_cast<uint32_t>(util::load_big_endian(key.data() + prefix.size(), 4));
    const std::string shard_end =
        storage::prefix_successor(shard_prefix(ShardRef{stream_id, index}));
    it->seek_for_prev(shard_end);
    // Each seek starts afresh: a read error must be seen before the next one hides it.
    if (!it->valid() && !it->status().is_ok()) return it->status();
    ValueReader reader;
    if (it->valid() && reader.open(it->key(), it->value()))
      end = std::max(end, reader.end_position());
    it->seek(shard_end);
  }
  *out = end;
  return it->status();
}

std::shared_ptr<RecordLog::ShardState> RecordLog::state(ShardRef shard) {
  std::shared_ptr<ShardState> found;
  {
    std::shared_lock lock(states_mutex_);
    auto it = states_.find(shard);
    if (it != states_.end()) found = it->second;
  }
  if (!found) {
    std::unique_lock lock(states_mutex_);
    auto& slot = states_[shard];
    if (!slot) slot = std::make_shared<ShardState>();
    found = slot;
  }
  if (!found->loaded.load(std::memory_order_acquire)) {
    std::lock_guard lock(found->append_mutex);
    load_state(shard, *found);
  }
  return found;
}

storage::Status RecordLog::append(uint64_t stream_id, std::span<const AppendRequest> requests,
                                  int64_t now_ms, bool sync, std::vector<Appended>* out,
                                  const storage::WriteBatch* with) {
  storage::WriteBatch batch;
  if (with) batch = *with;  // the caller's mutations first, then the chunks
  Staged staged;
  auto status = stage(stream_id, requests, now_ms, batch, out, &staged);
  if (!status.is_ok()) return status;
  status = engine_.write(batch, storage::WriteOptions{sync});
  if (!status.is_ok()) return status;  // `staged` abandons: its positions stay unused
  staged.publish();
  return status;
}

storage::Status RecordLog::stage(uint64_t stream_id, std::span<const AppendRequest> requests,
                                 int64_t now_ms, storage::WriteBatch& batch,
                                 std::vector<Appended>* out, Staged* staged, Locking locking) {
  staged->abandon();
  out->assign(requests.size(), Appended{});
  // Lock every shard involved, in index order (no deadlock between concurrent batches).
  Staged::PerShard<uint32_t> shard_indexes;
  shard_indexes.reserve(requests.size());
  for (const auto& r : requests) shard_indexes.push_back(r.shard_index);
  std::sort(shard_indexes.begin(), shard_indexes.end());
  shard_indexes.erase(std::unique(shard_indexes.begin(), shard_indexes.end()), shard_indexes.end());
  Staged::PerShard<std::shared_ptr<ShardState>> states;
  Staged::PerShard<std::unique_lock<std::mutex>> locks;
  states.reserve(shard_indexes.size());
  locks.reserve(shard_indexes.size());
  for (uint32_t index : shard_indexes) {
    states.push_back(state(ShardRef{stream_id, index}));
    if (locking == Locking::kIfFree) {
      locks.emplace_back(states.back()->append_mutex, std::try_to_lock);
      if (!locks.back().owns_lock()) return storage::Status::aborted("shard busy");
    } else {
      locks.emplace_back(states.back()->append_mutex);
    }
  }
  for (const auto& s : states) {
    if (!s->loaded.load(std::memory_order_relaxed))
      return s->load_status;  // the shard's end could not be read (load_state)
    if (s->closed) return storage::Status::aborted("shard closed by a reshard");
  }

  // Positions: each shard's records of this call take consecutive values from its counter,
  // reserved while the shard is locked, so a shard's positions only grow. Shards sharing a
  // counter reserve their values together (one atomic add per counter and call). Arrival times
  // are assigned on local copies; both are published only after the commit.
  Staged::PerShard<uint32_t> counts(shard_indexes.size(), 0);
  // Per request: its shard's slot.
  boost::container::small_vector<size_t, 2> slots(requests.size());
  for (size_t r = 0; r < requests.size(); ++r) {
    const size_t slot = static_cast<size_t>(
        std::lower_bound(shard_indexes.begin(), shard_indexes.end(), requests[r].shard_index) -
        shard_indexes.begin());
    slots[r] = slot;
    ++counts[slot];
    if (!states[slot]->counter) {
      storage::Status counted;
      states[slot]->counter = counter_for(ShardRef{stream_id, shard_indexes[slot]},
                                          requests[r].counter_group, *states[slot], &counted);
      if (!counted.is_ok()) return counted;
    }
  }
  Staged::PerShard<uint64_t> next(shard_indexes.size());
  Staged::PerShard<bool> reserved(shard_indexes.size(), false);
  for (size_t i = 0; i < shard_indexes.size(); ++i) {
    if (reserved[i]) continue;
    const Counter* counter = states[i]->counter.get();
    uint64_t total = 0;
    for (size_t j = i; j < shard_indexes.size(); ++j) {
      if (states[j]->counter.get() == counter) total += counts[j];
    }
    uint64_t at = states[i]->counter->fetch_add(total);
    for (size_t j = i; j < shard_indexes.size(); ++j) {
      if (states[j]->counter.get() != counter) continue;
      next[j] = at;
      at += counts[j];
      reserved[j] = true;
    }
  }
  Staged::PerShard<int64_t> latest(shard_indexes.size());
  for (size_t i = 0; i < shard_indexes.size(); ++i) latest[i] = states[i]->latest_arrival_ms.load();
  // One chunk per shard, its records in request order, keyed by its first position.
  Staged::PerShard<std::string> chunks(shard_indexes.size());
  Staged::PerShard<uint64_t> first_positions(next);
  Staged::PerShard<size_t> sizes(shard_indexes.size(), kChunkHeader);
  for (size_t r = 0; r < requests.size(); ++r) {
    sizes[slots[r]] +=
        kChunkRecordHeader + requests[r].partition_key.size() + requests[r].data.size();
  }
  for (size_t i = 0; i < shard_indexes.size(); ++i) {
    chunks[i].reserve(sizes[i]);
    start_chunk(chunks[i], counts[i]);
  }
  for (size_t r = 0; r < requests.size(); ++r) {
    const auto& request = requests[r];
    const size_t slot = slots[r];
    const uint64_t position = next[slot];
    const int64_t arrival = std::max(now_ms, latest[slot]);
    next[slot] = position + 1;
    latest[slot] = arrival;
    (*out)[r] = Appended{position, arrival};
    add_to_chunk(chunks[slot], arrival, request.partition_key, request.data);
  }
  batch.reserve(batch.size() + shard_indexes.size());
  for (size_t i = 0; i < shard_indexes.size(); ++i) {
    batch.put_owned(storage::Keyspace::kRecords,
                    record_key(ShardRef{stream_id, shard_indexes[i]}, first_positions[i]),
                    std::move(chunks[i]));
  }
  staged->log_ = this;
  staged->states_ = std::move(states);
  staged->locks_ = std::move(locks);
  staged->next_ = std::move(next);
  staged->latest_ = std::move(latest);
  staged->counts_ = std::move(counts);
  staged->bytes_.resize(sizes.size());
  for (size_t i = 0; i < sizes.size(); ++i) {
    staged->bytes_[i] = sizes[i] - kChunkHeader - staged->counts_[i] * kChunkRecordHeader;
  }
  return storage::Status::ok();
}

RecordLog::Staged& RecordLog::Staged::operator=(Staged&& other) noexcept {
  if (this != &other) {
    abandon();
    log_ = std::exchange(other.log_, nullptr);
    states_ = std::move(other.states_);
    locks_ = std::move(other.locks_);
    next_ = std::move(other.next_);
    latest_ = std::move(other.latest_);
    counts_ = std::move(other.counts_);
    bytes_ = std::move(other.bytes_);
  }
  return *this;
}

RecordLog::Staged::~Staged() { abandon(); }

void RecordLog::Staged::abandon() {
  // The reserved positions stay unused: a gap, as a group sibling's positions leave one.
  locks_.clear();
  states_.clear();
  log_ = nullptr;
}

void RecordLog::Staged::publish() {
  if (!log_) return;
  for (size_t i = 0; i < states_.size(); ++i) {
    states_[i]->latest_arrival_ms.store(latest_[i]);
    states_[i]->next_position.store(next_[i]);
    states_[i]->records_in.fetch_add(counts_[i], std::memory_order_relaxed);
    states_[i]->bytes_in.fetch_add(bytes_[i], std::memory_order_relaxed);
  }
  locks_.clear();
  // Wake push subscribers of every shard that received records.
  for (const auto& s : states_) {
    std::map<uint64_t, WaitCallback> callbacks;
    {
      std::lock_guard lock(s->waiters_mutex);
      callbacks.swap(s->waiters);
    }
    for (auto& [id, callback] : callbacks) callback();
  }
  states_.clear();
  log_ = nullptr;
}

storage::Status RecordLog::read(ShardRef shard, uint64_t from_position, int64_t not_before_ms,
                                size_t max_records, size_t max_bytes, ReadResult* out) {
  auto status = inspect(shard, from_position, not_before_ms, max_records, max_bytes, out);
  if (!out->records.empty()) {
    uint64_t bytes = 0;
    for (const auto& record : out->records)
      bytes += record.partition_key.size() + record.data.size();
    auto s = state(shard);
    s->records_out.fetch_add(out->records.size(), std::memory_order_relaxed);
    s->bytes_out.fetch_add(bytes, std::memory_order_relaxed);
  }
  return status;
}

std::vector<ShardTraffic> RecordLog::traffic() {
  std::vector<ShardTraffic> out;
  std::shared_lock lock(states_mutex_);
  out.reserve(states_.size());
  for (const auto& [shard, s] : states_) {
    out.push_back(ShardTraffic{shard, s->records_in.load(std::memory_order_relaxed),
                               s->bytes_in.load(std::memory_order_relaxed),
                               s->records_out.load(std::memory_order_relaxed),
                               s->bytes_out.load(std::memory_order_relaxed),
                               s->iterator_age_ms.load(std::memory_order_relaxed)});
  }
  return out;
}

void RecordLog::note_read_age(ShardRef shard, int64_t age_ms) {
  state(shard)->iterator_age_ms.store(std::max<int64_t>(0, age_ms), std::memory_order_relaxed);
}

int64_t iterator_age_ms(const ReadResult& read, int64_t now_ms) {
  if (read.reached_end || read.records.empty()) return 0;
  return std::max<int64_t>(0, now_ms - read.records.back().arrival_ms);
}

storage::Status RecordLog::inspect(ShardRef shard, uint64_t from_position, int64_t not_before_ms,
                                   size_t max_records, size_t max_bytes, ReadResult* out) {
  out->records.clear();
  out->next_position = from_position;
  out->reached_end = true;
  auto s = state(shard);
  out->latest_arrival_ms = s->latest_arrival_ms.load();
  const std::string prefix = shard_prefix(shard);
  storage::IteratorOptions options;
  options.lower_bound = prefix;
  options.upper_bound = storage::prefix_successor(prefix);
  auto it = engine_.iterate(storage::Keyspace::kRecords, options);
  size_t bytes = 0;
  for (bool found = seek_value_at(*it, shard, from_position); found && it->valid(); it->next()) {
    ValueReader reader;
    if (!reader.open(it->key(), it->value())) {
      return storage::Status::corruption("undecodable record");
    }
    RecordView record;
    while (reader.next(&record)) {
      if (record.position < from_position) continue;
      if (out->records.size() >= max_records || (!out->records.empty() && bytes >= max_bytes)) {
        out->reached_end = false;
        return it->status();
      }
      out->next_position = record.position + 1;
      if (record.arrival_ms < not_before_ms) continue;  // past retention, not yet trimmed
      const size_t size = record.data.size() + record.partition_key.size();
      if (!out->records.empty() && bytes + size > max_bytes) {
        out->next_position = record.position;
        out->reached_end = false;
        return it->status();
      }
      bytes += size;
      out->records.push_back(StoredRecord{record.position, record.arrival_ms,
                                          std::string(record.partition_key),
                                          std::string(record.data)});
    }
    if (!reader.ok()) return storage::Status::corruption("undecodable record");
  }
  return it->status();
}

uint64_t RecordLog::close_shard(ShardRef shard) {
  auto s = state(shard);
  std::lock_guard lock(s->append_mutex);
  s->closed = true;
  return s->next_position.load();
}

void RecordLog::wake_waiters(ShardRef shard) {
  auto s = find_state(shard);
  if (!s) return;
  std::map<uint64_t, WaitCallback> callbacks;
  {
    std::lock_guard lock(s->waiters_mutex);
    callbacks.swap(s->waiters);
  }
  for (auto& [id, callback] : callbacks) callback();
}

void RecordLog::reopen_shard(ShardRef shard) {
  auto s = state(shard);
  std::lock_guard lock(s->append_mutex);
  s->closed = false;
}

uint64_t RecordLog::next_position(ShardRef shard) { return state(shard)->next_position.load(); }

int64_t RecordLog::latest_arrival_ms(ShardRef shard) {
  return state(shard)->latest_arrival_ms.load();
}

uint64_t RecordLog::position_at_time(ShardRef shard, int64_t time_ms) {
  auto s = state(shard);
  const uint64_t end = s->next_position.load();
  const std::string prefix = shard_prefix(shard);
  storage::IteratorOptions options;
  options.lower_bound = prefix;
  options.upper_bound = storage::prefix_successor(prefix);
  auto it = engine_.iterate(storage::Keyspace::kRecords, options);
  // f(p) = arrival of the first record at or after p is non-decreasing in p: binary search
  // for the smallest p with f(p) >= time_ms, then take the record there.
  auto first_at_or_after = [&](uint64_t p, uint64_t* position, int64_t* arrival) {
    if (!seek_value_at(*it, shard, p)) return false;
    ValueReader reader;
    if (!reader.open(it->key(), it->value())) return false;
    RecordView record;
    while (reader.next(&record)) {
      if (record.position >= p) {
        *position = record.position;
        *arrival = record.arrival_ms;
        return true;
      }
    }
    return false;
  };
  uint64_t low = s->first_position.load(), high = end;
  while (low < high) {
    const uint64_t mid = low + (high - low) / 2;
    uint64_t position = 0;
    int64_t arrival = 0;
    if (first_at_or_after(mid, &position, &arrival) && arrival < time_ms) {
      low = position + 1;
    } else {
      high = mid;
    }
  }
  uint64_t position = 0;
  int64_t arrival = 0;
  if (first_at_or_after(low, &position, &arrival)) return position;
  return end;
}

uint64_t RecordLog::trim(ShardRef shard, int64_t cutoff_ms) {
  auto s = state(shard);
  const uint64_t first = s->first_position.load();
  if (s->next_position.load() <= first) return 0;  // empty
  auto delete_before = [&]() -> uint64_t {
    // The iterator (an implicit snapshot) must be gone before the compaction below.
    const std::string prefix = shard_prefix(shard);
    storage::IteratorOptions options;
    options.lower_bound = prefix;
    options.upper_bound = storage::prefix_successor(prefix);
    auto it = engine_.iterate(storage::Keyspace::kRecords, options);
    {
      // Cheap check first: nothing to do while the oldest record is within retention.
      ValueReader reader;
      RecordView oldest;
      if (seek_value_at(*it, shard, first) && reader.open(it->key(), it->value()) &&
          reader.next(&oldest) && oldest.arrival_ms >= cutoff_ms) {
        return first;
      }
    }
    const uint64_t keep_from = position_at_time(shard, cutoff_ms);
    if (keep_from <= first) return first;
    // Whole values only: a chunk holding keep_from stays (its expired records are hidden by
    // reads) until all of its records have expired.
    ValueReader holder;
    RecordView head;
    if (seek_value_at(*it, shard, keep_from) && holder.open(it->key(), it->value()) &&
        holder.next(&head) && head.position < keep_from) {
      return head.position;
    }
    return keep_from;
  };
  const uint64_t delete_end = delete_before();
  if (delete_end <= first) return 0;
  storage::WriteBatch batch;
  const std::string begin = record_key(shard, first), end = record_key(shard, delete_end);
  batch.delete_range(storage::Keyspace::kRecords, begin, end);
  if (!engine_.write(batch).is_ok()) return 0;
  s->first_position.store(delete_end);
  // Give the space back once enough has been deleted to be worth a compaction of the range;
  // smaller trims are left to the engine's own compactions.
  s->trimmed_since_compaction += delete_end - first;
  if (s->trimmed_since_compaction >= kCompactAfterTrimmedRecords) {
    engine_.compact_range(storage::Keyspace::kRecords, record_key(shard, 0), end);
    s->trimmed_since_compaction = 0;
  }
  return delete_end - first;
}

void RecordLog::drop_shard(ShardRef shard) {
  const std::string prefix = shard_prefix(shard);
  const std::string end = storage::prefix_successor(prefix);
  storage::WriteBatch batch;
  batch.delete_range(storage::Keyspace::kRecords, prefix, end);
  if (!engine_.write(batch).is_ok()) return;
  engine_.compact_range(storage::Keyspace::kRecords, prefix, end);
  std::unique_lock lock(states_mutex_);
  states_.erase(shard);
}

void RecordLog::forget_stream(uint64_t stream_id) {
  {
    std::unique_lock lock(states_mutex_);
    auto it = states_.lower_bound(ShardRef{stream_id, 0});
    while (it != states_.end() && it->first.stream_id == stream_id) it = states_.erase(it);
  }
  std::lock_guard lock(counters_mutex_);
  auto it = counters_.lower_bound({stream_id, 0});
  while (it != counters_.end() && it->first.first == stream_id) it = counters_.erase(it);
}

uint64_t RecordLog::notify_on_append(ShardRef shard, WaitCallback callback) {
  auto s = state(shard);
  std::lock_guard lock(s->waiters_mutex);
  const uint64_t id = s->next_waiter_id++;
  s->waiters.emplace(id, std::move(callback));
  return id;
}

void RecordLog::cancel_wait(ShardRef shard, uint64_t id) {
  auto s = find_state(shard);  // a forgotten (deleted) stream has no waiters to cancel
  if (!s) return;
  std::lock_guard lock(s->waiters_mutex);
  s->waiters.erase(id);
}

}  // namespace trib::streams
