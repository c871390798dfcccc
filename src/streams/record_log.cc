#include "streams/record_log.h"

#include <algorithm>
#include <limits>

#include "storage/keys.h"

namespace trib::streams {

namespace {

constexpr uint8_t kRecordTag = 'R';
constexpr uint8_t kRecordValueVersion = 1;
constexpr uint64_t kCompactAfterTrimmedRecords = 10'000;

std::string shard_prefix(ShardRef shard) {
  return storage::KeyBuilder().u8(kRecordTag).u64(shard.stream_id).u32(shard.shard_index).take();
}

void put_i64(std::string& out, int64_t v) {
  const auto u = static_cast<uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((u >> shift) & 0xff));
}

int64_t get_i64(std::string_view in) {
  uint64_t u = 0;
  for (int i = 0; i < 8; ++i) u = (u << 8) | static_cast<uint8_t>(in[i]);
  return static_cast<int64_t>(u);
}

// Value: version | arrival ms (i64 BE) | partition key length (u16 BE) | partition key | data
std::string encode_record(int64_t arrival_ms, std::string_view partition_key, std::string_view data) {
  std::string out;
  out.reserve(11 + partition_key.size() + data.size());
  out.push_back(static_cast<char>(kRecordValueVersion));
  put_i64(out, arrival_ms);
  out.push_back(static_cast<char>((partition_key.size() >> 8) & 0xff));
  out.push_back(static_cast<char>(partition_key.size() & 0xff));
  out.append(partition_key);
  out.append(data);
  return out;
}

bool decode_arrival(std::string_view value, int64_t* arrival_ms) {
  if (value.size() < 11 || static_cast<uint8_t>(value[0]) != kRecordValueVersion) return false;
  *arrival_ms = get_i64(value.substr(1));
  return true;
}

bool decode_record(std::string_view value, StoredRecord* out) {
  if (!decode_arrival(value, &out->arrival_ms)) return false;
  const size_t key_length = (static_cast<uint8_t>(value[9]) << 8) | static_cast<uint8_t>(value[10]);
  if (value.size() < 11 + key_length) return false;
  out->partition_key.assign(value.substr(11, key_length));
  out->data.assign(value.substr(11 + key_length));
  return true;
}

bool position_of(std::string_view key, uint64_t* position) {
  if (key.size() < 8) return false;
  storage::KeyReader reader(key.substr(key.size() - 8));
  return reader.u64(position);
}

}  // namespace

struct RecordLog::ShardState {
  std::mutex append_mutex;
  bool loaded = false;  // guarded by append_mutex
  bool closed = false;  // guarded by append_mutex
  std::atomic<uint64_t> next_position{0};
  std::atomic<int64_t> latest_arrival_ms{0};
  std::atomic<uint64_t> first_position{0};
  uint64_t trimmed_since_compaction = 0;  // the lifecycle thread's only

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
  if (state.loaded) return;
  const std::string prefix = shard_prefix(shard);
  storage::IteratorOptions options;
  options.lower_bound = prefix;
  options.upper_bound = storage::prefix_successor(prefix);
  auto it = engine_.iterate(storage::Keyspace::kRecords, options);
  it->seek_to_last();
  uint64_t position = 0;
  int64_t arrival = 0;
  if (it->valid() && position_of(it->key(), &position) && decode_arrival(it->value(), &arrival)) {
    state.next_position.store(position + 1);
    state.latest_arrival_ms.store(arrival);
    it->seek_to_first();
    if (it->valid() && position_of(it->key(), &position)) state.first_position.store(position);
  }
  state.loaded = true;
}

std::shared_ptr<RecordLog::ShardState> RecordLog::find_state(ShardRef shard) {
  std::shared_lock lock(states_mutex_);
  auto it = states_.find(shard);
  return it == states_.end() ? nullptr : it->second;
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
  if (!found->loaded) {
    std::lock_guard lock(found->append_mutex);
    load_state(shard, *found);
  }
  return found;
}

storage::Status RecordLog::append(uint64_t stream_id, std::span<const AppendRequest> requests,
                                  int64_t now_ms, bool sync, std::vector<Appended>* out) {
  out->assign(requests.size(), Appended{});
  // Lock every shard involved, in index order (no deadlock between concurrent batches).
  std::vector<uint32_t> shard_indexes;
  shard_indexes.reserve(requests.size());
  for (const auto& r : requests) shard_indexes.push_back(r.shard_index);
  std::sort(shard_indexes.begin(), shard_indexes.end());
  shard_indexes.erase(std::unique(shard_indexes.begin(), shard_indexes.end()), shard_indexes.end());
  std::vector<std::shared_ptr<ShardState>> states;
  std::vector<std::unique_lock<std::mutex>> locks;
  states.reserve(shard_indexes.size());
  locks.reserve(shard_indexes.size());
  for (uint32_t index : shard_indexes) {
    states.push_back(state(ShardRef{stream_id, index}));
    locks.emplace_back(states.back()->append_mutex);
  }
  for (const auto& s : states) {
    if (s->closed) return storage::Status::aborted("shard closed by a reshard");
  }
  auto state_of = [&](uint32_t index) -> ShardState& {
    auto pos = std::lower_bound(shard_indexes.begin(), shard_indexes.end(), index);
    return *states[static_cast<size_t>(pos - shard_indexes.begin())];
  };

  // Assign positions and arrival times on local copies; publish only after the commit.
  std::vector<uint64_t> next(shard_indexes.size());
  std::vector<int64_t> latest(shard_indexes.size());
  for (size_t i = 0; i < shard_indexes.size(); ++i) {
    next[i] = states[i]->next_position.load();
    latest[i] = states[i]->latest_arrival_ms.load();
  }
  storage::WriteBatch batch;
  batch.reserve(requests.size());
  for (size_t r = 0; r < requests.size(); ++r) {
    const auto& request = requests[r];
    const size_t slot = static_cast<size_t>(
        std::lower_bound(shard_indexes.begin(), shard_indexes.end(), request.shard_index) -
        shard_indexes.begin());
    const uint64_t position = next[slot];
    const int64_t arrival = std::max(now_ms, latest[slot]);
    next[slot] = position + 1;
    latest[slot] = arrival;
    (*out)[r] = Appended{position, arrival};
    batch.put_owned(storage::Keyspace::kRecords, record_key(ShardRef{stream_id, request.shard_index}, position),
                    encode_record(arrival, request.partition_key, request.data));
  }
  auto status = engine_.write(batch, storage::WriteOptions{sync});
  if (!status.is_ok()) return status;
  for (size_t i = 0; i < shard_indexes.size(); ++i) {
    states[i]->latest_arrival_ms.store(latest[i]);
    states[i]->next_position.store(next[i]);
  }
  locks.clear();
  // Wake push subscribers of every shard that received records.
  for (uint32_t index : shard_indexes) {
    ShardState& s = state_of(index);
    std::map<uint64_t, WaitCallback> callbacks;
    {
      std::lock_guard lock(s.waiters_mutex);
      callbacks.swap(s.waiters);
    }
    for (auto& [id, callback] : callbacks) callback();
  }
  return status;
}

storage::Status RecordLog::read(ShardRef shard, uint64_t from_position, int64_t not_before_ms,
                                size_t max_records, size_t max_bytes, ReadResult* out) {
  out->records.clear();
  out->next_position = from_position;
  out->reached_end = true;
  auto s = state(shard);
  out->latest_arrival_ms = s->latest_arrival_ms.load();
  const std::string prefix = shard_prefix(shard);
  storage::IteratorOptions options;
  options.lower_bound = record_key(shard, from_position);
  options.upper_bound = storage::prefix_successor(prefix);
  auto it = engine_.iterate(storage::Keyspace::kRecords, options);
  size_t bytes = 0;
  for (it->seek(*options.lower_bound); it->valid(); it->next()) {
    if (out->records.size() >= max_records || (!out->records.empty() && bytes >= max_bytes)) {
      out->reached_end = false;
      break;
    }
    uint64_t position = 0;
    if (!position_of(it->key(), &position)) continue;
    StoredRecord record;
    if (!decode_record(it->value(), &record)) {
      return storage::Status::corruption("undecodable record");
    }
    out->next_position = position + 1;
    if (record.arrival_ms < not_before_ms) continue;  // past retention, not yet trimmed
    const size_t size = record.data.size() + record.partition_key.size();
    if (!out->records.empty() && bytes + size > max_bytes) {
      out->next_position = position;
      out->reached_end = false;
      break;
    }
    bytes += size;
    record.position = position;
    out->records.push_back(std::move(record));
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

int64_t RecordLog::latest_arrival_ms(ShardRef shard) { return state(shard)->latest_arrival_ms.load(); }

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
    it->seek(record_key(shard, p));
    return it->valid() && position_of(it->key(), position) && decode_arrival(it->value(), arrival);
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
  {
    // Cheap check first: nothing to do while the oldest record is within retention.
    std::string value;
    int64_t oldest = 0;
    auto status = engine_.get(storage::Keyspace::kRecords, record_key(shard, first), &value);
    if (status.is_ok() && decode_arrival(value, &oldest) && oldest >= cutoff_ms) return 0;
  }
  const uint64_t keep_from = position_at_time(shard, cutoff_ms);
  if (keep_from <= first) return 0;
  storage::WriteBatch batch;
  const std::string begin = record_key(shard, first), end = record_key(shard, keep_from);
  batch.delete_range(storage::Keyspace::kRecords, begin, end);
  if (!engine_.write(batch).is_ok()) return 0;
  s->first_position.store(keep_from);
  // Give the space back once enough has been deleted to be worth a compaction of the range;
  // smaller trims are left to the engine's own compactions.
  s->trimmed_since_compaction += keep_from - first;
  if (s->trimmed_since_compaction >= kCompactAfterTrimmedRecords) {
    engine_.compact_range(storage::Keyspace::kRecords, record_key(shard, 0), end);
    s->trimmed_since_compaction = 0;
  }
  return keep_from - first;
}

void RecordLog::forget_stream(uint64_t stream_id) {
  std::unique_lock lock(states_mutex_);
  auto it = states_.lower_bound(ShardRef{stream_id, 0});
  while (it != states_.end() && it->first.stream_id == stream_id) it = states_.erase(it);
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
