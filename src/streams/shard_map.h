// The shard model every stream kind shares: a shard has a hash-key range, a creation time, a
// closing time once closed, and up to two parents (a Kinesis split or a rollover has one, a
// Kinesis merge two); a stream's shards are a list in creation order, so parents come before
// their children. Kinesis stores its list (resharding appends to it); DynamoDB Streams computes
// its list from the stream's stored times and the one clock (dynamodb_streams/stream.h). Shard
// ids, sequence numbers and expiry rules are the services' own.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "streams/hash_range.h"

namespace trib::streams {

struct Shard {
  uint32_t index = 0;  // never reused within a stream incarnation
  HashKeyRange hash_range;
  int64_t created_ms = 0;
  std::optional<uint32_t> parent_index;
  std::optional<uint32_t> adjacent_parent_index;
  std::optional<int64_t> closed_ms;  // set once it takes no more records

  bool is_open() const { return !closed_ms.has_value(); }
  bool has_parent(uint32_t index_of_parent) const {
    return parent_index == index_of_parent || adjacent_parent_index == index_of_parent;
  }
};

// Lookups and lineage over a service's shard list (a vector of Shard or of a type derived from
// it, such as kinesis::Shard).
template <typename ShardType>
const ShardType* find_shard(const std::vector<ShardType>& shards, uint32_t index) {
  for (const auto& shard : shards) {
    if (shard.index == index) return &shard;
  }
  return nullptr;
}

// The shards whose parent or adjacent parent is `index`, in list (creation) order.
template <typename ShardType>
std::vector<const ShardType*> children_of(const std::vector<ShardType>& shards, uint32_t index) {
  std::vector<const ShardType*> children;
  for (const auto& shard : shards) {
    if (shard.has_parent(index)) children.push_back(&shard);
  }
  return children;
}

// The open shard whose hash-key range contains `hash_key` (open shards tile the hash space).
template <typename ShardType>
const ShardType* open_shard_for_hash_key(const std::vector<ShardType>& shards, uint128 hash_key) {
  for (const auto& shard : shards) {
    if (shard.is_open() && shard.hash_range.contains(hash_key)) return &shard;
  }
  return nullptr;
}

// One past the highest index in the list.
template <typename ShardType>
uint32_t next_shard_index(const std::vector<ShardType>& shards) {
  uint32_t next = 0;
  for (const auto& shard : shards) next = std::max(next, shard.index + 1);
  return next;
}

}  // namespace trib::streams
