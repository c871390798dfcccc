// Shard iterators of every stream kind: sealed tokens (util/sealed_token.h) binding a stream
// incarnation, a shard, the position to read next and the iterator's creation time. Stateless
// on the server: nothing to leak or to clean up.
//
// What differs between services is a format (ShardIteratorFormat), stated once per service:
//   - Kinesis: the sealed token alone, AWS's outer shape (base64 of 0x0000000000000001 + whole
//     16-byte blocks, 152 bytes or more), quotes around it tolerated, 300 s lifetime;
//   - DynamoDB Streams: "<stream arn>|1|<sealed>" ([V] facts §8), 15 minutes.
// The plaintext layouts are the two each service used before this core existed (kText for
// Kinesis, kBinary for DynamoDB Streams), so iterators handed out by an older build stay valid
// across an upgrade within their lifetime.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/sealed_token.h"

namespace trib::streams {

struct ShardIterator {
  // The service's names for the stream, as many as the format's `stream_fields` (Kinesis:
  // account, region, stream name; DynamoDB Streams: the stream ARN).
  std::vector<std::string> stream;
  uint64_t incarnation = 0;  // the stream (or table) incarnation id: never reused
  uint64_t shard = 0;        // the service's shard number
  uint64_t position = 0;     // the next record to read
  int64_t created_ms = 0;
};

struct ShardIteratorFormat {
  enum class Layout : uint8_t {
    // "i1", the stream fields, incarnation, shard, position and creation time as decimal text,
    // each followed by 0x1f; padded with '0' to `min_plaintext` bytes.
    kText,
    // Version byte 1, incarnation, shard, position and creation time as big-endian u64, then
    // the one stream field as the rest.
    kBinary,
  };
  Layout layout = Layout::kText;
  size_t stream_fields = 1;  // kBinary: exactly 1
  size_t min_plaintext = 0;  // kText padding
  // The token is "<stream field>|1|<sealed>" instead of the sealed token alone; decoding checks
  // that the prefix is the stream the sealed part names.
  bool stream_prefixed = false;
  // A token wrapped in literal double quotes is accepted (as Kinesis accepts it).
  bool accepts_quotes = false;
  int64_t lifetime_ms = 300'000;
};

std::string encode_shard_iterator(const TokenSealer& sealer, const ShardIteratorFormat& format,
                                  const ShardIterator& iterator);
// nullopt for anything malformed or forged.
std::optional<ShardIterator> decode_shard_iterator(const TokenSealer& sealer,
                                                   const ShardIteratorFormat& format,
                                                   std::string_view token);

// Whether an iterator created at `created_ms` is older than its format's lifetime at `now_ms`.
inline bool iterator_expired(const ShardIteratorFormat& format, int64_t created_ms,
                             int64_t now_ms) {
  return now_ms - created_ms > format.lifetime_ms;
}

}  // namespace trib::streams
