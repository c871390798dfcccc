#include "streams/sequence_number.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace trib::streams {

std::string hex_to_decimal(std::string_view hex) {
  // Little-endian base-1e9 limbs.
  std::vector<uint32_t> limbs{0};
  for (char c : hex) {
    uint32_t digit = static_cast<uint32_t>(c >= 'a'   ? c - 'a' + 10
                                           : c >= 'A' ? c - 'A' + 10
                                                      : c - '0');
    uint64_t carry = digit;
    for (auto& limb : limbs) {
      const uint64_t v = static_cast<uint64_t>(limb) * 16 + carry;
      limb = static_cast<uint32_t>(v % 1000000000);
      carry = v / 1000000000;
    }
    if (carry) limbs.push_back(static_cast<uint32_t>(carry));
  }
  std::string out = std::to_string(limbs.back());
  char buf[16];
  for (size_t i = limbs.size() - 1; i-- > 0;) {
    std::snprintf(buf, sizeof buf, "%09u", limbs[i]);
    out += buf;
  }
  return out;
}

std::optional<std::string> decimal_to_hex(std::string_view decimal) {
  if (decimal.empty()) return std::nullopt;
  std::vector<uint8_t> nibbles{0};  // little-endian base 16
  for (char c : decimal) {
    if (c < '0' || c > '9') return std::nullopt;
    uint32_t carry = static_cast<uint32_t>(c - '0');
    for (auto& n : nibbles) {
      const uint32_t v = n * 10u + carry;
      n = static_cast<uint8_t>(v & 15);
      carry = v >> 4;
    }
    while (carry) {
      nibbles.push_back(static_cast<uint8_t>(carry & 15));
      carry >>= 4;
    }
  }
  while (nibbles.size() > 1 && nibbles.back() == 0) nibbles.pop_back();
  std::string out;
  for (auto it = nibbles.rbegin(); it != nibbles.rend(); ++it)
    out.push_back("0123456789abcdef"[*it]);
  return out;
}

namespace {

// (high * 2^64 + low) / divisor for high < divisor, so the quotient fits in 64 bits: one
// hardware division on x86-64 instead of the generic 128-bit library routine.
uint64_t divide_128_by_64(uint64_t high, uint64_t low, uint64_t divisor, uint64_t* remainder) {
#if defined(__x86_64__)
  uint64_t quotient;
  __asm__("divq %4" : "=a"(quotient), "=d"(*remainder) : "a"(low), "d"(high), "rm"(divisor));
  return quotient;
#else
  const unsigned __int128 dividend = (static_cast<unsigned __int128>(high) << 64) | low;
  *remainder = static_cast<uint64_t>(dividend % divisor);
  return static_cast<uint64_t>(dividend / divisor);
#endif
}

}  // namespace

std::string format_sequence_number(const SequenceNumberParts& p) {
  // The 188-bit value, as three 64-bit limbs (most significant first):
  //   bits 184-187: 2 | 148-183: shard creation seconds | 144-147: shard index & 0xf |
  //   80-143: counter | 72-79: 0 | 36-71: record seconds | 4-35: shard index | 0-3: 2
  const auto created = static_cast<uint64_t>(p.shard_created_seconds) & 0xfffffffffULL;
  const auto recorded = static_cast<uint64_t>(p.record_seconds) & 0xfffffffffULL;
  const uint64_t top = (uint64_t{2} << 56) | (created << 20) |
                       (uint64_t{p.shard_index & 0xfu} << 16) | (p.counter >> 48);
  const uint64_t middle = (p.counter << 16) | (recorded >> 28);
  const uint64_t bottom = (recorded << 36) | (uint64_t{p.shard_index} << 4) | 2;
  // Repeated long division by 10^19 gives the decimal digits 19 at a time.
  constexpr uint64_t kChunk = 10'000'000'000'000'000'000ULL;
  uint64_t limbs[3] = {top, middle, bottom};
  uint64_t chunks[4] = {};
  int count = 0;
  while (limbs[0] || limbs[1] || limbs[2]) {
    uint64_t remainder = 0;
    for (auto& limb : limbs) limb = divide_128_by_64(remainder, limb, kChunk, &remainder);
    chunks[count++] = remainder;
  }
  // Digits from the least significant end: full 19-digit chunks, then the leading one.
  char buf[96];
  char* end = buf + sizeof buf;
  char* at = end;
  for (int i = 0; i < count; ++i) {
    uint64_t chunk = chunks[i];
    const bool leading = i == count - 1;
    for (int digit = 0; digit < 19 && (!leading || chunk != 0 || digit == 0); ++digit) {
      *--at = static_cast<char>('0' + chunk % 10);
      chunk /= 10;
    }
  }
  return std::string(at, end);
}

std::optional<SequenceNumberParts> parse_sequence_number(std::string_view decimal) {
  auto hex = decimal_to_hex(decimal);
  if (!hex || hex->size() != 47 || (*hex)[0] != '2' || hex->back() != '2') return std::nullopt;
  auto field = [&](size_t pos, size_t len) {
    return std::stoull(hex->substr(pos, len), nullptr, 16);
  };
  SequenceNumberParts parts;
  parts.shard_created_seconds = static_cast<int64_t>(field(1, 9));
  parts.counter = field(11, 16);
  parts.record_seconds = static_cast<int64_t>(field(29, 9));
  parts.shard_index = static_cast<uint32_t>(field(38, 8));
  if ((parts.shard_index & 0xf) != field(10, 1)) return std::nullopt;
  return parts;
}

std::optional<ClientSequenceNumber> read_client_sequence_number(std::string_view decimal,
                                                                int64_t now_seconds) {
  auto hex = decimal_to_hex(decimal);
  if (!hex) return std::nullopt;
  auto field = [&](size_t pos, size_t len) -> uint64_t {
    uint64_t v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      const char c = (*hex)[i];
      v = (v << 4) | static_cast<uint64_t>(c >= 'a' ? c - 'a' + 10 : c - '0');
    }
    return v;
  };
  ClientSequenceNumber out;
  if (hex->size() <= 32) {
    // Version 0: 32 hex digits, a number below 2^124 read as if 2^124 were added.
    if (hex->size() < 32) *hex = "1" + std::string(31 - hex->size(), '0') + *hex;
    out.version = 0;
    out.shard_created_seconds = static_cast<int64_t>(field(1, 9));
    out.shard = static_cast<int32_t>(field(28, 4));
  } else if (hex->size() == 47 && (*hex)[0] == '2' && (hex->back() == '1' || hex->back() == '2')) {
    out.version = hex->back() - '0';
    out.shard_created_seconds = static_cast<int64_t>(field(1, 9));
    out.shard = static_cast<int32_t>(static_cast<uint32_t>(field(38, 8)));
    if (out.version == 2) {
      out.counter = field(11, 16);
      if (out.counter >> 63) return std::nullopt;  // a negative Java long
      out.record_seconds = static_cast<int64_t>(field(29, 9));
    } else {
      out.record_seconds = static_cast<int64_t>(field(13, 9));
    }
  } else {
    return std::nullopt;
  }
  if (out.shard_created_seconds > now_seconds || out.record_seconds > now_seconds)
    return std::nullopt;
  return out;
}

namespace {
constexpr uint64_t kIncarnationMask = (uint64_t{1} << (63 - kSequenceCounterBits)) - 1;
constexpr uint64_t kPositionMask = (uint64_t{1} << kSequenceCounterBits) - 1;
constexpr uint64_t kShardEndCounter = 0x7fffffffffffffffULL;
}  // namespace

uint64_t sequence_counter_base(uint64_t stream_id) {
  return (stream_id & kIncarnationMask) << kSequenceCounterBits;
}

std::string record_sequence_number(uint64_t stream_id, const Shard& shard, uint64_t position,
                                   int64_t arrival_ms) {
  SequenceNumberParts parts;
  parts.shard_created_seconds = shard.created_ms / 1000;
  parts.record_seconds = arrival_ms / 1000;
  parts.counter = sequence_counter_base(stream_id) + position;
  parts.shard_index = shard.index;
  return format_sequence_number(parts);
}

std::string starting_sequence_number(uint64_t stream_id, const Shard& shard) {
  return record_sequence_number(stream_id, shard, 0, shard.created_ms);
}

std::string ending_sequence_number(const Shard& shard) {
  SequenceNumberParts parts;
  parts.shard_created_seconds = shard.created_ms / 1000;
  parts.record_seconds = shard.closed_ms.value_or(shard.created_ms) / 1000;
  parts.counter = kShardEndCounter;
  parts.shard_index = shard.index;
  return format_sequence_number(parts);
}

std::string continuation_sequence_number(uint64_t stream_id, const Shard& shard,
                                         uint64_t position) {
  SequenceNumberParts parts;
  parts.shard_created_seconds = shard.created_ms / 1000;
  parts.shard_index = shard.index;
  if (position == 0) {
    parts.counter = sequence_counter_base(stream_id);
    parts.record_seconds = parts.shard_created_seconds - 1;
  } else {
    parts.counter = sequence_counter_base(stream_id) + position - 1;
    parts.record_seconds = parts.shard_created_seconds;
  }
  return format_sequence_number(parts);
}

bool is_before_first_record(std::string_view sequence_number, uint64_t stream_id,
                            const Shard& shard) {
  auto parts = parse_sequence_number(sequence_number);
  return parts && parts->shard_index == shard.index &&
         parts->counter == sequence_counter_base(stream_id) &&
         parts->shard_created_seconds == shard.created_ms / 1000 &&
         parts->record_seconds < parts->shard_created_seconds;
}

std::optional<SequenceNumberTarget> decode_sequence_number(std::string_view sequence_number,
                                                           int64_t now_ms) {
  auto number = read_client_sequence_number(sequence_number, now_ms / 1000);
  if (!number) return std::nullopt;
  SequenceNumberTarget target;
  target.number = *number;
  target.position = number->counter & kPositionMask;
  target.shard_end = number->version == 2 && number->counter == kShardEndCounter;
  return target;
}

bool belongs_to(const SequenceNumberTarget& target, uint64_t stream_id, const Shard& shard) {
  const auto& n = target.number;
  if (n.version != 2 || n.shard != static_cast<int32_t>(shard.index) ||
      n.shard_created_seconds != shard.created_ms / 1000) {
    return false;
  }
  return target.shard_end || (n.counter >> kSequenceCounterBits) == (stream_id & kIncarnationMask);
}

}  // namespace trib::streams
