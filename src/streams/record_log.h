// The record log: every stream's records, per shard, in storage. Kinesis streams use it now;
// DynamoDB table streams and the Kinesis streaming destination will use it with their own
// identifiers and formats.
//
// A record has a position in its shard (stream incarnation id, shard index, position). One
// append stores each shard's records as one chunk, keyed by its first position
// (docs/storage-encoding.md). Positions increase strictly within a shard, arrival times never
// decrease within a shard, so both "read from a position" and "find the first record at or
// after a time" are seeks, never scans.
// Positions come from a counter: the shard's own (consecutive positions), or one a counter group
// of shards shares (AppendRequest::counter_group): every record of the group then has its own
// position, and a shard's positions have gaps where other shards of the group took values. A
// group's counter lives in memory as one atomic, derived when first used from what is stored
// (past the highest position stored in the stream), so nothing authoritative is only in memory.
// Appends to one shard are serialized by that shard's mutex and committed in one storage batch
// with everything else in the call; appends to different shards and streams run in parallel;
// readers take no lock.
#pragma once

#include <atomic>
#include <boost/container/small_vector.hpp>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/engine.h"

namespace trib::streams {

struct ShardRef {
  uint64_t stream_id = 0;
  uint32_t shard_index = 0;
  auto operator<=>(const ShardRef&) const = default;
};

// AppendRequest::counter_group for a shard that counts its positions alone.
inline constexpr uint64_t kOwnCounter = ~uint64_t{0};

struct AppendRequest {
  uint32_t shard_index = 0;
  std::string_view partition_key;
  std::string_view data;
  // Shards of one stream that name the same group share one position counter; every request
  // for a shard must name the same group (the first one seen for the shard is kept).
  uint64_t counter_group = kOwnCounter;
};

struct Appended {
  uint64_t position = 0;
  int64_t arrival_ms = 0;
};

struct StoredRecord {
  uint64_t position = 0;
  int64_t arrival_ms = 0;
  std::string partition_key;
  std::string data;
};

struct ReadResult {
  std::vector<StoredRecord> records;
  // Where the next read should start (one past the last record returned, or the start when
  // nothing was returned).
  uint64_t next_position = 0;
  // Arrival time of the shard's newest record (0 when empty).
  int64_t latest_arrival_ms = 0;
  bool reached_end = false;  // nothing newer than next_position exists right now
};

// A shard's traffic since the process started: records and bytes (partition key + data)
// appended, and handed out by read().
struct ShardTraffic {
  ShardRef shard;
  uint64_t records_in = 0;
  uint64_t bytes_in = 0;
  uint64_t records_out = 0;
  uint64_t bytes_out = 0;
  // The age of the last record the shard's latest counted read returned (note_read_age), -1
  // before any.
  int64_t iterator_age_ms = -1;
};

// CloudWatch's IteratorAgeMilliseconds of one read at `now_ms` [V: Kinesis Data Streams
// Developer Guide, "Monitor the Amazon Kinesis Data Streams service with Amazon CloudWatch",
// shard-level metrics: "the age of the last record in all GetRecords calls made against a
// shard ... Age is the difference between the current time and when the last record of the
// GetRecords call was written to the stream ... A value of zero indicates that the records
// being read are completely caught up"]: 0 for a read that reached the newest record, else
// now minus the arrival time of the last record returned.
int64_t iterator_age_ms(const ReadResult& read, int64_t now_ms);

class RecordLog {
  struct ShardState;

 public:
  explicit RecordLog(storage::Engine& engine);
  ~RecordLog();

  // Appends all records in one atomic batch; fills `out` (same order as `requests`). The records
  // of one shard in one call take consecutive positions, in request order.
  // `sync`: fsync before returning (durable mode). Arrival times are max(now, last arrival).
  // Status::aborted (nothing written) when a target shard was closed by close_shard: the
  // caller routes again with the stream's new shards.
  // `with`: the caller's own mutations, committed in the same atomic batch as the records (the
  // Kinesis streaming destination removes its outbox entries so: both or neither survive a
  // crash). Nothing of it is written when the append is refused.
  storage::Status append(uint64_t stream_id, std::span<const AppendRequest> requests,
                         int64_t now_ms, bool sync, std::vector<Appended>* out,
                         const storage::WriteBatch* with = nullptr);

  // An append whose records commit in the caller's own batch (append() is stage, write,
  // publish). Holds the target shards' append mutexes from stage() until publish() or
  // abandon() (or its destruction): so a shard's records still commit in position order, and the
  // caller must commit or give up its batch promptly, never waiting for anything that could
  // wait on one of those shards.
  class Staged {
   public:
    Staged() = default;
    Staged(Staged&& other) noexcept { *this = std::move(other); }
    Staged& operator=(Staged&& other) noexcept;
    ~Staged();
    explicit operator bool() const { return log_ != nullptr; }
    // After the caller's batch committed: the records become visible to LATEST and to push
    // subscribers (woken here), and the shards are released.
    void publish();
    // The batch was not committed: the shards are released; the positions reserved stay unused
    // (a gap, which readers already meet where group siblings took positions).
    void abandon();

   private:
    friend class RecordLog;
    // One element per shard the call touches: mostly one (a PutRecord, a destination record),
    // so kept inline (stage() made about fifteen allocations per record with std::vector).
    template <class T>
    using PerShard = boost::container::small_vector<T, 2>;
    RecordLog* log_ = nullptr;
    PerShard<std::shared_ptr<ShardState>> states_;
    PerShard<std::unique_lock<std::mutex>> locks_;
    PerShard<uint64_t> next_;
    PerShard<int64_t> latest_;
    PerShard<uint32_t> counts_;
    PerShard<size_t> bytes_;
  };
  // The first half of append(): reserves positions and adds one chunk per shard to `batch`
  // (after what it holds); `staged` then holds the shards. Refused as append() refuses (nothing
  // added, nothing held). kWait waits for the shards' mutexes as append() does; kIfFree refuses
  // with Status::aborted when one is held by another append (a producer that must not wait).
  enum class Locking : uint8_t { kWait, kIfFree };
  storage::Status stage(uint64_t stream_id, std::span<const AppendRequest> requests, int64_t now_ms,
                        storage::WriteBatch& batch, std::vector<Appended>* out, Staged* staged,
                        Locking locking = Locking::kWait);

  // Records of one shard from `from_position`, skipping any that arrived before
  // `not_before_ms` (retention), at most `max_records` and about `max_bytes` of data (at least
  // one record is returned if any is available).
  storage::Status read(ShardRef shard, uint64_t from_position, int64_t not_before_ms,
                       size_t max_records, size_t max_bytes, ReadResult* out);

  // read() for onlookers (the web console's live tail): not counted as traffic out.
  storage::Status inspect(ShardRef shard, uint64_t from_position, int64_t not_before_ms,
                          size_t max_records, size_t max_bytes, ReadResult* out);
  // Traffic of every shard used since the process started (metrics).
  std::vector<ShardTraffic> traffic();
  // Records the iterator age of a consumer's read of the shard, for the IteratorAgeMilliseconds
  // metric: GetRecords (CloudWatch's definition) and also SubscribeToShard reads (which
  // CloudWatch reports apart, as SubscribeToShardEvent.MillisBehindLatest).
  void note_read_age(ShardRef shard, int64_t age_ms);

  // The position the next append to this shard would get (LATEST).
  uint64_t next_position(ShardRef shard);
  // The first position whose record arrived at or after `time_ms` (next_position when none).
  uint64_t position_at_time(ShardRef shard, int64_t time_ms);
  // Newest arrival time in the shard, 0 when it has no record.
  int64_t latest_arrival_ms(ShardRef shard);

  // Closes a shard to appends (a reshard made it a parent) once every append in flight on it
  // has committed; returns the position after its last record. Closing is in memory only:
  // after a restart the stream's metadata, which says which shards are closed, routes writes.
  uint64_t close_shard(ShardRef shard);
  // Runs the shard's notify_on_append waiters now: after a reshard that closed the shard is
  // published, so push subscribers learn at once that it has ended.
  void wake_waiters(ShardRef shard);
  // Undoes close_shard (the reshard that closed it could not be stored).
  void reopen_shard(ShardRef shard);

  // Deletes records of a shard that arrived before `cutoff_ms`, whole chunks only (a chunk
  // that still holds a newer record stays; reads hide its expired ones); returns how many
  // positions were released — 0 when nothing was trimmed.
  uint64_t trim(ShardRef shard, int64_t cutoff_ms);
  // Deletes every record of one shard and forgets it (a closed shard past retention).
  void drop_shard(ShardRef shard);
  // Drops in-memory state of a deleted stream incarnation (its data is deleted elsewhere).
  void forget_stream(uint64_t stream_id);

  // Push delivery (SubscribeToShard): a one-shot callback run on the appending thread right
  // after the next append to the shard commits (or wake_waiters); returns an id usable with
  // cancel_wait.
  using WaitCallback = std::function<void()>;
  uint64_t notify_on_append(ShardRef shard, WaitCallback callback);
  void cancel_wait(ShardRef shard, uint64_t id);

  // Key helpers, exposed for tests and for stream deletion.
  static std::string record_key(ShardRef shard, uint64_t position);
  static std::string stream_prefix(uint64_t stream_id);

 private:
  using Counter = std::atomic<uint64_t>;
  std::shared_ptr<ShardState> state(ShardRef shard);       // created (and loaded) on first use
  std::shared_ptr<ShardState> find_state(ShardRef shard);  // nullptr when not in memory
  void load_state(ShardRef shard, ShardState& state);
  // The counter a shard takes positions from (called with the shard's append mutex held);
  // nullptr with the status when the stored positions could not be read.
  std::shared_ptr<Counter> counter_for(ShardRef shard, uint64_t group, const ShardState& state,
                                       storage::Status* status);
  // One past the highest position stored in any shard of the stream.
  storage::Status stream_end_position(uint64_t stream_id, uint64_t* end);

  storage::Engine& engine_;
  std::shared_mutex states_mutex_;
  std::map<ShardRef, std::shared_ptr<ShardState>> states_;
  std::mutex counters_mutex_;
  std::map<std::pair<uint64_t, uint64_t>, std::shared_ptr<Counter>> counters_;  // (stream, group)
};

}  // namespace trib::streams
