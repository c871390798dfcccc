// Kinesis-style sequence numbers: a 56-digit decimal whose hexadecimal form is
//   2 | shard creation time (9 hex, epoch seconds) | shard index low nibble (1) |
//   per-shard counter (16) | reserved byte (2) | record time (9 hex, epoch seconds) |
//   shard index (8) | 2
// (the layout real Kinesis numbers show). Strictly increasing per shard because the
// counter sits above the record time; decodable to the shard for misuse checks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trib::streams {

struct SequenceNumberParts {
  int64_t shard_created_seconds = 0;
  uint64_t counter = 0;
  int64_t record_seconds = 0;
  uint32_t shard_index = 0;
};

std::string format_sequence_number(const SequenceNumberParts& parts);
std::optional<SequenceNumberParts> parse_sequence_number(std::string_view decimal);

// Converts between a hexadecimal string and its decimal spelling (arbitrary length).
std::string hex_to_decimal(std::string_view hex);
std::optional<std::string> decimal_to_hex(std::string_view decimal);

}  // namespace trib::streams
