#include "dynamodb_streams/change_record.h"

#include <memory>

#include "aws/codec.h"
#include "dynamodb/items/item_keys.h"
#include "dynamodb/values/item_codec.h"
#include "dynamodb/values/item_json.h"
#include "storage/keys.h"
#include "util/big_endian.h"

namespace trib::dynamodb_streams {

namespace {

using dynamodb::items::ChangeKind;
using dynamodb::items::WriteOrigin;

constexpr uint8_t kRecordVersion = 1;
constexpr uint32_t kAbsent = 0xffffffff;

// The image's length is written after its bytes (it is only known then), in place.
void put_image(std::string& out, const dynamodb::Item* image) {
  if (!image) {
    util::append_big_endian<4>(out, kAbsent);
    return;
  }
  const size_t at = out.size();
  util::append_big_endian<4>(out, 0);
  dynamodb::encode_item(*image, out);
  const auto length = static_cast<uint32_t>(out.size() - at - 4);
  util::store_big_endian<4>(out.data() + at, length);
}

std::string record_header(ChangeKind kind, WriteOrigin origin, int64_t time_ms) {
  return storage::KeyBuilder()
      .u8(kRecordVersion)
      .u8(static_cast<uint8_t>(kind))
      .u8(static_cast<uint8_t>(origin))
      .u64(static_cast<uint64_t>(time_ms))
      .take();
}

// The next image's stored bytes (nullopt for an absent image); false when truncated.
bool get_image_bytes(storage::KeyReader& in, std::optional<std::string_view>* image) {
  uint32_t length = 0;
  if (!in.u32(&length)) return false;
  if (length == kAbsent) return true;
  std::string_view rest = in.rest();
  if (rest.size() < length) return false;
  *image = rest.substr(0, length);
  in = storage::KeyReader(rest.substr(length));
  return true;
}

bool get_image(storage::KeyReader& in, std::optional<dynamodb::Item>& image) {
  std::optional<std::string_view> bytes;
  if (!get_image_bytes(in, &bytes)) return false;
  if (!bytes) return true;
  image = dynamodb::decode_item(*bytes);
  return image.has_value();
}

struct RecordHeader {
  ChangeKind kind = ChangeKind::kInsert;
  WriteOrigin origin = WriteOrigin::kRequest;
  int64_t time_ms = 0;
};

bool get_header(storage::KeyReader& in, RecordHeader* header) {
  uint8_t version = 0, kind = 0, origin = 0;
  uint64_t time = 0;
  if (!in.u8(&version) || version != kRecordVersion || !in.u8(&kind) || !in.u8(&origin) ||
      !in.u64(&time)) {
    return false;
  }
  if (kind < static_cast<uint8_t>(ChangeKind::kInsert) ||
      kind > static_cast<uint8_t>(ChangeKind::kRemove) ||
      origin > static_cast<uint8_t>(WriteOrigin::kTimeToLive)) {
    return false;
  }
  header->kind = static_cast<ChangeKind>(kind);
  header->origin = static_cast<WriteOrigin>(origin);
  header->time_ms = static_cast<int64_t>(time);
  return true;
}

bool shows_new(std::string_view view) {
  return view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES";
}
bool shows_old(std::string_view view) {
  return view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES";
}

std::string_view event_name(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kInsert:
      return "INSERT";
    case ChangeKind::kModify:
      return "MODIFY";
    default:
      return "REMOVE";
  }
}

}  // namespace

ChangeRecord record_of(const dynamodb::items::ItemChange& change, std::string_view view_type) {
  ChangeRecord record;
  record.time_ms = change.time_ms;
  record.kind = change.kind;
  record.origin = change.origin;
  const dynamodb::Item& any = change.new_image ? *change.new_image : *change.old_image;
  record.keys = dynamodb::items::key_attributes(change.table.key_schema, any);
  if (change.new_image && shows_new(view_type)) record.new_image = *change.new_image;
  if (change.old_image && shows_old(view_type)) record.old_image = *change.old_image;
  return record;
}

std::string encode_change_record(const ChangeRecord& record) {
  std::string out = record_header(record.kind, record.origin, record.time_ms);
  put_image(out, &record.keys);
  put_image(out, record.new_image ? &*record.new_image : nullptr);
  put_image(out, record.old_image ? &*record.old_image : nullptr);
  return out;
}

std::string encode_change(const dynamodb::items::ItemChange& change, std::string_view view_type) {
  std::string out = record_header(change.kind, change.origin, change.time_ms);
  const dynamodb::Item* new_image = shows_new(view_type) ? change.new_image : nullptr;
  const dynamodb::Item* old_image = shows_old(view_type) ? change.old_image : nullptr;
  const dynamodb::Item& any = change.new_image ? *change.new_image : *change.old_image;
  size_t images = 0;
  for (const dynamodb::Item* image : {new_image, old_image}) {
    if (image) images += dynamodb::item_size(*image);
  }
  out.reserve(out.size() + 3 * 4 + 64 + images + images / 4);
  const dynamodb::Item keys = dynamodb::items::key_attributes(change.table.key_schema, any);
  put_image(out, &keys);
  put_image(out, new_image);
  put_image(out, old_image);
  return out;
}

std::optional<ChangeRecord> decode_change_record(std::string_view bytes, uint64_t n) {
  storage::KeyReader in(bytes);
  RecordHeader header;
  if (!get_header(in, &header)) return std::nullopt;
  ChangeRecord record;
  record.n = n;
  record.kind = header.kind;
  record.origin = header.origin;
  record.time_ms = header.time_ms;
  std::optional<dynamodb::Item> keys;
  if (!get_image(in, keys) || !keys || !get_image(in, record.new_image) ||
      !get_image(in, record.old_image) || !in.done()) {
    return std::nullopt;
  }
  record.keys = std::move(*keys);
  return record;
}

std::optional<int64_t> stored_record_time_ms(std::string_view bytes) {
  storage::KeyReader in(bytes);
  RecordHeader header;
  if (!get_header(in, &header)) return std::nullopt;
  return header.time_ms;
}

size_t record_size_bytes(const ChangeRecord& record) {
  return dynamodb::items::change_size_bytes(record.keys,
                                            record.new_image ? &*record.new_image : nullptr,
                                            record.old_image ? &*record.old_image : nullptr);
}

namespace {

// 32 lowercase hex digits of two hashes of the seed.
std::string event_id(std::string_view event_id_seed) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  const uint64_t halves[2] = {dynamodb::xxhash64(event_id_seed, 0x4556454e54ULL),
                              dynamodb::xxhash64(event_id_seed, 0x49444944ULL)};
  for (int h = 0; h < 2; ++h) {
    for (int i = 0; i < 16; ++i) out[h * 16 + i] = kHex[(halves[h] >> (60 - 4 * i)) & 0xf];
  }
  return out;
}

// The JSON text of record_to_wire(...), written directly (members in its order), in three
// parts: the members before the images, the images (write_record_json or
// write_stored_record_json), the members after them.
void write_record_head(std::string& out, ChangeKind kind, int64_t time_ms, std::string_view region,
                       std::string_view event_id_seed) {
  out.append("{\"eventID\":\"");
  out.append(event_id(event_id_seed));  // hex digits: nothing to escape
  out.append("\",\"eventName\":\"");
  out.append(event_name(kind));
  out.append("\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":");
  aws::append_json_string(out, region);
  out.append(",\"dynamodb\":{\"ApproximateCreationDateTime\":");
  out.append(std::to_string(time_ms / 1000));
}

void write_record_tail(std::string& out, const StreamInfo& stream, ShardPos shard, uint64_t n,
                       size_t size_bytes, WriteOrigin origin) {
  out.append(",\"SequenceNumber\":\"");
  out.append(format_sequence_number(shard, n));  // digits
  out.append("\",\"SizeBytes\":");
  out.append(std::to_string(size_bytes));
  out.append(",\"StreamViewType\":");
  aws::append_json_string(out, stream.view_type);
  out.push_back('}');
  if (origin == WriteOrigin::kTimeToLive) {
    out.append(",\"userIdentity\":");
    out.append(aws::to_json(dynamodb::items::time_to_live_user_identity()));
  }
  out.push_back('}');
}

void write_record_json(std::string& out, const StreamInfo& stream, ShardPos shard,
                       const ChangeRecord& record, std::string_view region,
                       std::string_view event_id_seed) {
  write_record_head(out, record.kind, record.time_ms, region, event_id_seed);
  out.append(",\"Keys\":");
  dynamodb::write_item_json(out, record.keys);
  if (record.new_image) {
    out.append(",\"NewImage\":");
    dynamodb::write_item_json(out, *record.new_image);
  }
  if (record.old_image) {
    out.append(",\"OldImage\":");
    dynamodb::write_item_json(out, *record.old_image);
  }
  write_record_tail(out, stream, shard, record.n, record_size_bytes(record), record.origin);
}

// write_record_json(decode_change_record(record.value, record.n)) straight from the stored
// bytes: each image is written from its encoding (dynamodb::append_item_json), never decoded
// into an Item. False, with `out` as it was, when the bytes do not decode or an image is not in
// canonical form (write_record_json of the decoded record is then the answer).
bool write_stored_record_json(std::string& out, const StreamInfo& stream, ShardPos shard,
                              const StoredRecord& record, std::string_view region) {
  storage::KeyReader in(record.value);
  RecordHeader header;
  std::optional<std::string_view> images[3];  // keys, new, old
  if (!get_header(in, &header) || !get_image_bytes(in, &images[0]) || !images[0] ||
      !get_image_bytes(in, &images[1]) || !get_image_bytes(in, &images[2]) || !in.done()) {
    return false;
  }
  const size_t start = out.size();
  write_record_head(out, header.kind, header.time_ms, region, record.key);
  static constexpr std::string_view kMembers[3] = {
      ",\"Keys\":", ",\"NewImage\":", ",\"OldImage\":"};
  size_t size_bytes = 0;  // [D] §13: the item sizes of the keys and the images present
  for (int i = 0; i < 3; ++i) {
    if (!images[i]) continue;
    out.append(kMembers[i]);
    auto size = dynamodb::append_item_json(out, *images[i]);
    if (!size) {
      out.resize(start);
      return false;
    }
    size_bytes += *size;
  }
  write_record_tail(out, stream, shard, record.n, size_bytes, header.origin);
  return true;
}

// The JSON text is written when the fragment is made (so an undecodable record is an error
// the operation can still answer); other codecs get the Value tree of the decoded records.
class RecordsFragment final : public aws::Fragment {
 public:
  RecordsFragment(const StreamInfo& stream, ShardPos shard, std::vector<StoredRecord> records,
                  std::string_view region, std::string json)
      : stream_(stream),
        shard_(shard),
        records_(std::move(records)),
        region_(region),
        json_(std::move(json)) {}

  void write_json(std::string& out) const override { out.append(json_); }

  aws::Value to_value() const override {
    aws::Value list = aws::Value::list();
    for (const StoredRecord& stored : records_) {
      // Every record decoded when the JSON was written.
      if (auto record = decode_change_record(stored.value, stored.n)) {
        list.push(record_to_wire(stream_, shard_, *record, region_, stored.key));
      }
    }
    return list;
  }

 private:
  StreamInfo stream_;
  ShardPos shard_;
  std::vector<StoredRecord> records_;
  std::string region_;
  std::string json_;
};

}  // namespace

aws::Value record_to_wire(const StreamInfo& stream, ShardPos shard, const ChangeRecord& record,
                          std::string_view region, std::string_view event_id_seed) {
  aws::Value out = aws::Value::map();
  out.set("eventID", event_id(event_id_seed));
  out.set("eventName", event_name(record.kind));
  out.set("eventVersion", "1.1");
  out.set("eventSource", "aws:dynamodb");
  out.set("awsRegion", region);
  aws::Value body = aws::Value::map();
  // [V] whole epoch seconds as a JSON number, never a fraction (§10: the KCL adapter's
  // RecordObjectMapper fails on fractions).
  body.set("ApproximateCreationDateTime", static_cast<int64_t>(record.time_ms / 1000));
  body.set("Keys", dynamodb::item_to_wire(record.keys));
  if (record.new_image) body.set("NewImage", dynamodb::item_to_wire(*record.new_image));
  if (record.old_image) body.set("OldImage", dynamodb::item_to_wire(*record.old_image));
  body.set("SequenceNumber", format_sequence_number(shard, record.n));
  body.set("SizeBytes", static_cast<int64_t>(record_size_bytes(record)));
  body.set("StreamViewType", stream.view_type);
  out.set("dynamodb", std::move(body));
  if (record.origin == WriteOrigin::kTimeToLive) {
    // [V] §12: TTL deletes only, after `dynamodb` ([U] position).
    out.set("userIdentity", dynamodb::items::time_to_live_user_identity());
  }
  return out;
}

std::optional<aws::Value> records_to_wire(const StreamInfo& stream, ShardPos shard,
                                          std::vector<StoredRecord> records,
                                          std::string_view region) {
  std::string json;
  size_t stored_bytes = 0;
  for (const StoredRecord& record : records) stored_bytes += record.value.size();
  json.reserve(2 * stored_bytes + 512 * records.size() + 2);  // base64 and JSON syntax
  json.push_back('[');
  for (size_t i = 0; i < records.size(); ++i) {
    if (i > 0) json.push_back(',');
    if (write_stored_record_json(json, stream, shard, records[i], region)) continue;
    auto record = decode_change_record(records[i].value, records[i].n);
    if (!record) return std::nullopt;
    write_record_json(json, stream, shard, *record, region, records[i].key);
  }
  json.push_back(']');
  return aws::Value(std::make_shared<const RecordsFragment>(stream, shard, std::move(records),
                                                            region, std::move(json)));
}

}  // namespace trib::dynamodb_streams
