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

std::string format_sequence_number(const SequenceNumberParts& p) {
  char hex[64];
  std::snprintf(hex, sizeof hex, "2%09llx%01x%016llx00%09llx%08x2",
                static_cast<unsigned long long>(p.shard_created_seconds & 0xfffffffffLL),
                p.shard_index & 0xf, static_cast<unsigned long long>(p.counter),
                static_cast<unsigned long long>(p.record_seconds & 0xfffffffffLL), p.shard_index);
  return hex_to_decimal(hex);
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

}  // namespace trib::streams
