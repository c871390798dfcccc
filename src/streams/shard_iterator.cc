#include "streams/shard_iterator.h"

#include <charconv>

#include "storage/keys.h"

namespace trib::streams {

namespace {

constexpr char kSeparator = '\x1f';
constexpr std::string_view kTextVersion = "i1";
constexpr uint8_t kBinaryVersion = 1;
constexpr std::string_view kPrefixSeparator = "|1|";

template <typename T>
bool parse_decimal_field(std::string_view text, T* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

std::string text_plaintext(const ShardIteratorFormat& format, const ShardIterator& it) {
  std::string plain;
  plain.reserve(160);
  const auto field = [&](std::string_view part) {
    plain += part;
    plain += kSeparator;
  };
  field(kTextVersion);
  for (const std::string& part : it.stream) field(part);
  field(std::to_string(it.incarnation));
  field(std::to_string(it.shard));
  field(std::to_string(it.position));
  field(std::to_string(it.created_ms));
  if (plain.size() < format.min_plaintext) plain.append(format.min_plaintext - plain.size(), '0');
  return plain;
}

std::optional<ShardIterator> from_text(const ShardIteratorFormat& format, std::string_view rest) {
  std::vector<std::string_view> parts;
  const size_t count = 1 + format.stream_fields + 4;
  for (size_t i = 0; i < count; ++i) {
    const auto sep = rest.find(kSeparator);
    if (sep == std::string_view::npos) return std::nullopt;
    parts.push_back(rest.substr(0, sep));
    rest.remove_prefix(sep + 1);
  }
  if (parts[0] != kTextVersion) return std::nullopt;
  ShardIterator it;
  for (size_t i = 0; i < format.stream_fields; ++i) it.stream.emplace_back(parts[1 + i]);
  const size_t n = 1 + format.stream_fields;
  if (!parse_decimal_field(parts[n], &it.incarnation) ||
      !parse_decimal_field(parts[n + 1], &it.shard) ||
      !parse_decimal_field(parts[n + 2], &it.position) ||
      !parse_decimal_field(parts[n + 3], &it.created_ms)) {
    return std::nullopt;
  }
  return it;
}

std::string binary_plaintext(const ShardIterator& it) {
  std::string plain = storage::KeyBuilder()
                          .u8(kBinaryVersion)
                          .u64(it.incarnation)
                          .u64(it.shard)
                          .u64(it.position)
                          .u64(static_cast<uint64_t>(it.created_ms))
                          .take();
  if (!it.stream.empty()) plain += it.stream.front();
  return plain;
}

std::optional<ShardIterator> from_binary(std::string_view plain) {
  storage::KeyReader reader(plain);
  uint8_t version = 0;
  uint64_t created = 0;
  ShardIterator it;
  if (!reader.u8(&version) || version != kBinaryVersion || !reader.u64(&it.incarnation) ||
      !reader.u64(&it.shard) || !reader.u64(&it.position) || !reader.u64(&created)) {
    return std::nullopt;
  }
  it.created_ms = static_cast<int64_t>(created);
  it.stream.emplace_back(reader.rest());
  return it;
}

}  // namespace

std::string encode_shard_iterator(const TokenSealer& sealer, const ShardIteratorFormat& format,
                                  const ShardIterator& iterator) {
  const std::string plain = format.layout == ShardIteratorFormat::Layout::kText
                                ? text_plaintext(format, iterator)
                                : binary_plaintext(iterator);
  if (!format.stream_prefixed) return sealer.seal(plain);
  std::string token = iterator.stream.empty() ? std::string() : iterator.stream.front();
  token += kPrefixSeparator;
  token += sealer.seal(plain);
  return token;
}

std::optional<ShardIterator> decode_shard_iterator(const TokenSealer& sealer,
                                                   const ShardIteratorFormat& format,
                                                   std::string_view token) {
  if (format.accepts_quotes && token.size() >= 2 && token.front() == '"' && token.back() == '"') {
    token = token.substr(1, token.size() - 2);
  }
  std::string_view prefix;
  if (format.stream_prefixed) {
    const size_t bar = token.find(kPrefixSeparator);
    if (bar == std::string_view::npos) return std::nullopt;
    prefix = token.substr(0, bar);
    token.remove_prefix(bar + kPrefixSeparator.size());
  }
  auto plain = sealer.open(token);
  if (!plain) return std::nullopt;
  auto it = format.layout == ShardIteratorFormat::Layout::kText ? from_text(format, *plain)
                                                                : from_binary(*plain);
  if (!it) return std::nullopt;
  if (format.stream_prefixed && (it->stream.empty() || it->stream.front() != prefix)) {
    return std::nullopt;
  }
  return it;
}

}  // namespace trib::streams
