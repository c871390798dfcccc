// Kinesis shard iterators: the shared sealed iterators (streams/shard_iterator.h) in Kinesis's
// format — the sealed token alone in AWS's outer shape (base64 of 0x0000000000000001 + whole
// 16-byte blocks, 152 bytes or more), quotes around it tolerated, expiring 300 s after
// creation — naming the stream (account, region, name), its incarnation, the shard and the
// position to read next.
#pragma once

#include <optional>
#include <string>

#include "kinesis/stream.h"
#include "streams/shard_iterator.h"
#include "util/sealed_token.h"

namespace trib::kinesis {

// Kinesis's iterator format: the plaintext layout Tributary has always used for Kinesis, padded
// so every iterator is at least as long as AWS's shortest (152 bytes decoded).
inline constexpr streams::ShardIteratorFormat kShardIteratorFormat{
    .layout = streams::ShardIteratorFormat::Layout::kText,
    .stream_fields = 3,
    .min_plaintext = 96,
    .stream_prefixed = false,
    .accepts_quotes = true,
    .lifetime_ms = 300'000,
};

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
std::optional<ShardIteratorState> decode_shard_iterator(const TokenSealer& sealer,
                                                        std::string_view token);

// "Sat Nov 22 07:52:21 UTC 2026", the date format of AWS's ExpiredIteratorException.
std::string java_date(int64_t epoch_ms);

}  // namespace trib::kinesis
