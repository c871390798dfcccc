#include "kinesis/shard_iterator.h"

#include <ctime>
#include <limits>

namespace trib::kinesis {

std::string encode_shard_iterator(const TokenSealer& sealer, const ShardIteratorState& s) {
  streams::ShardIterator it{{s.stream.account, s.stream.region, s.stream.name},
                            s.stream_id,
                            s.shard_index,
                            s.position,
                            s.created_ms};
  return streams::encode_shard_iterator(sealer, kShardIteratorFormat, it);
}

std::optional<ShardIteratorState> decode_shard_iterator(const TokenSealer& sealer,
                                                        std::string_view token) {
  auto it = streams::decode_shard_iterator(sealer, kShardIteratorFormat, token);
  if (!it || it->shard > std::numeric_limits<uint32_t>::max()) return std::nullopt;
  ShardIteratorState s;
  s.stream =
      StreamKey{std::move(it->stream[0]), std::move(it->stream[1]), std::move(it->stream[2])};
  s.stream_id = it->incarnation;
  s.shard_index = static_cast<uint32_t>(it->shard);
  s.position = it->position;
  s.created_ms = it->created_ms;
  return s;
}

std::string java_date(int64_t epoch_ms) {
  const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &utc);
  return buf;
}

}  // namespace trib::kinesis
