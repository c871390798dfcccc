// CBOR codec for AWS's application/x-amz-cbor-1.1, the wire format the AWS SDK for Java
// (v1 and v2, hence the KCL) uses for Kinesis unless CBOR is switched off.
//
// Wire facts this follows:
// - Timestamps are tag 1 carrying an INTEGER count of epoch MILLISECONDS, in both directions,
//   although RFC 8949 says tag 1 counts seconds. The Java SDK v2 writes them that way
//   (SdkCborGenerator: writeTag(1) then writeNumber(instant.toEpochMilli())), and its
//   AwsCborProtocolFactory reads payload timestamps as UNIX_TIMESTAMP_MILLIS through
//   Long.parseLong, so a float in a response breaks it ("For input string: 1.603149588042E9",
//   localstack issue #3134). aws-sdk-java-v2 PR #979 and issue #4661, LocalStack PRs #11071
//   and #11286 and kinesis-mock PR #76 all agree. On input we also accept a float payload
//   (still milliseconds, fraction dropped) and a bare number without the tag.
// - Blobs are byte strings. A text string for a blob is read as base64, as AWS's front end
//   converts a string to a blob in JSON (its converters are not format specific; inferred).
// - Maps and lists are written with indefinite lengths (0xbf ... 0xff) as AWS's front end
//   writes them (kinesalite replays AWS's CBOR error bodies byte for byte in that form, and
//   the pipeline's empty-body answer matches); strings are definite. Integers take their
//   shortest form, doubles always eight bytes.
// - Errors are {"__type": ..., "message"|"Message": ...} exactly as in JSON.
// - Wrong-type texts are the JSON codec's (AWS's Java front end wording). No CBOR-specific
//   texts from AWS could be found, so numbers still name TruncatingBigNumber, and a byte string
//   where something else is expected names Java's byte[] class, "[B" (our guess).
//
// Hand-written rather than libcbor: libcbor 0.8 builds a heap tree (one allocation per item)
// and preallocates arrays from declared counts, which a 9-byte header can make enormous; it
// has no nesting limit of ours and does not check UTF-8. This subset needs none of that.
// parse() walks the body once to prove it well formed, allocating nothing but the copy of the
// body it keeps: every declared length or count is checked against the bytes left first,
// nesting is capped at kMaxDepth (the only recursion), text must be UTF-8. to_value() then
// decodes it again straight into a Value, guided by the shape.
#include <simdjson.h>

#include <bit>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include "aws/codec.h"
#include "util/base64.h"

namespace trib::aws {

namespace {

using model::Shape;
using model::ShapeType;

constexpr std::string_view kCborContentType = "application/x-amz-cbor-1.1";

// Maps and arrays nested deeper than this make a body malformed (tags do not count: a
// chain of them is walked in a loop).
constexpr int kMaxDepth = 64;

enum Major : uint8_t {
  kUnsignedInteger = 0,
  kNegativeInteger = 1,
  kByteString = 2,
  kTextString = 3,
  kArray = 4,
  kMap = 5,
  kTag = 6,
  kSimpleOrFloat = 7,
};

// Additional-information values of major type 7.
constexpr uint8_t kFalse = 20;
constexpr uint8_t kTrue = 21;
constexpr uint8_t kNull = 22;
constexpr uint8_t kUndefined = 23;
constexpr uint8_t kHalfFloat = 25;
constexpr uint8_t kSingleFloat = 26;
constexpr uint8_t kDoubleFloat = 27;
constexpr uint8_t kIndefinite = 31;  // indefinite length, or "break" in major type 7

constexpr uint8_t kBreakByte = 0xff;
constexpr uint64_t kEpochTag = 1;

// The first bytes of one data item.
struct Head {
  Major major = kUnsignedInteger;
  uint8_t info = 0;       // additional information: the low five bits of the first byte
  uint64_t argument = 0;  // value, length, count or tag number; raw bits for floats
  bool indefinite() const { return info == kIndefinite; }
};

double half_to_double(uint16_t half) {
  const int exponent = (half >> 10) & 0x1f;
  const int mantissa = half & 0x3ff;
  double magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(mantissa, -24);  // subnormal
  } else if (exponent != 31) {
    magnitude = std::ldexp(mantissa + 1024, exponent - 25);
  } else {
    magnitude = mantissa == 0 ? std::numeric_limits<double>::infinity()
                              : std::numeric_limits<double>::quiet_NaN();
  }
  return (half & 0x8000) ? -magnitude : magnitude;
}

// A float item's value (head.major is 7 and head.info one of the float sizes).
double float_value(const Head& head) {
  if (head.info == kHalfFloat) return half_to_double(static_cast<uint16_t>(head.argument));
  if (head.info == kSingleFloat) {
    return std::bit_cast<float>(static_cast<uint32_t>(head.argument));
  }
  return std::bit_cast<double>(head.argument);
}

bool is_float(const Head& head) {
  return head.major == kSimpleOrFloat &&
         (head.info == kHalfFloat || head.info == kSingleFloat || head.info == kDoubleFloat);
}

bool is_null_or_undefined(const Head& head) {
  return head.major == kSimpleOrFloat && (head.info == kNull || head.info == kUndefined);
}

// Bounds-checked reading of heads and payloads. Every failure means "malformed".
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  bool at_end() const { return position_ == bytes_.size(); }
  size_t remaining() const { return bytes_.size() - position_; }
  bool next_is_break() const {
    return position_ < bytes_.size() && static_cast<uint8_t>(bytes_[position_]) == kBreakByte;
  }
  void skip_break() { ++position_; }

  bool read_head(Head& head) {
    if (at_end()) return false;
    const auto initial = static_cast<uint8_t>(bytes_[position_++]);
    head.major = static_cast<Major>(initial >> 5);
    head.info = initial & 0x1f;
    if (head.info < 24) {
      head.argument = head.info;
      return true;
    }
    if (head.info <= 27) {
      const size_t width = size_t{1} << (head.info - 24);
      if (remaining() < width) return false;
      uint64_t argument = 0;
      for (size_t i = 0; i < width; ++i) {
        argument = (argument << 8) | static_cast<uint8_t>(bytes_[position_++]);
      }
      head.argument = argument;
      return true;
    }
    if (head.info == kIndefinite) {
      // Only strings, arrays and maps have an indefinite form; in major 7 it is "break".
      head.argument = 0;
      return head.major == kByteString || head.major == kTextString || head.major == kArray ||
             head.major == kMap || head.major == kSimpleOrFloat;
    }
    return false;  // 28..30 are reserved
  }

  // The next `length` bytes; fails before touching anything when fewer are left.
  bool read_payload(uint64_t length, std::string_view& out) {
    if (length > remaining()) return false;
    out = bytes_.substr(position_, static_cast<size_t>(length));
    position_ += static_cast<size_t>(length);
    return true;
  }

 private:
  std::string_view bytes_;
  size_t position_ = 0;
};

// ---------------------------------------------------------------------------------------
// Well-formedness (parse)

bool check_item(Reader& reader, int depth);

// The rest of a string whose head was read: one payload, or definite chunks of the same
// major type up to a break. Text (each chunk on its own, as RFC 8949 requires) must be UTF-8.
bool check_string(Reader& reader, const Head& head) {
  auto check_chunk = [&](uint64_t length) {
    std::string_view chunk;
    if (!reader.read_payload(length, chunk)) return false;
    return head.major != kTextString || simdjson::validate_utf8(chunk.data(), chunk.size());
  };
  if (!head.indefinite()) return check_chunk(head.argument);
  while (true) {
    if (reader.next_is_break()) {
      reader.skip_break();
      return true;
    }
    Head chunk;
    if (!reader.read_head(chunk) || chunk.major != head.major || chunk.indefinite()) return false;
    if (!check_chunk(chunk.argument)) return false;
  }
}

// Map keys must be text strings (all AWS SDKs send member names so).
bool check_key(Reader& reader) {
  Head head;
  return reader.read_head(head) && head.major == kTextString && check_string(reader, head);
}

bool check_item(Reader& reader, int depth) {
  Head head;
  if (!reader.read_head(head)) return false;
  // Tags in front of an item are walked in a loop, not nested: they add no depth.
  while (head.major == kTag) {
    if (!reader.read_head(head)) return false;
  }
  switch (head.major) {
    case kUnsignedInteger:
    case kNegativeInteger:
      return true;
    case kByteString:
    case kTextString:
      return check_string(reader, head);
    case kArray:
    case kMap: {
      if (++depth > kMaxDepth) return false;
      const bool is_map = head.major == kMap;
      if (head.indefinite()) {
        while (true) {
          if (reader.next_is_break()) {
            reader.skip_break();
            return true;
          }
          if (is_map && !check_key(reader)) return false;
          if (!check_item(reader, depth)) return false;
        }
      }
      // Every item takes at least one byte: a count beyond what is left is a lie.
      const uint64_t items_per_entry = is_map ? 2 : 1;
      if (head.argument > reader.remaining() / items_per_entry) return false;
      for (uint64_t i = 0; i < head.argument; ++i) {
        if (is_map && !check_key(reader)) return false;
        if (!check_item(reader, depth)) return false;
      }
      return true;
    }
    case kTag:
      return false;  // unreachable: tags were stepped over above
    case kSimpleOrFloat:
      // false, true, null, undefined and the three float widths; not unassigned simple
      // values (nothing maps them) and not a break outside an indefinite item.
      return (head.info >= kFalse && head.info <= kUndefined) ||
             (head.info >= kHalfFloat && head.info <= kDoubleFloat);
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Shape-directed decoding (to_value), over a body parse() proved well formed

const char* java_type_name(ShapeType t) {
  switch (t) {
    case ShapeType::kInteger:
      return "Integer";
    case ShapeType::kLong:
      return "Long";
    case ShapeType::kDouble:
      return "Double";
    case ShapeType::kFloat:
      return "Float";
    case ShapeType::kBoolean:
      return "Boolean";
    case ShapeType::kString:
      return "String";
    default:
      return "Object";
  }
}

AwsError start_of_structure() {
  return errors::serialization("Start of structure or map found where not expected.");
}
AwsError start_of_list() { return errors::serialization("Start of list found where not expected"); }

// A value of the wrong kind for a scalar member, in the JSON codec's (AWS's) words; `target`
// is the tail of the sentence ("an Integer", "a Blob", "milliseconds since epoch").
AwsError wrong_scalar_type(const Head& head, std::string_view target) {
  const std::string tail = " can not be converted to " + std::string(target);
  switch (head.major) {
    case kTextString:
      return errors::serialization("class java.lang.String" + tail);
    case kByteString:
      return errors::serialization("class [B" + tail);
    case kArray:
      return start_of_list();
    case kMap:
      return start_of_structure();
    case kSimpleOrFloat:
      if (head.info == kFalse || head.info == kTrue) {
        return errors::serialization("class java.lang.Boolean" + tail);
      }
      break;
    default:
      break;
  }
  return errors::serialization("class com.amazon.coral.value.json.numbers.TruncatingBigNumber" +
                               tail);
}

// The character base64 rejected, whole. The decoder names one byte, but the text is UTF-8
// (parse() checked it): a lone lead byte in the message would make the error body itself
// invalid UTF-8. The first non-ASCII byte of the text is the one rejected first.
class Decoder {
 public:
  explicit Decoder(std::string_view body) : reader_(body) {}

  AwsResult<Value> decode_document(const Shape* shape) {
    Head head;
    if (!read_untagged_head(head)) return fail(errors::serialization_no_message());
    return convert(head, shape);
  }

 private:
  // Reads the next head, stepping over any tags in front of it (AWS only sends tag 1, and
  // only a timestamp gives it meaning).
  bool read_untagged_head(Head& head) {
    if (!reader_.read_head(head)) return false;
    while (head.major == kTag) {
      if (!reader_.read_head(head)) return false;
    }
    return true;
  }

  // The rest of a string item whose head was read, chunks joined.
  std::optional<std::string> read_string(const Head& head) {
    std::string_view chunk;
    if (!head.indefinite()) {
      if (!reader_.read_payload(head.argument, chunk)) return std::nullopt;
      return std::string(chunk);
    }
    std::string joined;
    while (!reader_.next_is_break()) {
      Head chunk_head;
      if (!reader_.read_head(chunk_head) || !reader_.read_payload(chunk_head.argument, chunk)) {
        return std::nullopt;
      }
      joined.append(chunk);
    }
    reader_.skip_break();
    return joined;
  }

  // Skips the rest of an item whose head was read.
  bool skip_rest(const Head& head) {
    switch (head.major) {
      case kByteString:
      case kTextString:
        return read_string(head).has_value();
      case kArray:
      case kMap: {
        const int per_entry = head.major == kMap ? 2 : 1;
        if (head.indefinite()) {
          while (!reader_.next_is_break()) {
            for (int i = 0; i < per_entry; ++i) {
              if (!skip_item()) return false;
            }
          }
          reader_.skip_break();
          return true;
        }
        for (uint64_t n = 0; n < head.argument; ++n) {
          for (int i = 0; i < per_entry; ++i) {
            if (!skip_item()) return false;
          }
        }
        return true;
      }
      default:
        return true;  // integers, floats, simple values; tags were stepped over
    }
  }

  bool skip_item() {
    Head head;
    return read_untagged_head(head) && skip_rest(head);
  }

  // Visits the entries of a map (or the items of a list) whose head was read:
  // visit() consumes exactly one entry and returns an error or nothing.
  template <class Visit>
  std::optional<AwsError> for_each_entry(const Head& head, Visit&& visit) {
    if (head.indefinite()) {
      while (!reader_.next_is_break()) {
        if (auto error = visit()) return error;
      }
      reader_.skip_break();
      return std::nullopt;
    }
    for (uint64_t n = 0; n < head.argument; ++n) {
      if (auto error = visit()) return error;
    }
    return std::nullopt;
  }

  std::optional<std::string> read_key() {
    Head head;
    if (!reader_.read_head(head) || head.major != kTextString) return std::nullopt;
    return read_string(head);
  }

  AwsResult<Value> convert_structure(const Head& head, const Shape* shape) {
    if (head.major == kArray) return fail(start_of_list());
    if (head.major != kMap) return fail(errors::serialization("Expected null"));
    // Members land in model order whatever the wire order; a repeated member: the last wins.
    std::vector<std::optional<Value>> members(shape->members.size());
    auto error = for_each_entry(head, [&]() -> std::optional<AwsError> {
      auto key = read_key();
      if (!key) return errors::serialization_no_message();
      const model::Member* member = shape->find_member(*key);
      Head value_head;
      if (!read_untagged_head(value_head)) return errors::serialization_no_message();
      if (!member) {
        if (!skip_rest(value_head)) return errors::serialization_no_message();
        return std::nullopt;
      }
      auto& slot = members[static_cast<size_t>(member - shape->members.data())];
      if (is_null_or_undefined(value_head)) {
        slot.reset();
        return std::nullopt;
      }
      auto converted = convert(value_head, member->shape);
      if (!converted) return std::move(converted.error());
      slot = std::move(converted.value());
      return std::nullopt;
    });
    if (error) return fail(std::move(*error));
    Value out = Value::map();
    for (size_t i = 0; i < members.size(); ++i) {
      if (members[i]) out.set(shape->members[i].name, std::move(*members[i]));
    }
    return out;
  }

  AwsResult<Value> convert_list(const Head& head, const Shape* shape) {
    if (head.major == kMap) return fail(start_of_structure());
    if (head.major != kArray) return fail(errors::serialization("Expected list or null"));
    Value out = Value::list();
    auto error = for_each_entry(head, [&]() -> std::optional<AwsError> {
      Head item_head;
      if (!read_untagged_head(item_head)) return errors::serialization_no_message();
      if (is_null_or_undefined(item_head)) {
        out.push(Value());
        return std::nullopt;
      }
      auto converted = convert(item_head, shape->member);
      if (!converted) return std::move(converted.error());
      out.push(std::move(converted.value()));
      return std::nullopt;
    });
    if (error) return fail(std::move(*error));
    return out;
  }

  AwsResult<Value> convert_map(const Head& head, const Shape* shape) {
    if (head.major == kArray) return fail(start_of_list());
    if (head.major != kMap) return fail(errors::serialization("Expected map or null"));
    // Repeated keys are kept as sent, as the JSON codec does.
    Value out = Value::map();
    auto error = for_each_entry(head, [&]() -> std::optional<AwsError> {
      auto key = read_key();
      if (!key) return errors::serialization_no_message();
      Head value_head;
      if (!read_untagged_head(value_head)) return errors::serialization_no_message();
      if (is_null_or_undefined(value_head)) return std::nullopt;
      auto converted = convert(value_head, shape->value);
      if (!converted) return std::move(converted.error());
      out.set(std::move(*key), std::move(converted.value()));
      return std::nullopt;
    });
    if (error) return fail(std::move(*error));
    return out;
  }

  AwsResult<Value> convert_number(const Head& head, const Shape* shape) {
    const ShapeType type = shape->type;
    const bool integral = type == ShapeType::kInteger || type == ShapeType::kLong;
    const auto wrong = [&] {
      return fail(wrong_scalar_type(head, std::string("an ") + java_type_name(type)));
    };
    // Out-of-range integers are clamped and fractions dropped, as AWS's front end does.
    const int64_t highest = type == ShapeType::kInteger ? std::numeric_limits<int32_t>::max()
                                                        : std::numeric_limits<int64_t>::max();
    const int64_t lowest = type == ShapeType::kInteger ? std::numeric_limits<int32_t>::min()
                                                       : std::numeric_limits<int64_t>::min();
    if (head.major == kUnsignedInteger) {
      if (!integral) return Value(static_cast<double>(head.argument));
      return Value(head.argument > static_cast<uint64_t>(highest)
                       ? highest
                       : static_cast<int64_t>(head.argument));
    }
    if (head.major == kNegativeInteger) {
      // The value is -1 - argument.
      if (!integral) return Value(-1.0 - static_cast<double>(head.argument));
      const uint64_t limit = static_cast<uint64_t>(-(lowest + 1));
      return Value(head.argument > limit ? lowest : -1 - static_cast<int64_t>(head.argument));
    }
    if (is_float(head)) {
      const double d = float_value(head);
      if (!integral) return Value(d);
      if (std::isnan(d)) return wrong();
      const double floored = std::floor(d);
      if (floored >= static_cast<double>(highest)) return Value(highest);
      if (floored <= static_cast<double>(lowest)) return Value(lowest);
      return Value(static_cast<int64_t>(floored));
    }
    return wrong();
  }

  AwsResult<Value> convert_boolean(const Head& head) {
    if (head.major == kSimpleOrFloat && (head.info == kFalse || head.info == kTrue)) {
      return Value(head.info == kTrue);
    }
    // As in JSON: a float is accepted (non-zero is true), an integer is not.
    if (is_float(head)) return Value(float_value(head) != 0.0);
    if (head.major == kTextString) {
      auto text = read_string(head);
      if (!text) return fail(errors::serialization_no_message());
      for (auto& c : *text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (*text == "TRUE") return Value(true);
      if (*text == "FALSE") return Value(false);
      return fail(errors::serialization("'" + *text + "' can not be converted to an Boolean"));
    }
    return fail(wrong_scalar_type(head, "an Boolean"));
  }

  AwsResult<Value> convert_blob(const Head& head) {
    if (head.major == kByteString) {
      auto bytes = read_string(head);
      if (!bytes) return fail(errors::serialization_no_message());
      return Value(Blob{std::move(*bytes)});
    }
    if (head.major == kTextString) {
      auto text = read_string(head);
      if (!text) return fail(errors::serialization_no_message());
      return blob_from_base64(*text);
    }
    return fail(wrong_scalar_type(head, "a Blob"));
  }

  AwsResult<Value> convert_timestamp(const Head& head) {
    // Epoch milliseconds (see the top of this file), normally under tag 1.
    constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    if (head.major == kUnsignedInteger && head.argument <= kMax) {
      return Value(Timestamp{static_cast<int64_t>(head.argument)});
    }
    if (head.major == kNegativeInteger && head.argument <= kMax) {
      return Value(Timestamp{-1 - static_cast<int64_t>(head.argument)});
    }
    if (is_float(head)) {
      const double milliseconds = std::floor(float_value(head));
      if (std::isfinite(milliseconds) && std::fabs(milliseconds) <= 9.2e18) {
        return Value(Timestamp{static_cast<int64_t>(milliseconds)});
      }
    }
    return fail(wrong_scalar_type(head, "milliseconds since epoch"));
  }

  // Converts the item whose (untagged) head was just read against `shape`. On success the
  // whole item has been consumed; after an error the decoder is abandoned.
  AwsResult<Value> convert(const Head& head, const Shape* shape) {
    switch (shape->type) {
      case ShapeType::kStructure:
        return convert_structure(head, shape);
      case ShapeType::kList:
        return convert_list(head, shape);
      case ShapeType::kMap:
        return convert_map(head, shape);
      case ShapeType::kString: {
        if (head.major == kTextString) {
          auto text = read_string(head);
          if (!text) return fail(errors::serialization_no_message());
          return Value(std::move(*text));
        }
        return fail(wrong_scalar_type(head, "an String"));
      }
      case ShapeType::kBoolean:
        return convert_boolean(head);
      case ShapeType::kInteger:
      case ShapeType::kLong:
      case ShapeType::kDouble:
      case ShapeType::kFloat:
        return convert_number(head, shape);
      case ShapeType::kBlob:
        return convert_blob(head);
      case ShapeType::kTimestamp:
        return convert_timestamp(head);
    }
    return fail(errors::serialization_no_message());
  }

  Reader reader_;
};

class CborParsedBody final : public ParsedBody {
 public:
  explicit CborParsedBody(std::string body) : body_(std::move(body)) {}
  AwsResult<Value> to_value(const Shape* input_shape, const JsonShapeDecoders*) override {
    if (!input_shape) return Value::map();
    return Decoder(body_).decode_document(input_shape);
  }

 private:
  std::string body_;  // owned: the caller's buffer may not outlive this
};

// ---------------------------------------------------------------------------------------
// Encoding

void write_head(std::string& out, Major major, uint64_t argument) {
  const auto high = static_cast<uint8_t>(major << 5);
  int width;
  if (argument < 24) {
    out.push_back(static_cast<char>(high | argument));
    return;
  }
  if (argument <= 0xff) {
    out.push_back(static_cast<char>(high | 24));
    width = 1;
  } else if (argument <= 0xffff) {
    out.push_back(static_cast<char>(high | 25));
    width = 2;
  } else if (argument <= 0xffffffff) {
    out.push_back(static_cast<char>(high | 26));
    width = 4;
  } else {
    out.push_back(static_cast<char>(high | 27));
    width = 8;
  }
  for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((argument >> shift) & 0xff));
  }
}

void write_integer(std::string& out, int64_t v) {
  if (v >= 0) {
    write_head(out, kUnsignedInteger, static_cast<uint64_t>(v));
  } else {
    write_head(out, kNegativeInteger, static_cast<uint64_t>(-(v + 1)));
  }
}

void write_text(std::string& out, std::string_view text) {
  write_head(out, kTextString, text.size());
  out.append(text);
}

void write_value(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      out.push_back(static_cast<char>(0xe0 | kNull));
      return;
    case Value::Kind::kBool:
      out.push_back(static_cast<char>(0xe0 | (v.as_bool() ? kTrue : kFalse)));
      return;
    case Value::Kind::kInteger:
      write_integer(out, v.as_int());
      return;
    case Value::Kind::kDouble: {
      out.push_back(static_cast<char>(0xe0 | kDoubleFloat));
      const auto bits = std::bit_cast<uint64_t>(v.as_double());
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((bits >> shift) & 0xff));
      }
      return;
    }
    case Value::Kind::kString:
      write_text(out, v.as_string());
      return;
    case Value::Kind::kBlob:
      write_head(out, kByteString, v.as_blob().bytes.size());
      out.append(v.as_blob().bytes);
      return;
    case Value::Kind::kTimestamp:
      write_head(out, kTag, kEpochTag);
      write_integer(out, v.as_timestamp().epoch_ms);
      return;
    case Value::Kind::kList:
      out.push_back(static_cast<char>((kArray << 5) | kIndefinite));
      for (const auto& item : v.as_list()) write_value(out, item);
      out.push_back(static_cast<char>(kBreakByte));
      return;
    case Value::Kind::kMap:
      out.push_back(static_cast<char>((kMap << 5) | kIndefinite));
      for (const auto& [key, item] : v.as_map()) {
        write_text(out, key);
        write_value(out, item);
      }
      out.push_back(static_cast<char>(kBreakByte));
      return;
    case Value::Kind::kFragment:
      write_value(out, v.as_fragment().to_value());
      return;
  }
}

class CborCodec final : public Codec {
 public:
  std::string_view content_type() const override { return kCborContentType; }

  AwsResult<std::unique_ptr<ParsedBody>> parse(std::string_view body) const override {
    // The document must be one well-formed map (possibly tagged) and nothing after it.
    Reader reader(body);
    if (!check_item(reader, 0) || !reader.at_end()) {
      return fail(errors::serialization_no_message());
    }
    Reader root(body);
    Head head;
    while (root.read_head(head) && head.major == kTag) {
    }
    if (head.major != kMap) return fail(errors::serialization_no_message());
    return std::unique_ptr<ParsedBody>(std::make_unique<CborParsedBody>(std::string(body)));
  }

  std::string encode(const Value& document) const override {
    std::string out;
    out.reserve(256);
    write_value(out, document);
    return out;
  }

  std::string encode_error(const AwsError& error, std::string_view type) const override {
    Value body = Value::map();
    body.set("__type", std::string(type));
    if (error.message_key == AwsError::MessageKey::kLower) body.set("message", error.message);
    if (error.message_key == AwsError::MessageKey::kUpper) body.set("Message", error.message);
    for (const auto& [name, value] : error.members) body.set(name, value);
    return encode(body);
  }
};

}  // namespace

std::unique_ptr<Codec> make_cbor_codec() { return std::make_unique<CborCodec>(); }

}  // namespace trib::aws
