// Shard iterators: sealed tokens (see util/sealed_token.h) naming the stream incarnation, the
// shard and the position to read next, stamped with their creation time. Stateless on the
// server; AWS's outer shape (base64 of 0x0000000000000001 + whole 16-byte blocks, 152 bytes or
// more). They expire 300 s after creation.
#pragma once

#include <optional>
#include <string>

#include "kinesis/stream.h"
#include "util/sealed_token.h"

namespace trib::kinesis {

inline constexpr int64_t kShardIteratorLifetimeMs = 300'000;

struct ShardIteratorState {
  StreamKey stream;
  uint64_t stream_id = 0;
  uint32_t shard_index = 0;
  uint64_t position = 0;
  int64_t created_ms = 0;
};

std::string encode_shard_iterator(const TokenSealer& sealer, const ShardIteratorState& state);
// nullopt for anything malformed or forged. A token wrapped in literal double quotes is
// accepted, as AWS accepts it.
std::optional<ShardIteratorState> decode_shard_iterator(const TokenSealer& sealer, std::string_view token);

// "Sat Nov 22 07:52:21 UTC 2026", the date format of AWS's ExpiredIteratorException.
std::string java_date(int64_t epoch_ms);

}  // namespace trib::kinesis
