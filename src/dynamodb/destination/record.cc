#include "dynamodb/destination/record.h"

#include <openssl/evp.h>

#include "aws/codec.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/values/item_codec.h"

namespace trib::dynamodb::destination {

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

std::string destination_record(const items::ItemChange& change, const std::string& event_id,
                               int64_t creation_time, bool microseconds) {
  const Table& table = change.table;
  const Item& any_image = change.new_image ? *change.new_image : *change.old_image;
  const Item keys = items::key_attributes(table.key_schema, any_image);
  aws::Value dynamodb = aws::Value::map();
  dynamodb.set("ApproximateCreationDateTime", creation_time);
  dynamodb.set("Keys", item_to_wire(keys));
  if (change.new_image) dynamodb.set("NewImage", item_to_wire(*change.new_image));
  if (change.old_image) dynamodb.set("OldImage", item_to_wire(*change.old_image));
  // SizeBytes as DynamoDB Streams computes it: Keys and both images (both always present here).
  dynamodb.set("SizeBytes", static_cast<int64_t>(items::change_size_bytes(keys, change.new_image,
                                                                          change.old_image)));
  if (microseconds) dynamodb.set("ApproximateCreationDateTimePrecision", "MICROSECOND");

  aws::Value record = aws::Value::map();
  record.set("awsRegion", table.key.region);
  record.set("eventID", event_id);
  record.set("eventName", std::string(event_name(change.kind)));
  if (change.origin == items::WriteOrigin::kTimeToLive) {
    record.set("userIdentity", items::time_to_live_user_identity());
  } else {
    record.set("userIdentity", aws::Value());  // an explicit null (facts §15.5)
  }
  record.set("recordFormat", "application/json");
  record.set("tableName", table.key.name);
  record.set("dynamodb", std::move(dynamodb));
  record.set("eventSource", "aws:dynamodb");
  return aws::to_json(record);
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
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(key.data(), key.size(), digest, &length, EVP_md5(), nullptr);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(32);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

}  // namespace trib::dynamodb::destination
