#include "dynamodb/destination/record.h"

#include <boost/container/small_vector.hpp>

#include "aws/codec.h"
#include "aws/request_id.h"
#include "dynamodb/values/item_codec.h"
#include "dynamodb/values/item_json.h"
#include "util/md5.h"

namespace trib::dynamodb::destination {

using namespace std::string_view_literals;

namespace {

std::string_view event_name(items::ChangeKind kind) {
  switch (kind) {
    case items::ChangeKind::kInsert:
      return "INSERT";
    case items::ChangeKind::kModify:
      return "MODIFY";
    case items::ChangeKind::kRemove:
    case items::ChangeKind::kNone:
      break;
  }
  return "REMOVE";
}

}  // namespace

// Written straight to JSON text (as DynamoDB Streams' change_record.cc writes its records):
// building an aws::Value tree first (item_to_wire copies each image) cost about twice as much
// (callgrind, docs/kinesis-destination.md "Throughput").
std::string destination_record(const items::ItemChange& change, std::string_view event_id,
                               int64_t creation_time, bool microseconds) {
  const Table& table = change.table;
  const Item& any_image = change.new_image ? *change.new_image : *change.old_image;
  boost::container::small_vector<const std::string*, 2> key_names;
  table.key_schema.for_each([&](const KeyAttribute& key) { key_names.push_back(&key.name); });
  std::string out;
  out.reserve(256 + 2 * item_size(any_image));
  out.append("{\"awsRegion\":"sv);
  aws::append_json_string(out, table.key.region);
  out.append(",\"eventID\":"sv);
  aws::append_json_string(out, event_id);
  out.append(",\"eventName\":\""sv);
  out.append(event_name(change.kind));
  out.append("\",\"userIdentity\":"sv);
  if (change.origin == items::WriteOrigin::kTimeToLive) {
    out.append(aws::to_json(items::time_to_live_user_identity()));
  } else {
    out.append("null"sv);  // an explicit null (facts §15.5)
  }
  out.append(",\"recordFormat\":\"application/json\",\"tableName\":"sv);
  aws::append_json_string(out, table.key.name);
  out.append(",\"dynamodb\":{\"ApproximateCreationDateTime\":"sv);
  out.append(std::to_string(creation_time));
  out.append(",\"Keys\":"sv);
  const size_t keys_size =
      write_attributes_json(out, any_image, {key_names.data(), key_names.size()});
  if (change.new_image) {
    out.append(",\"NewImage\":"sv);
    write_item_json(out, *change.new_image);
  }
  if (change.old_image) {
    out.append(",\"OldImage\":"sv);
    write_item_json(out, *change.old_image);
  }
  // SizeBytes as DynamoDB Streams computes it: Keys and both images (both always present here).
  out.append(",\"SizeBytes\":"sv);
  out.append(std::to_string(keys_size +
                            items::change_size_bytes(Item{}, change.new_image, change.old_image)));
  if (microseconds) out.append(",\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\""sv);
  out.append("},\"eventSource\":\"aws:dynamodb\"}"sv);
  return out;
}

std::string destination_event_id() {
  // From the per-thread generator of request ids (unique, not secret), formatted by hand:
  // RAND_bytes and snprintf (random_uuid) cost about 13k instructions per change, a tenth of a
  // whole PutItem without a destination (callgrind).
  std::string bytes = aws::random_bytes(16);
  bytes[6] = static_cast<char>((static_cast<uint8_t>(bytes[6]) & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<char>((static_cast<uint8_t>(bytes[8]) & 0x3f) | 0x80);  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    const auto byte = static_cast<uint8_t>(bytes[i]);
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
  }
  return out;
}

std::string destination_partition_key(const Table& table, const Item& item) {
  std::string key;
  if (const AttributeValue* hash = find_attribute(item, table.key_schema.hash.name)) {
    append_key_component(key, *hash);
  }
  if (table.key_schema.range) {
    if (const AttributeValue* range = find_attribute(item, table.key_schema.range->name)) {
      append_key_component(key, *range);
    }
  }
  const util::Md5Digest digest = util::md5(key);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(32);
  for (size_t i = 0; i < digest.size(); ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

}  // namespace trib::dynamodb::destination
