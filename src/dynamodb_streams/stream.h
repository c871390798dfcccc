// A DynamoDB table stream: its identity, its shards (computed from its times and the one clock,
// never scheduled), its sequence numbers and its shard iterators. docs/dynamodb-streams.md has
// the design; facts: ../shared/facts/dynamodb-streams-and-destination.md (§ numbers below).
//
// Shards. A stream has `partitions` shard chains (4: [P] on-demand tables often start with 4
// shards, §4). An item's records go to the chain of its partition-key hash's top bits, so one
// item's records stay in one chain in write order. Every shard rolls over to one child after
// `rollover_ms` (default 4 h, [D] §4): shard (p, e) of chain p is open during
//   [created + e * rollover_ms + p, created + (e + 1) * rollover_ms + p)
// and its child (p, e + 1) is created at the instant it closes, so a closed shard's child
// always exists. A disable closes every open shard at the disable time, without children.
// A shard is listed until it has been closed for the retention period (24 h, §2).
//
// Shard ids: "shardId-<creation epoch ms, 20 digits>-<8 hex>" ([V][D] §3); the `+ p` above
// gives the chains distinct creation times, so lexical order is creation order. The hex part
// is a hash of (table incarnation, label, chain, epoch): a made-up id is refused.
//
// Sequence numbers: 21 decimal digits "<p + 1><e, 8 digits><n, 12 digits>" ([V] 21 to 40
// digits, §7), n counting the shard's records from 1; n = 0 is the shard's
// StartingSequenceNumber (and EndingSequenceNumber of a shard closed without records). Strictly
// increasing within a shard, children above parents; decodable to the shard, so a number of another
// shard is detected.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "dynamodb/tables/table.h"
#include "streams/retention.h"
#include "streams/shard_iterator.h"
#include "streams/shard_map.h"
#include "util/sealed_token.h"

namespace trib::dynamodb_streams {

inline constexpr int64_t kRetentionMs = 24 * streams::kHourMs;         // [V] §2
inline constexpr int64_t kIteratorLifetimeMs = 15LL * 60 * 1000;       // [V] §8
inline constexpr int64_t kDefaultRolloverMs = 4LL * 3600 * 1000;       // [D] §4
inline constexpr int64_t kMinRolloverMs = 1000;                        // keeps chains apart
inline constexpr uint32_t kDefaultPartitions = 4;                      // [P] §4
inline constexpr uint64_t kMaxRecordsPerShard = 1'000'000'000'000ULL;  // 12 digits of n

// DynamoDB Streams' retention constants (streams/retention.h): 24 hours; a shard's newest
// record arrived before the millisecond it closed (a rollover's child takes that millisecond).
inline constexpr streams::RetentionRule kRetention{.period_ms = kRetentionMs,
                                                   .closing_ms_holds_records = false};
// Records that arrived before this are past retention at `now_ms`.
inline int64_t retention_cutoff_ms(int64_t now_ms) { return kRetention.cutoff_ms(now_ms); }

struct StreamKey {
  std::string account;
  std::string region;
  std::string table;
  int64_t label_ms = 0;
  auto operator<=>(const StreamKey&) const = default;
};

struct ShardPos {
  uint32_t partition = 0;
  uint32_t epoch = 0;
  auto operator<=>(const ShardPos&) const = default;
};

struct StreamInfo {
  StreamKey key;
  uint64_t table_id = 0;  // the table incarnation whose items it records
  std::string view_type;  // KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES
  dynamodb::KeySchema key_schema;
  uint32_t partitions = kDefaultPartitions;
  int64_t rollover_ms = kDefaultRolloverMs;
  std::optional<int64_t> disabled_ms;  // a disable or the table's deletion

  std::string arn() const;
  std::string label() const;
  int64_t created_ms() const { return key.label_ms; }
  // Gone (ResourceNotFoundException, its data purged) 24 h after it was disabled.
  int64_t gone_at_ms() const {
    return disabled_ms ? *disabled_ms + kRetentionMs : std::numeric_limits<int64_t>::max();
  }
  bool is_gone(int64_t now_ms) const { return now_ms >= gone_at_ms(); }
  bool enabled_at(int64_t now_ms) const { return !disabled_ms || now_ms < *disabled_ms; }

  // The chain of an item whose partition key hashes to `partition_hash`.
  uint32_t partition_of(uint64_t partition_hash) const;
  // The epoch of chain p that is open at `time_ms` (0 before the stream's creation).
  uint32_t epoch_at(uint32_t partition, int64_t time_ms) const;
  int64_t shard_created_ms(ShardPos pos) const;
  // When the shard closes: its rollover or the disable, whichever comes first.
  int64_t shard_closes_ms(ShardPos pos) const;
  bool shard_closed(ShardPos pos, int64_t now_ms) const { return now_ms >= shard_closes_ms(pos); }
  // Listed and readable: created, and not closed for longer than the retention period.
  bool shard_visible(ShardPos pos, int64_t now_ms) const;
  // The newest shard of chain p existing at `now_ms` (a disabled stream: the one it closed).
  uint32_t last_epoch(uint32_t partition, int64_t now_ms) const;

  // The shards listed at `now_ms` (created, and not closed for longer than retention) in the
  // shared shard model (streams/shard_map.h), in creation order: closed_ms once closed, the
  // rollover parent as parent_index. (Hash ranges are not used: DynamoDB Streams shows none.)
  std::vector<streams::Shard> shards(int64_t now_ms) const;
  // A shard's index in that model: epoch-major, so index order is creation order (chain p's
  // shards are created p ms after chain 0's, and a rollover period is at least 1 s).
  uint32_t shard_index(ShardPos pos) const { return pos.epoch * partitions + pos.partition; }
  ShardPos shard_pos(uint32_t index) const { return {index % partitions, index / partitions}; }

  std::string shard_id(ShardPos pos) const;
  // The shard a well-formed id names, if it is one of this stream's (existing or not yet).
  std::optional<ShardPos> parse_shard_id(std::string_view id) const;
};

// "arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>" -> the stream's key;
// nullopt when `arn` is not one (also for a label that is not a stream label).
std::optional<StreamKey> parse_stream_arn(std::string_view arn);
// "YYYY-MM-DDTHH:MM:SS.mmm" -> epoch ms.
std::optional<int64_t> parse_stream_label(std::string_view label);

std::string format_sequence_number(ShardPos pos, uint64_t n);
struct SequenceNumber {
  ShardPos shard;
  uint64_t n = 0;
};
// nullopt when `decimal` is not a number of our 21-digit layout (§7 allows 21 to 40 digits; a
// well-formed number of another layout is "not in this shard").
std::optional<SequenceNumber> parse_sequence_number(std::string_view decimal);
// Whether `text` is 21 to 40 decimal digits (the model's shape: [V] §7).
bool is_sequence_number_shape(std::string_view text);

// DynamoDB Streams' iterator format over the shared sealed iterators
// (streams/shard_iterator.h): "<stream arn>|1|<sealed>" ([V] §8), expiring after 15 minutes
// ([V] §8), in the binary plaintext layout this service has always used.
inline constexpr streams::ShardIteratorFormat kShardIteratorFormat{
    .layout = streams::ShardIteratorFormat::Layout::kBinary,
    .stream_fields = 1,
    .min_plaintext = 0,
    .stream_prefixed = true,
    .accepts_quotes = false,
    .lifetime_ms = kIteratorLifetimeMs,
};

// A shard iterator of a table stream: the stream, the table incarnation, the shard, the next
// record to read and the creation time.
struct ShardIterator {
  StreamKey stream;
  uint64_t table_id = 0;
  ShardPos shard;
  uint64_t n = 0;
  int64_t created_ms = 0;
};
std::string encode_shard_iterator(const TokenSealer& sealer, const StreamInfo& stream,
                                  const ShardIterator& iterator);
// nullopt for anything malformed, forged, or whose ARN prefix does not match its content.
std::optional<ShardIterator> decode_shard_iterator(const TokenSealer& sealer,
                                                   std::string_view token);

}  // namespace trib::dynamodb_streams
