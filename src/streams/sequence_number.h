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

#include "streams/shard_map.h"

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

// The sequence numbers of records kept in the record log (streams/record_log.h), in the layout
// above: Kinesis's numbers, and so those of the Kinesis streaming destination, which writes
// through Kinesis streams. (DynamoDB Streams numbers its own storage positions in its 21-digit
// layout, dynamodb_streams/stream.h; both services hand the shared starting-position rules a
// SequenceTarget, streams/starting_position.h.)
//
// The 16-hex-digit index inside a number is the record's position in the record log, offset by
// the stream incarnation's base, so a re-created stream (same name, same second) never repeats
// an old stream's numbers: bits 40-62 carry the incarnation id, the low 40 bits the position.
// Bit 63 stays clear: AWS reads the index as a Java long and refuses a negative one. Positions
// come from one counter shared by the shards created together (RecordLog's counter groups), as
// AWS's index does (issue 9, point 7).
inline constexpr int kSequenceCounterBits = 40;
uint64_t sequence_counter_base(uint64_t stream_id);

// The sequence number of the record at `position` of `shard`, arrived at `arrival_ms`.
std::string record_sequence_number(uint64_t stream_id, const Shard& shard, uint64_t position,
                                   int64_t arrival_ms);
// The shard's StartingSequenceNumber in stream incarnation `stream_id`.
std::string starting_sequence_number(uint64_t stream_id, const Shard& shard);
// A closed shard's EndingSequenceNumber: as on AWS, the largest counter (greater than every
// record's number) with the closing time.
std::string ending_sequence_number(const Shard& shard);

// The ContinuationSequenceNumber of an event after which the subscriber's next record is at
// `position`: a number that AFTER_SEQUENCE_NUMBER resumes from exactly there. When nothing was
// delivered yet and `position` is 0 (an empty shard) the number is one no record can have: the
// counter of position 0 with a record time one second before the shard was created.
std::string continuation_sequence_number(uint64_t stream_id, const Shard& shard, uint64_t position);
// Whether `sequence_number` is that "before the first record" number of this shard.
bool is_before_first_record(std::string_view sequence_number, uint64_t stream_id,
                            const Shard& shard);

// What a sequence number from a client says, read by AWS's rule (read_client_sequence_number);
// nullopt when AWS would call it invalid.
struct SequenceNumberTarget {
  ClientSequenceNumber number;
  uint64_t position = 0;   // meaningful when belongs_to() holds
  bool shard_end = false;  // a closed shard's EndingSequenceNumber (after every record)
};
std::optional<SequenceNumberTarget> decode_sequence_number(std::string_view sequence_number,
                                                           int64_t now_ms);
// Whether the number is one issued for `shard` of stream incarnation `stream_id`.
bool belongs_to(const SequenceNumberTarget& target, uint64_t stream_id, const Shard& shard);

// Converts between a hexadecimal string and its decimal spelling (arbitrary length).
std::string hex_to_decimal(std::string_view hex);
std::optional<std::string> decimal_to_hex(std::string_view decimal);

}  // namespace trib::streams
