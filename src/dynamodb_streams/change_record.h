// One stream record as stored (docs/storage-encoding.md, "DynamoDB Streams") and as GetRecords
// shows it (facts/dynamodb-streams §10: key order, fields, images per view type, SizeBytes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/value.h"
#include "dynamodb/items/change_capture.h"
#include "dynamodb_streams/stream.h"

namespace trib::dynamodb_streams {

struct ChangeRecord {
  uint64_t n = 0;  // position in its shard
  int64_t time_ms = 0;
  dynamodb::items::ChangeKind kind = dynamodb::items::ChangeKind::kInsert;
  dynamodb::items::WriteOrigin origin = dynamodb::items::WriteOrigin::kRequest;
  dynamodb::Item keys;
  std::optional<dynamodb::Item> new_image;  // only when the view type shows it
  std::optional<dynamodb::Item> old_image;
};

// The record of `change` for a stream of `view_type`: the keys, and the images the view type
// shows ([V] §10: KEYS_ONLY none; NEW_IMAGE the new one, OLD_IMAGE the old one,
// NEW_AND_OLD_IMAGES both, each only when it exists).
ChangeRecord record_of(const dynamodb::items::ItemChange& change, std::string_view view_type);

// 0x01 | kind u8 | origin u8 | time i64 | keys, new, old images (u32 length + item codec, length
// 0xffffffff for an absent image).
std::string encode_change_record(const ChangeRecord& record);
// The stored form of record_of(change, view_type) with n = 0, encoded straight from the
// change's images (the write path's hot path: no copy of either image).
std::string encode_change(const dynamodb::items::ItemChange& change, std::string_view view_type);
std::optional<ChangeRecord> decode_change_record(std::string_view bytes, uint64_t n);

// [D] §13: the item size of Keys plus those of the images present.
size_t record_size_bytes(const ChangeRecord& record);

// The GetRecords form, in AWS's key order. `event_id_seed`: bytes unique to the record (its
// storage key), hashed into the 32-hex eventID.
aws::Value record_to_wire(const StreamInfo& stream, ShardPos shard, const ChangeRecord& record,
                          std::string_view region, std::string_view event_id_seed);

// GetRecords' Records list of `records` (seeds: their storage keys) as one aws::Fragment: the
// JSON codec writes it straight from the records (exactly the bytes of a list of record_to_wire
// Values, without a Value tree per record or a copy of each image); other codecs get that list.
aws::Value records_to_wire(const StreamInfo& stream, ShardPos shard,
                           std::vector<ChangeRecord> records, std::string_view region,
                           std::vector<std::string> event_id_seeds);

}  // namespace trib::dynamodb_streams
