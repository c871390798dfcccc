#include "streams/hash_range.h"

#include <algorithm>

#include "util/md5.h"

namespace trib::streams {

std::vector<HashKeyRange> split_hash_space(uint32_t shard_count) {
  std::vector<HashKeyRange> ranges;
  if (shard_count == 0) return ranges;
  ranges.reserve(shard_count);
  // Each range holds floor(2^128 / n) keys; the last one also takes the remainder.
  // 2^128 / n computed as (2^128 - 1) / n, adjusted when n divides 2^128 exactly.
  uint128 size = kMaxHashKey / shard_count;
  if (kMaxHashKey % shard_count == shard_count - 1) size += 1;
  uint128 start = 0;
  for (uint32_t i = 0; i < shard_count; ++i) {
    const uint128 end = (i + 1 == shard_count) ? kMaxHashKey : start + size - 1;
    ranges.push_back({start, end});
    start = end + 1;
  }
  return ranges;
}

std::string to_decimal(uint128 value) {
  if (value == 0) return "0";
  std::string out;
  while (value > 0) {
    out.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::optional<uint128> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 39) return std::nullopt;
  uint128 value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint128 digit = static_cast<uint128>(c - '0');
    if (value > (kMaxHashKey - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

uint128 hash_partition_key(std::string_view partition_key) {
  const util::Md5Digest digest = util::md5(partition_key);
  uint128 value = 0;
  for (int i = 0; i < 16; ++i) value = (value << 8) | digest[i];
  return value;
}

}  // namespace trib::streams
