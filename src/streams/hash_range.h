// 128-bit hash keys: MD5 of a partition key (or an ExplicitHashKey) picks the shard whose
// [starting, ending] range contains it. N shards split 2^128 exactly into N ranges.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trib::streams {

using uint128 = unsigned __int128;

struct HashKeyRange {
  uint128 starting_hash_key = 0;
  uint128 ending_hash_key = 0;  // inclusive
  bool contains(uint128 key) const { return key >= starting_hash_key && key <= ending_hash_key; }
};

inline constexpr uint128 kMaxHashKey = ~uint128{0};

// The i-th of n equal ranges covering [0, 2^128 - 1]; the last ends at 2^128 - 1.
std::vector<HashKeyRange> split_hash_space(uint32_t shard_count);

std::string to_decimal(uint128 value);
// Parses a decimal string of at most 39 digits that fits 128 bits; nullopt otherwise.
std::optional<uint128> parse_decimal(std::string_view text);

// MD5 of the UTF-8 bytes of a partition key, as a big-endian 128-bit integer.
uint128 hash_partition_key(std::string_view partition_key);

}  // namespace trib::streams
