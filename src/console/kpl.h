// De-aggregation of records written by the Kinesis Producer Library (KPL) with aggregation on.
//
// Format (awslabs/amazon-kinesis-producer, aggregation-format.md): the 4 magic bytes
// F3 89 9A C2, a protobuf `AggregatedRecord`, then the 16-byte MD5 of that protobuf message.
//   message AggregatedRecord { repeated string partition_key_table = 1;
//                              repeated string explicit_hash_key_table = 2;
//                              repeated Record records = 3; }
//   message Record { required uint64 partition_key_index = 1;
//                    optional uint64 explicit_hash_key_index = 2;
//                    required bytes data = 3;
//                    repeated Tag tags = 4; }   // Tag { key = 1; value = 2 } (skipped here)
// A record that lacks the magic, fails the MD5 check or does not parse is not aggregated: the
// KPL's consumers (KCL) then hand it on as it is, and so does the console.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trib::console {

struct UserRecord {
  std::string partition_key;
  std::optional<std::string> explicit_hash_key;
  std::string data;
};

inline constexpr std::string_view kKplMagic = "\xF3\x89\x9A\xC2";

// The user records inside `data`, or nullopt when `data` is not a valid aggregated record.
std::optional<std::vector<UserRecord>> deaggregate(std::string_view data);

}  // namespace trib::console
