#include "dynamodb_streams/stream.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>

#include "dynamodb/values/item_codec.h"
#include "storage/keys.h"

namespace trib::dynamodb_streams {

namespace {

constexpr size_t kSequenceDigits = 21;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

template <typename T>
bool parse_number(std::string_view s, T* out) {
  if (!all_digits(s)) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

uint32_t shard_hash(const StreamInfo& info, ShardPos pos) {
  const std::string bytes = storage::KeyBuilder()
                                .u64(info.table_id)
                                .u64(static_cast<uint64_t>(info.key.label_ms))
                                .u32(pos.partition)
                                .u32(pos.epoch)
                                .take();
  return static_cast<uint32_t>(dynamodb::xxhash64(bytes, 0x5348415244ULL));
}

}  // namespace

std::string StreamInfo::label() const { return dynamodb::stream_label(key.label_ms); }

std::string StreamInfo::arn() const {
  return dynamodb::stream_arn({key.account, key.region, key.table}, key.label_ms);
}

uint32_t StreamInfo::partition_of(uint64_t partition_hash) const {
  // The top bits of the hash, as the table's counter stripes: a chain covers one contiguous
  // hash range (DESIGN.md scale-out rule 1).
  return static_cast<uint32_t>((static_cast<unsigned __int128>(partition_hash) * partitions) >> 64);
}

uint32_t StreamInfo::epoch_at(uint32_t partition, int64_t time_ms) const {
  const int64_t since = time_ms - created_ms() - partition;
  if (since < 0) return 0;
  return static_cast<uint32_t>(since / rollover_ms);
}

int64_t StreamInfo::shard_created_ms(ShardPos pos) const {
  return created_ms() + static_cast<int64_t>(pos.epoch) * rollover_ms + pos.partition;
}

int64_t StreamInfo::shard_closes_ms(ShardPos pos) const {
  const int64_t rollover = shard_created_ms({pos.partition, pos.epoch + 1});
  return disabled_ms ? std::min(rollover, *disabled_ms) : rollover;
}

bool StreamInfo::shard_visible(ShardPos pos, int64_t now_ms) const {
  if (pos.epoch > last_epoch(pos.partition, now_ms)) return false;
  if (pos.partition >= partitions) return false;
  return !kRetention.closed_shard_expired(shard_closes_ms(pos), retention_cutoff_ms(now_ms));
}

uint32_t StreamInfo::last_epoch(uint32_t partition, int64_t now_ms) const {
  int64_t until = now_ms;
  // A disabled stream's last shards are those open just before the disable.
  if (disabled_ms && *disabled_ms <= until) until = std::max(created_ms(), *disabled_ms - 1);
  return epoch_at(partition, until);
}

std::vector<streams::Shard> StreamInfo::shards(int64_t now_ms) const {
  std::vector<streams::Shard> out;
  const int64_t cutoff = retention_cutoff_ms(now_ms);
  for (uint32_t p = 0; p < partitions; ++p) {
    const uint32_t last = last_epoch(p, now_ms);
    for (uint32_t e = epoch_at(p, cutoff); e <= last; ++e) {
      const ShardPos pos{p, e};
      if (!shard_visible(pos, now_ms)) continue;
      streams::Shard shard;
      shard.index = shard_index(pos);
      shard.created_ms = shard_created_ms(pos);
      if (shard_closed(pos, now_ms)) shard.closed_ms = shard_closes_ms(pos);
      if (e > 0) shard.parent_index = shard_index({p, e - 1});
      out.push_back(shard);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const streams::Shard& a, const streams::Shard& b) { return a.index < b.index; });
  return out;
}

std::string StreamInfo::shard_id(ShardPos pos) const {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "shardId-%020lld-%08x",
                static_cast<long long>(shard_created_ms(pos)), shard_hash(*this, pos));
  return buffer;
}

std::optional<ShardPos> StreamInfo::parse_shard_id(std::string_view id) const {
  constexpr std::string_view kPrefix = "shardId-";
  if (id.size() != kPrefix.size() + 20 + 1 + 8 || id.substr(0, kPrefix.size()) != kPrefix ||
      id[kPrefix.size() + 20] != '-') {
    return std::nullopt;
  }
  int64_t created = 0;
  if (!parse_number(id.substr(kPrefix.size(), 20), &created)) return std::nullopt;
  const int64_t since = created - created_ms();
  if (since < 0) return std::nullopt;
  const ShardPos pos{static_cast<uint32_t>(since % rollover_ms),
                     static_cast<uint32_t>(since / rollover_ms)};
  if (pos.partition >= partitions) return std::nullopt;
  if (shard_id(pos) != id) return std::nullopt;
  return pos;
}

std::optional<int64_t> parse_stream_label(std::string_view label) {
  // YYYY-MM-DDTHH:MM:SS.mmm
  if (label.size() != 23 || label[4] != '-' || label[7] != '-' || label[10] != 'T' ||
      label[13] != ':' || label[16] != ':' || label[19] != '.') {
    return std::nullopt;
  }
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (!parse_number(label.substr(0, 4), &year) || !parse_number(label.substr(5, 2), &month) ||
      !parse_number(label.substr(8, 2), &day) || !parse_number(label.substr(11, 2), &hour) ||
      !parse_number(label.substr(14, 2), &minute) || !parse_number(label.substr(17, 2), &second) ||
      !parse_number(label.substr(20, 3), &millis)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const int64_t ms = static_cast<int64_t>(timegm(&tm)) * 1000 + millis;
  if (dynamodb::stream_label(ms) != label) return std::nullopt;  // 31 February and the like
  return ms;
}

std::optional<StreamKey> parse_stream_arn(std::string_view arn) {
  constexpr std::string_view kStream = "/stream/";
  const size_t at = arn.rfind(kStream);
  if (at == std::string_view::npos) return std::nullopt;
  auto table = dynamodb::parse_table_arn(arn.substr(0, at));
  if (!table) return std::nullopt;
  auto label = parse_stream_label(arn.substr(at + kStream.size()));
  if (!label) return std::nullopt;
  return StreamKey{table->account, table->region, table->name, *label};
}

namespace {
// `v` in decimal, zero-padded to at least `width` digits (printf's "%0*llu").
void append_padded(std::string& out, uint64_t v, size_t width) {
  char digits[20];
  size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  if (count < width) out.append(width - count, '0');
  while (count > 0) out.push_back(digits[--count]);
}
}  // namespace

// printf's "%u%08u%012llu" of (partition + 1, epoch, n), without printf (GetRecords formats one
// per record).
std::string format_sequence_number(ShardPos pos, uint64_t n) {
  std::string out;
  out.reserve(kSequenceDigits);
  append_padded(out, static_cast<uint32_t>(pos.partition + 1), 1);
  append_padded(out, pos.epoch, 8);
  append_padded(out, n, 12);
  return out;
}

bool is_sequence_number_shape(std::string_view text) {
  return text.size() >= 21 && text.size() <= 40 && all_digits(text);
}

std::optional<SequenceNumber> parse_sequence_number(std::string_view decimal) {
  if (decimal.size() != kSequenceDigits || !all_digits(decimal) || decimal[0] == '0') {
    return std::nullopt;
  }
  SequenceNumber out;
  uint32_t partition = 0;
  if (!parse_number(decimal.substr(0, 1), &partition) ||
      !parse_number(decimal.substr(1, 8), &out.shard.epoch) ||
      !parse_number(decimal.substr(9, 12), &out.n)) {
    return std::nullopt;
  }
  out.shard.partition = partition - 1;
  return out;
}

std::string encode_shard_iterator(const TokenSealer& sealer, const StreamInfo& stream,
                                  const ShardIterator& it) {
  const uint64_t shard = (uint64_t{it.shard.partition} << 32) | it.shard.epoch;
  return streams::encode_shard_iterator(sealer, kShardIteratorFormat,
                                        {{stream.arn()}, it.table_id, shard, it.n, it.created_ms});
}

std::optional<ShardIterator> decode_shard_iterator(const TokenSealer& sealer,
                                                   std::string_view token) {
  auto it = streams::decode_shard_iterator(sealer, kShardIteratorFormat, token);
  if (!it) return std::nullopt;
  auto key = parse_stream_arn(it->stream.front());
  if (!key) return std::nullopt;
  ShardIterator out;
  out.stream = std::move(*key);
  out.table_id = it->incarnation;
  out.shard = {static_cast<uint32_t>(it->shard >> 32), static_cast<uint32_t>(it->shard)};
  out.n = it->position;
  out.created_ms = it->created_ms;
  return out;
}

}  // namespace trib::dynamodb_streams
