#include "kinesis/shard_iterator.h"

#include <ctime>

namespace trib::kinesis {

namespace {
constexpr char kSeparator = '\x1f';
constexpr std::string_view kVersion = "i1";
// Padding keeps every iterator at least as long as AWS's shortest (152 bytes decoded).
constexpr size_t kMinimumPlaintext = 96;
}  // namespace

std::string encode_shard_iterator(const TokenSealer& sealer, const ShardIteratorState& s) {
  std::string plain;
  plain.reserve(160);
  for (const std::string& part :
       {std::string(kVersion), s.stream.account, s.stream.region, s.stream.name, std::to_string(s.stream_id),
        std::to_string(s.shard_index), std::to_string(s.position), std::to_string(s.created_ms)}) {
    plain += part;
    plain += kSeparator;
  }
  if (plain.size() < kMinimumPlaintext) plain.append(kMinimumPlaintext - plain.size(), '0');
  return sealer.seal(plain);
}

std::optional<ShardIteratorState> decode_shard_iterator(const TokenSealer& sealer, std::string_view token) {
  if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
    token = token.substr(1, token.size() - 2);
  }
  auto plain = sealer.open(token);
  if (!plain) return std::nullopt;
  std::vector<std::string_view> parts;
  std::string_view rest = *plain;
  for (int i = 0; i < 8; ++i) {
    const auto sep = rest.find(kSeparator);
    if (sep == std::string_view::npos) return std::nullopt;
    parts.push_back(rest.substr(0, sep));
    rest.remove_prefix(sep + 1);
  }
  if (parts[0] != kVersion) return std::nullopt;
  ShardIteratorState s;
  s.stream = StreamKey{std::string(parts[1]), std::string(parts[2]), std::string(parts[3])};
  try {
    s.stream_id = std::stoull(std::string(parts[4]));
    s.shard_index = static_cast<uint32_t>(std::stoul(std::string(parts[5])));
    s.position = std::stoull(std::string(parts[6]));
    s.created_ms = std::stoll(std::string(parts[7]));
  } catch (const std::exception&) {
    return std::nullopt;
  }
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
