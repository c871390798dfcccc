// The catalog of Kinesis streams of every account and region served by this process.
//
// Readers get immutable snapshots (shared_ptr<const Stream>) under a short shared lock.
// Mutations are serialized by one control-plane mutex (control operations are rare), build a
// new Stream, persist it in one atomic storage batch, then publish it. Lifecycle states are
// computed from timestamps and the one clock, so they survive restarts unchanged. A stream's
// pending reshard (stored with its time) is applied by the first find() or settle_due() at or
// after that time, exactly once; a restart before then applies it after loading.
// Storage keys are described in docs/storage-encoding.md.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "aws/error.h"
#include "kinesis/stream.h"
#include "storage/engine.h"
#include "util/clock.h"
#include "util/snapshot_map.h"

namespace trib::streams {
class RecordLog;
}

namespace trib::kinesis {

// Account-level settings of one account and region (DescribeAccountSettings). The minimum
// throughput billing commitment is stored as last written; effective_at() applies a pending
// disable whose earliest end has passed.
struct AccountSettings {
  std::string commitment_status =
      "DISABLED";  // ENABLED, DISABLED, ENABLED_UNTIL_EARLIEST_ALLOWED_END
  std::optional<int64_t> started_ms;
  std::optional<int64_t> ended_ms;
  std::optional<int64_t> earliest_end_ms;

  AccountSettings effective_at(int64_t now_ms) const;
};

class StreamCatalog {
 public:
  using StreamPtr = std::shared_ptr<const Stream>;

  // `records`: the record log whose shards a reshard closes (none in some unit tests).
  explicit StreamCatalog(storage::Engine& engine, streams::RecordLog* records = nullptr);
  // Loads every stream from storage; call once before serving.
  storage::Status load();

  // The live stream with this key, or nullptr when there is none (never created, or gone).
  // A pending reshard due at `now_ms` is applied first (logically const: the stream's state
  // at `now_ms` already includes it; applying stores and publishes that state).
  StreamPtr find(const StreamKey& key, int64_t now_ms) const;
  // Applies every pending reshard due at `now_ms` (the lifecycle tick).
  void settle_due(int64_t now_ms);
  // Live streams of one account and region, sorted by name.
  std::vector<StreamPtr> list(std::string_view account, std::string_view region,
                              int64_t now_ms) const;
  // Every live stream of every account and region.
  std::vector<StreamPtr> list_all(int64_t now_ms) const;
  // Open shards of live streams in one account and region (the shard limit counts these),
  // pending reshards included.
  int64_t open_shard_count(std::string_view account, std::string_view region, int64_t now_ms) const;
  // Live ON_DEMAND streams in one account and region (the on-demand stream limit counts these).
  int64_t on_demand_stream_count(std::string_view account, std::string_view region,
                                 int64_t now_ms) const;

  // Creates a stream from `prototype` (its id is assigned here). `admit` runs under the
  // control-plane lock with the current state, to enforce limits atomically.
  using Admission = std::function<aws::AwsResult<Ok>(const StreamCatalog&)>;
  aws::AwsResult<StreamPtr> create(Stream prototype, int64_t now_ms, const Admission& admit);

  // Replaces a live stream with a modified copy: `mutate` edits the copy or fails.
  using Mutation = std::function<aws::AwsResult<Ok>(Stream&)>;
  aws::AwsResult<StreamPtr> update(const StreamKey& key, int64_t now_ms, const Mutation& mutate);

  // Account settings of one account and region (defaults when never written).
  AccountSettings account_settings(std::string_view account, std::string_view region) const;
  // Edits the stored settings (persisted before they are published) and returns them.
  using AccountMutation = std::function<aws::AwsResult<Ok>(AccountSettings&)>;
  aws::AwsResult<AccountSettings> update_account_settings(std::string_view account,
                                                          std::string_view region,
                                                          const AccountMutation& mutate);

  // Removes streams whose deletion finished, with their records. Returns the incarnation
  // ids whose records were dropped.
  std::vector<uint64_t> purge_gone(int64_t now_ms);

 private:
  storage::Status persist(const Stream& stream, storage::WriteBatch& batch) const;
  // The stored stream, whatever its pending reshard (nullptr when none or gone).
  StreamPtr lookup(const StreamKey& key, int64_t now_ms) const;
  // Applies `current`'s pending reshard if due (control_mutex_ held): closes the parents in
  // the record log (after the appends in flight on them), persists, publishes, then wakes the
  // parents' waiters. Returns the stream now published.
  StreamPtr settle_locked(StreamPtr current, int64_t now_ms) const;
  uint64_t next_stream_id_locked(storage::WriteBatch& batch);

  storage::Engine& engine_;
  streams::RecordLog* records_;
  mutable std::shared_mutex settings_mutex_;  // guards account_settings_
  mutable std::mutex control_mutex_;          // serializes mutations (find() may apply a reshard)
  mutable SnapshotMap<StreamKey, Stream> streams_;
  std::map<std::pair<std::string, std::string>, AccountSettings>
      account_settings_;  // settings_mutex_
  uint64_t next_stream_id_ = 1;
  // Whether purge markers may exist in storage (set by load() and create(); cleared once
  // purge_gone() has dropped them), so the lifecycle job does not scan for them every tick.
  bool purge_markers_pending_ = true;
};

// Serialized form of a stream (version byte + JSON), exposed for tests.
std::string encode_stream(const Stream& stream);
std::optional<Stream> decode_stream(std::string_view bytes);
std::string encode_account_settings(const AccountSettings& settings);
std::optional<AccountSettings> decode_account_settings(std::string_view bytes);

}  // namespace trib::kinesis
