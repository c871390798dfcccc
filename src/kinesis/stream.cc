#include "kinesis/stream.h"

#include <fmt/format.h>

#include "streams/sequence_number.h"

namespace trib::kinesis {

const char* status_name(StreamStatus status) {
  switch (status) {
    case StreamStatus::kCreating:
      return "CREATING";
    case StreamStatus::kActive:
      return "ACTIVE";
    case StreamStatus::kUpdating:
      return "UPDATING";
    case StreamStatus::kDeleting:
      return "DELETING";
  }
  return "ACTIVE";
}

std::string shard_id_for(uint32_t index) { return fmt::format("shardId-{:012d}", index); }

std::optional<uint32_t> parse_shard_id(std::string_view shard_id) {
  constexpr std::string_view kPrefix = "shardId-";
  if (shard_id.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view digits = shard_id.substr(kPrefix.size());
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > 0xffffffffULL) return std::nullopt;
  return static_cast<uint32_t>(v);
}

std::optional<uint32_t> parse_shard_id_leniently(std::string_view shard_id) {
  const auto dash = shard_id.find('-');
  std::string_view digits = dash == std::string_view::npos ? shard_id : shard_id.substr(dash + 1);
  if (digits.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v > 2147483647ULL) return std::nullopt;
  }
  return static_cast<uint32_t>(v);
}

std::string Shard::shard_id() const { return shard_id_for(index); }

uint64_t sequence_counter_base(uint64_t stream_id) {
  return (stream_id & 0xffffffULL) << kSequenceCounterBits;
}

std::string record_sequence_number(uint64_t stream_id, const Shard& shard, uint64_t position,
                                   int64_t arrival_ms) {
  streams::SequenceNumberParts parts;
  parts.shard_created_seconds = shard.created_ms / 1000;
  parts.record_seconds = arrival_ms / 1000;
  parts.counter = sequence_counter_base(stream_id) + position;
  parts.shard_index = shard.index;
  return streams::format_sequence_number(parts);
}

std::optional<SequenceNumberTarget> decode_sequence_number(std::string_view sequence_number) {
  auto parts = streams::parse_sequence_number(sequence_number);
  if (!parts) return std::nullopt;
  const uint64_t mask = (uint64_t{1} << kSequenceCounterBits) - 1;
  return SequenceNumberTarget{parts->shard_index, parts->counter >> kSequenceCounterBits, parts->counter & mask};
}

bool same_incarnation(const SequenceNumberTarget& target, uint64_t stream_id) {
  return target.stream_id_bits == (stream_id & 0xffffffULL);
}

std::string Shard::starting_sequence_number(uint64_t stream_id) const {
  return record_sequence_number(stream_id, *this, 0, created_ms);
}

StreamStatus Stream::status(int64_t now_ms) const {
  if (deleting_since_ms) return StreamStatus::kDeleting;
  if (now_ms < active_at_ms) return StreamStatus::kCreating;
  return StreamStatus::kActive;
}

bool Stream::accepts_records(int64_t now_ms) const {
  const StreamStatus s = status(now_ms);
  return s == StreamStatus::kActive || s == StreamStatus::kUpdating;
}

const Shard* Stream::find_shard(uint32_t shard_index) const {
  for (const auto& shard : shards) {
    if (shard.index == shard_index) return &shard;
  }
  return nullptr;
}

const Shard* Stream::shard_for_hash_key(streams::uint128 hash_key) const {
  for (const auto& shard : shards) {
    if (shard.is_open() && shard.hash_range.contains(hash_key)) return &shard;
  }
  return nullptr;
}

std::string stream_arn(const StreamKey& key) {
  return fmt::format("arn:aws:kinesis:{}:{}:stream/{}", key.region, key.account, key.name);
}

std::string Stream::arn() const { return stream_arn(key); }

int64_t Stream::open_shard_count() const {
  int64_t n = 0;
  for (const auto& s : shards) n += s.is_open() ? 1 : 0;
  return n;
}

}  // namespace trib::kinesis
