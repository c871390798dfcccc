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

// A sequence number a client sends (StartingSequenceNumber, SequenceNumberForOrdering), read as
// AWS reads it. AWS has used three layouts (kinesalite's reverse-engineered parser and its tests,
// captured against AWS, document them; so do AWS's numbers themselves):
//   version 0, below 2^128 (a number below 2^124 is read as if 2^124 were added): lead digit |
//     shard creation seconds (9 hex) | 18 hex | shard (the low 16 bits);
//   version 1, 47 hex digits "2...1": 2 | creation (9) | 1 | 2 | record seconds (9) | 14 | 2 |
//     shard (8) | 1;
//   version 2, 47 hex digits "2...2": the layout format_sequence_number writes.
// Anything else is invalid (a guess for 2^128 to 2^129, which kinesalite reads as version 0).
// The rule: a number is valid when it is one AWS could have issued by now — it has one of these
// layouts, its 64-bit index (version 2) is a non-negative Java long, and no time in it is later
// than `now_seconds`. This is what refuses a version-2 number with the index's top bit set or a
// creation time of 0xfffffffff seconds (year 4147), a "version 0, 3 or 4" 47-digit number and a
// version-0 number dated in the 25th century, and accepts the all-zero version-1 number (issue 9,
// points 5 and 6). The shard field is a signed 32-bit Java int: 0x80000000 reads as
// -2147483648, which AWS prints as "shardId--02147483648".
struct ClientSequenceNumber {
  int version = 2;
  int64_t shard_created_seconds = 0;
  uint64_t counter = 0;        // version 2 only
  int64_t record_seconds = 0;  // versions 1 and 2
  int32_t shard = 0;
};
std::optional<ClientSequenceNumber> read_client_sequence_number(std::string_view decimal,
                                                                int64_t now_seconds);

// Converts between a hexadecimal string and its decimal spelling (arbitrary length).
std::string hex_to_decimal(std::string_view hex);
std::optional<std::string> decimal_to_hex(std::string_view decimal);

}  // namespace trib::streams
