// A Kinesis stream's metadata: identity, lifecycle, shards and settings. Immutable once
// published by the catalog (copy-on-write), so readers never lock.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "streams/hash_range.h"
#include "streams/reshard.h"
#include "streams/retention.h"
#include "streams/sequence_number.h"
#include "streams/shard_map.h"

namespace trib::kinesis {

enum class StreamStatus : uint8_t { kCreating, kActive, kUpdating, kDeleting };
const char* status_name(StreamStatus status);

struct StreamKey {
  std::string account;
  std::string region;
  std::string name;
  auto operator<=>(const StreamKey&) const = default;
};

// A Kinesis shard: the shared shard (streams/shard_map.h; a reshard sets closed_ms) with
// Kinesis's shard id. Its sequence numbers are the record log's (streams/sequence_number.h).
struct Shard : streams::Shard {
  std::string shard_id() const;  // "shardId-000000000000"
};

// A reshard (streams/reshard.h): which open shards close and which shards are added.
using ReshardPlan = streams::ReshardPlan<Shard>;

// A reshard waiting for the end of its stream's UPDATING period: as on AWS, the old shards are
// shown and take the records until then. The catalog applies it on the first access or
// lifecycle tick at or after `at_ms` (StreamCatalog::find), exactly once.
using PendingReshard = streams::PendingReshard<Shard>;

std::string shard_id_for(uint32_t index);
// Parses "shardId-000000000007" to 7 (strict: the form Tributary itself hands out).
std::optional<uint32_t> parse_shard_id(std::string_view shard_id);
// AWS's reading of a ShardId argument: the digits after the first '-' (or the whole id when
// there is none), at most 2147483647. "shardId-7", "anything-0007" and "7" all name shard 7.
std::optional<uint32_t> parse_shard_id_leniently(std::string_view shard_id);

struct Stream {
  uint64_t id = 0;  // incarnation id: never reused, keys all of this stream's data
  StreamKey key;
  std::string mode = "PROVISIONED";  // or "ON_DEMAND"
  int64_t created_ms = 0;
  int64_t active_at_ms = 0;       // CREATING until then
  int64_t updating_until_ms = 0;  // UPDATING until then (encryption, mode, size changes)
  std::optional<int64_t> deleting_since_ms;
  int64_t gone_at_ms = std::numeric_limits<int64_t>::max();
  int32_t retention_hours = 24;
  // Records that arrived before this had expired when retention was last increased; a longer
  // period never brings them back.
  int64_t expired_before_ms = 0;
  std::vector<Shard> shards;
  std::vector<std::pair<std::string, std::string>> tags;
  std::string encryption_type = "NONE";
  std::string key_id;
  std::vector<std::string> shard_level_metrics;
  int64_t max_record_size_kib = 1024;  // largest record Data accepted (UpdateMaxRecordSize)
  // UpdateStreamWarmThroughput: the target, and what was in force before the last change
  // (reported as CurrentMiBps while the stream is UPDATING).
  std::optional<int64_t> warm_throughput_mibps;
  std::optional<int64_t> previous_warm_throughput_mibps;
  std::optional<std::string> resource_policy;  // PutResourcePolicy document, as given
  // When UpdateShardCount ran within the last 24 hours (its rate limit).
  std::vector<int64_t> shard_count_updates_ms;
  std::optional<PendingReshard> pending_reshard;

  StreamStatus status(int64_t now_ms) const;
  // The stream's retention constants (streams/retention.h): its RetentionPeriodHours; a record
  // can arrive in the millisecond a reshard closes its shard.
  streams::RetentionRule retention_rule() const {
    return {.period_ms = int64_t{retention_hours} * streams::kHourMs,
            .closing_ms_holds_records = true};
  }
  // Records that arrived before this time are past retention at `now_ms`.
  int64_t retention_cutoff_ms(int64_t now_ms) const {
    return retention_rule().cutoff_ms(now_ms, expired_before_ms);
  }
  // Whether records can be written and read (ACTIVE or UPDATING).
  bool accepts_records(int64_t now_ms) const;
  // Starts an UPDATING period of `duration_ms` (a zero duration leaves the stream ACTIVE).
  void start_update(int64_t now_ms, int64_t duration_ms) {
    updating_until_ms = std::max(updating_until_ms, now_ms + duration_ms);
  }
  const Shard* find_shard(uint32_t index) const;
  // A closed shard expires once every record it can hold is past retention: it is then left
  // out of DescribeStream and ListShards and cannot be read.
  bool shard_expired(const Shard& shard, int64_t now_ms) const {
    return retention_rule().shard_expired(shard, retention_cutoff_ms(now_ms));
  }
  // find_shard, without expired shards.
  const Shard* find_live_shard(uint32_t index, int64_t now_ms) const;
  // Shards whose parent or adjacent parent is `index`, in index order.
  std::vector<const Shard*> children_of(uint32_t index) const;
  // The index the next new shard gets (indexes are never reused, pending shards count).
  uint32_t next_shard_index() const;
  // Whether the pending reshard is due at `now_ms` (never for a stream being deleted).
  bool reshard_due(int64_t now_ms) const {
    return pending_reshard && now_ms >= pending_reshard->at_ms && !deleting_since_ms;
  }
  // Applies the pending reshard at `switch_ms`: its parents close and its shards are created
  // then. Returns the parents (to close in the record log). Nothing when there is none.
  std::vector<uint32_t> apply_pending_reshard(int64_t switch_ms);
  // The open shard whose hash-key range contains `hash_key`.
  const Shard* shard_for_hash_key(streams::uint128 hash_key) const;
  bool is_gone(int64_t now_ms) const { return now_ms >= gone_at_ms; }
  std::string arn() const;
  int64_t open_shard_count() const;
  // Open shards once the pending reshard (if any) is applied: what the shard limit counts.
  int64_t open_shard_count_after_reshard() const;
};

std::string stream_arn(const StreamKey& key);

// What a ResourceARN (TagResource, PutResourcePolicy, ...) names: a stream, or a consumer of
// one ("arn:aws:kinesis:R:A:stream/S/consumer/C:1700000000"). nullopt for anything else.
struct ResourceRef {
  StreamKey stream;
  std::optional<std::string> consumer_name;
};
std::optional<ResourceRef> parse_resource_arn(std::string_view arn);

// AWS's tag character rules: Unicode letters, digits, spaces and _ . / = + - @ are allowed;
// '%' passes the first check but is refused by a second one with its own message.
enum class TagTextProblem : uint8_t { kNone, kInvalidCharacter, kPercent };
TagTextProblem tag_text_problem(std::string_view text);
// The problem AWS reports for a set of tag texts: an invalid character anywhere wins over '%'.
TagTextProblem worst_tag_problem(const std::vector<std::string_view>& texts);
inline constexpr size_t kMaxTagsPerStream = 50;

// KMS key identifiers StartStreamEncryption accepts: a key id (UUID), "alias/NAME", or the
// ARN of a key or an alias. No KMS is consulted.
enum class KeyIdProblem : uint8_t { kNone, kMalformedArn, kMalformedId };
KeyIdProblem key_id_problem(std::string_view key_id);

// Every shard-level metric, in the model's order ("ALL" expands to these).
const std::vector<std::string>& all_shard_level_metrics();

// The shard a number names as AWS prints it: the shard field is a signed 32-bit int, so
// 0x80000000 is "shardId--02147483648".
std::string encoded_shard_id(const streams::SequenceNumberTarget& target);

}  // namespace trib::kinesis
