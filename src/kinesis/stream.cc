#include "kinesis/stream.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "streams/sequence_number.h"

namespace trib::kinesis {

const char* status_name(StreamStatus status) {
  switch (status) {
    case StreamStatus::kCreating:
      return "CREATING";
    case StreamStatus::kActive:
      return "ACTIVE";
    case StreamStatus::kUpdating:
      return "UPDATING";
    case StreamStatus::kDeleting:
      return "DELETING";
  }
  return "ACTIVE";
}

std::string shard_id_for(uint32_t index) { return fmt::format("shardId-{:012d}", index); }

std::optional<uint32_t> parse_shard_id(std::string_view shard_id) {
  constexpr std::string_view kPrefix = "shardId-";
  if (shard_id.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view digits = shard_id.substr(kPrefix.size());
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > 0xffffffffULL) return std::nullopt;
  return static_cast<uint32_t>(v);
}

std::optional<uint32_t> parse_shard_id_leniently(std::string_view shard_id) {
  const auto dash = shard_id.find('-');
  std::string_view digits = dash == std::string_view::npos ? shard_id : shard_id.substr(dash + 1);
  if (digits.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v > 2147483647ULL) return std::nullopt;
  }
  return static_cast<uint32_t>(v);
}

std::string Shard::shard_id() const { return shard_id_for(index); }

std::string encoded_shard_id(const streams::SequenceNumberTarget& target) {
  return fmt::format("shardId-{:012d}", target.number.shard);
}

StreamStatus Stream::status(int64_t now_ms) const {
  if (deleting_since_ms) return StreamStatus::kDeleting;
  if (now_ms < active_at_ms) return StreamStatus::kCreating;
  if (now_ms < updating_until_ms) return StreamStatus::kUpdating;
  return StreamStatus::kActive;
}

bool Stream::accepts_records(int64_t now_ms) const {
  const StreamStatus s = status(now_ms);
  return s == StreamStatus::kActive || s == StreamStatus::kUpdating;
}

const Shard* Stream::find_shard(uint32_t shard_index) const {
  return streams::find_shard(shards, shard_index);
}

const Shard* Stream::find_live_shard(uint32_t shard_index, int64_t now_ms) const {
  const Shard* shard = find_shard(shard_index);
  return shard && !shard_expired(*shard, now_ms) ? shard : nullptr;
}

std::vector<const Shard*> Stream::children_of(uint32_t shard_index) const {
  return streams::children_of(shards, shard_index);
}

uint32_t Stream::next_shard_index() const {
  uint32_t next = streams::next_shard_index(shards);
  if (pending_reshard)
    next = std::max(next, streams::next_shard_index(pending_reshard->plan.added));
  return next;
}

std::vector<uint32_t> Stream::apply_pending_reshard(int64_t switch_ms) {
  if (!pending_reshard) return {};
  ReshardPlan plan = std::move(pending_reshard->plan);
  pending_reshard.reset();
  return streams::apply_reshard_plan(shards, std::move(plan), switch_ms);
}

const Shard* Stream::shard_for_hash_key(streams::uint128 hash_key) const {
  return streams::open_shard_for_hash_key(shards, hash_key);
}

std::string stream_arn(const StreamKey& key) {
  return fmt::format("arn:aws:kinesis:{}:{}:stream/{}", key.region, key.account, key.name);
}

std::string Stream::arn() const { return stream_arn(key); }

namespace {

// Splits "arn:partition:service:region:account:resource" into its six parts.
bool split_arn(std::string_view arn, std::string_view (&parts)[6]) {
  for (int i = 0; i < 5; ++i) {
    const auto colon = arn.find(':');
    if (colon == std::string_view::npos) return false;
    parts[i] = arn.substr(0, colon);
    arn.remove_prefix(colon + 1);
  }
  parts[5] = arn;
  return parts[0] == "arn" && parts[1].substr(0, 3) == "aws";
}

bool is_twelve_digits(std::string_view text) {
  return text.size() == 12 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

// Decodes one UTF-8 code point at `pos` (advancing it); U+FFFD for malformed input.
uint32_t next_code_point(std::string_view text, size_t& pos) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(pos);
  int length = lead < 0x80           ? 1
               : (lead >> 5) == 0x6  ? 2
               : (lead >> 4) == 0xe  ? 3
               : (lead >> 3) == 0x1e ? 4
                                     : 0;
  if (length == 0 || pos + length > text.size()) {
    ++pos;
    return 0xfffd;
  }
  uint32_t cp = length == 1 ? lead : lead & (0x7f >> length);
  for (int i = 1; i < length; ++i) cp = (cp << 6) | (byte(pos + i) & 0x3f);
  pos += length;
  return cp;
}

}  // namespace

std::optional<ResourceRef> parse_resource_arn(std::string_view arn) {
  std::string_view parts[6];
  if (!split_arn(arn, parts) || parts[2] != "kinesis" || !is_twelve_digits(parts[4])) {
    return std::nullopt;
  }
  constexpr std::string_view kStream = "stream/";
  std::string_view resource = parts[5];
  if (resource.substr(0, kStream.size()) != kStream) return std::nullopt;
  resource.remove_prefix(kStream.size());
  ResourceRef ref;
  ref.stream = StreamKey{std::string(parts[4]), std::string(parts[3]), ""};
  const auto slash = resource.find('/');
  if (slash == std::string_view::npos) {
    if (resource.empty()) return std::nullopt;
    ref.stream.name = std::string(resource);
    return ref;
  }
  // stream/NAME/consumer/CONSUMER:TIMESTAMP
  ref.stream.name = std::string(resource.substr(0, slash));
  std::string_view rest = resource.substr(slash + 1);
  constexpr std::string_view kConsumer = "consumer/";
  if (ref.stream.name.empty() || rest.substr(0, kConsumer.size()) != kConsumer) return std::nullopt;
  rest.remove_prefix(kConsumer.size());
  const auto colon = rest.find(':');
  std::string_view consumer = rest.substr(0, colon);
  if (consumer.empty() || consumer.find('/') != std::string_view::npos) return std::nullopt;
  ref.consumer_name = std::string(consumer);
  return ref;
}

// The first problem among `texts` (an invalid character wins over '%').
TagTextProblem worst_tag_problem(const std::vector<std::string_view>& texts) {
  TagTextProblem worst = TagTextProblem::kNone;
  for (const auto text : texts) {
    const TagTextProblem problem = tag_text_problem(text);
    if (problem == TagTextProblem::kInvalidCharacter) return problem;
    if (problem == TagTextProblem::kPercent) worst = problem;
  }
  return worst;
}

TagTextProblem tag_text_problem(std::string_view text) {
  bool has_percent = false;
  for (size_t pos = 0; pos < text.size();) {
    const uint32_t cp = next_code_point(text, pos);
    const bool ascii_word = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
                            (cp >= '0' && cp <= '9') || cp == '_';
    const bool punctuation = cp == ' ' || cp == '.' || cp == '/' || cp == '=' || cp == '+' ||
                             cp == '-' || cp == '@' || cp == '%';
    // Letters beyond ASCII: the ranges AWS's check was observed to accept.
    const bool other_letter = (cp >= 0xc0 && cp <= 0x1fff) || (cp >= 0x2c00 && cp <= 0xd7ff);
    if (!ascii_word && !punctuation && !other_letter) return TagTextProblem::kInvalidCharacter;
    has_percent = has_percent || cp == '%';
  }
  return has_percent ? TagTextProblem::kPercent : TagTextProblem::kNone;
}

KeyIdProblem key_id_problem(std::string_view key_id) {
  if (key_id.substr(0, 4) == "arn:") {
    std::string_view parts[6];
    if (!split_arn(key_id, parts) || parts[2] != "kms" || !is_twelve_digits(parts[4])) {
      return KeyIdProblem::kMalformedArn;
    }
    const std::string_view resource = parts[5];
    if (resource.substr(0, 4) == "key/" && is_uuid(resource.substr(4))) return KeyIdProblem::kNone;
    if (resource.substr(0, 6) == "alias/" && resource.size() > 6) return KeyIdProblem::kNone;
    return KeyIdProblem::kMalformedArn;
  }
  if (key_id.substr(0, 6) == "alias/" && key_id.size() > 6) return KeyIdProblem::kNone;
  return is_uuid(key_id) ? KeyIdProblem::kNone : KeyIdProblem::kMalformedId;
}

const std::vector<std::string>& all_shard_level_metrics() {
  static const std::vector<std::string> metrics = {
      "IncomingBytes",
      "IncomingRecords",
      "OutgoingBytes",
      "OutgoingRecords",
      "WriteProvisionedThroughputExceeded",
      "ReadProvisionedThroughputExceeded",
      "IteratorAgeMilliseconds",
  };
  return metrics;
}

int64_t Stream::open_shard_count() const {
  int64_t n = 0;
  for (const auto& s : shards) n += s.is_open() ? 1 : 0;
  return n;
}

int64_t Stream::open_shard_count_after_reshard() const {
  int64_t n = open_shard_count();
  if (pending_reshard) {
    for (const auto& s : pending_reshard->plan.added) n += s.is_open() ? 1 : 0;
    n -= static_cast<int64_t>(pending_reshard->plan.closing.size());
  }
  return n;
}

}  // namespace trib::kinesis
