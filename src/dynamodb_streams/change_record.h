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

// A record as read from its shard: position, storage key and stored bytes.
struct StoredRecord {
  uint64_t n = 0;
  std::string key;    // the eventID seed
  std::string value;  // encode_change_record's form
};
// The time of a stored record, from its header alone; nullopt when the header is not one this
// version writes.
std::optional<int64_t> stored_record_time_ms(std::string_view bytes);

// [D] §13: the item size of Keys plus those of the images present.
size_t record_size_bytes(const ChangeRecord& record);

// The GetRecords form, in AWS's key order. `event_id_seed`: bytes unique to the record (its
// storage key), hashed into the 32-hex eventID.
aws::Value record_to_wire(const StreamInfo& stream, ShardPos shard, const ChangeRecord& record,
                          std::string_view region, std::string_view event_id_seed);

// GetRecords' Records list of `records` as one aws::Fragment. Its JSON is written straight
// from the stored bytes, images from their item encodings (exactly the bytes of a list of
// record_to_wire Values of the decoded records, without an Item or a Value tree per record);
// other codecs get that list. nullopt when a record does not decode.
std::optional<aws::Value> records_to_wire(const StreamInfo& stream, ShardPos shard,
                                          std::vector<StoredRecord> records,
                                          std::string_view region);

}  // namespace trib::dynamodb_streams
