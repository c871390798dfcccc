// JSON codec for the AWS JSON 1.0 / 1.1 protocols.
//
// Decoding is shape-directed: a member of the wrong JSON type is a SerializationException
// whose text is what AWS's (Java) front end says, e.g. "class java.lang.String can not be
// converted to an Integer". Unknown members and null members are ignored, as on AWS.
#include <simdjson.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>

#include "aws/codec.h"
#include "aws/json_shape_decoders.h"
#include "util/base64.h"

namespace trib::aws {

namespace {

using model::Shape;
using model::ShapeType;
using simdjson::dom::element;
using simdjson::dom::element_type;

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

bool is_number(element_type t) {
  return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

// A JSON value of the wrong kind for a scalar member, worded as AWS's Java front end words it;
// `target` is the tail of the sentence ("an Integer", "a Blob", "milliseconds since epoch").
AwsError wrong_scalar_type(element_type t, std::string_view target) {
  const std::string tail = " can not be converted to " + std::string(target);
  switch (t) {
    case element_type::BOOL:
      return errors::serialization("class java.lang.Boolean" + tail);
    case element_type::STRING:
      return errors::serialization("class java.lang.String" + tail);
    case element_type::ARRAY:
      return start_of_list();
    case element_type::OBJECT:
      return start_of_structure();
    default:
      return errors::serialization("class com.amazon.coral.value.json.numbers.TruncatingBigNumber" +
                                   tail);
  }
}

AwsResult<Value> convert(element e, const Shape* shape, const JsonShapeDecoders* decoders);

AwsResult<Value> convert_structure(element e, const Shape* shape,
                                   const JsonShapeDecoders* decoders) {
  switch (e.type()) {
    case element_type::ARRAY:
      return fail(start_of_list());
    case element_type::OBJECT:
      break;
    default:
      return fail(errors::serialization("Expected null"));
  }
  simdjson::dom::object object = e.get_object().value_unsafe();
  // Which members are present and where, from one pass over the object's fields, so that no
  // member is looked up by key (DynamoDB's AttributeValue has ten members and one field; a
  // lookup per member scanned the fields ten times). A repeated field counts once, its first
  // occurrence, as a lookup by key finds it. Members past the 64th are looked up.
  const size_t count = shape->members.size();
  const size_t tracked = std::min<size_t>(count, 64);
  union Slot {
    Slot() {}  // not initialised: a slot is read only when its bit in `present` is set
    element child;
  };
  Slot found[64];
  uint64_t present = 0;
  for (auto field : object) {
    const std::string_view key = field.key;
    for (size_t i = 0; i < tracked; ++i) {
      if (shape->members[i].name == key) {
        if ((present & (uint64_t{1} << i)) == 0) found[i].child = field.value;
        present |= uint64_t{1} << i;
        break;
      }
    }
  }
  Value out = Value::map();
  out.as_map().reserve(static_cast<size_t>(std::popcount(present)));
  for (size_t i = 0; i < count; ++i) {
    element child;
    if (i < tracked) {
      if ((present & (uint64_t{1} << i)) == 0) continue;  // absent
      child = found[i].child;
    } else if (object.at_key(shape->members[i].name).get(child)) {
      continue;  // absent
    }
    if (child.is_null()) continue;
    const model::Member& member = shape->members[i];
    auto converted = convert(child, member.shape, decoders);
    if (!converted) return converted;
    out.set(member.name, std::move(converted.value()));
  }
  return out;
}

AwsResult<Value> convert(element e, const Shape* shape, const JsonShapeDecoders* decoders) {
  if (decoders) {
    if (const JsonShapeDecoders::Decode decode = decoders->find(shape)) {
      if (std::optional<Value> decoded = decode(e)) return std::move(*decoded);
    }
  }
  const element_type t = e.type();
  switch (shape->type) {
    case ShapeType::kStructure:
      return convert_structure(e, shape, decoders);
    case ShapeType::kList: {
      if (t == element_type::OBJECT) return fail(start_of_structure());
      if (t != element_type::ARRAY) return fail(errors::serialization("Expected list or null"));
      Value out = Value::list();
      const simdjson::dom::array array = e.get_array().value_unsafe();
      for (element child : array) {
        if (child.is_null()) {
          out.push(Value());
          continue;
        }
        auto converted = convert(child, shape->member, decoders);
        if (!converted) return converted;
        out.push(std::move(converted.value()));
      }
      return out;
    }
    case ShapeType::kMap: {
      if (t == element_type::ARRAY) return fail(start_of_list());
      if (t != element_type::OBJECT) return fail(errors::serialization("Expected map or null"));
      Value out = Value::map();
      const simdjson::dom::object object = e.get_object().value_unsafe();
      for (auto field : object) {
        if (field.value.is_null()) continue;
        auto converted = convert(field.value, shape->value, decoders);
        if (!converted) return converted;
        out.set(std::string(field.key), std::move(converted.value()));
      }
      return out;
    }
    case ShapeType::kString: {
      if (t == element_type::STRING) return Value(std::string_view(e.get_string().value_unsafe()));
      return fail(wrong_scalar_type(t, "an String"));
    }
    case ShapeType::kBoolean: {
      if (t == element_type::BOOL) return Value(e.get_bool().value_unsafe());
      // AWS accepts a JSON double for a Boolean (non-zero is true) but not an integer.
      if (t == element_type::DOUBLE) return Value(e.get_double().value_unsafe() != 0.0);
      if (t == element_type::STRING) {
        std::string upper(e.get_string().value_unsafe());
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (upper == "TRUE") return Value(true);
        if (upper == "FALSE") return Value(false);
        return fail(errors::serialization("'" + upper + "' can not be converted to an Boolean"));
      }
      return fail(wrong_scalar_type(t, "an Boolean"));
    }
    case ShapeType::kInteger:
    case ShapeType::kLong:
    case ShapeType::kDouble:
    case ShapeType::kFloat: {
      const bool integral = shape->type == ShapeType::kInteger || shape->type == ShapeType::kLong;
      // Out-of-range integers are clamped and fractions truncated, as AWS's front end does.
      const double lowest = shape->type == ShapeType::kInteger ? -2147483648.0 : -9.2e18;
      const double highest = shape->type == ShapeType::kInteger ? 2147483647.0 : 9.2e18;
      auto clamp = [&](double d) -> Value {
        d = std::floor(d);
        if (d >= highest) {
          return shape->type == ShapeType::kInteger ? Value(int64_t{2147483647})
                                                    : Value(std::numeric_limits<int64_t>::max());
        }
        if (d <= lowest) {
          return shape->type == ShapeType::kInteger ? Value(int64_t{-2147483648LL})
                                                    : Value(std::numeric_limits<int64_t>::min());
        }
        return Value(static_cast<int64_t>(d));
      };
      if (t == element_type::INT64) {
        int64_t v = e.get_int64().value_unsafe();
        if (!integral) return Value(static_cast<double>(v));
        if (shape->type == ShapeType::kInteger) return clamp(static_cast<double>(v));
        return Value(v);
      }
      if (t == element_type::UINT64) {
        uint64_t v = e.get_uint64().value_unsafe();
        return integral ? clamp(static_cast<double>(v)) : Value(static_cast<double>(v));
      }
      if (t == element_type::DOUBLE) {
        double d = e.get_double().value_unsafe();
        return integral ? clamp(d) : Value(d);
      }
      return fail(wrong_scalar_type(t, std::string("an ") + java_type_name(shape->type)));
    }
    case ShapeType::kBlob: {
      if (t == element_type::STRING) return blob_from_base64(e.get_string().value_unsafe());
      return fail(wrong_scalar_type(t, "a Blob"));
    }
    case ShapeType::kTimestamp: {
      // AWS JSON timestamps are epoch seconds, possibly with a fraction.
      if (is_number(t)) {
        double seconds = 0;
        if (t == element_type::DOUBLE)
          seconds = e.get_double().value_unsafe();
        else if (t == element_type::INT64)
          seconds = static_cast<double>(e.get_int64().value_unsafe());
        else
          seconds = static_cast<double>(e.get_uint64().value_unsafe());
        if (std::isfinite(seconds) && std::fabs(seconds) <= 9.0e15) {
          return Value(Timestamp{static_cast<int64_t>(std::floor(seconds * 1000.0 + 1e-6))});
        }
      }
      return fail(wrong_scalar_type(t, "milliseconds since epoch"));
    }
  }
  return fail(errors::serialization_no_message());
}

class JsonParsedBody final : public ParsedBody {
 public:
  explicit JsonParsedBody(element root) : root_(root) {}
  AwsResult<Value> to_value(const Shape* input_shape, const JsonShapeDecoders* decoders) override {
    if (!input_shape) return Value::map();
    return convert(root_, input_shape, decoders);
  }

 private:
  element root_;
};

class JsonCodec final : public Codec {
 public:
  explicit JsonCodec(std::string content_type) : content_type_(std::move(content_type)) {}
  std::string_view content_type() const override { return content_type_; }

  AwsResult<std::unique_ptr<ParsedBody>> parse(std::string_view body) const override {
    thread_local simdjson::dom::parser parser;
    element root;
    if (parser.parse(body.data(), body.size(), true).get(root) ||
        root.type() != element_type::OBJECT) {
      return fail(errors::serialization_no_message());
    }
    return std::unique_ptr<ParsedBody>(std::make_unique<JsonParsedBody>(root));
  }

  std::string encode(const Value& document) const override { return to_json(document); }

  std::string encode_error(const AwsError& error, std::string_view type) const override {
    Value body = Value::map();
    body.set("__type", std::string(type));
    if (error.message_key == AwsError::MessageKey::kLower) body.set("message", error.message);
    if (error.message_key == AwsError::MessageKey::kUpper) body.set("Message", error.message);
    for (const auto& [name, value] : error.members) body.set(name, value);
    return to_json(body);
  }

 private:
  std::string content_type_;
};

bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// Whether any of eight bytes is below 0x20, '"' or '\\' (bit tricks on a 64-bit word).
bool any_needs_escape(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto has_zero_byte = [](uint64_t x) { return (x - kOnes) & ~x & kHighs; };
  const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighs;
  return (below_space | has_zero_byte(word ^ (kOnes * '"')) |
          has_zero_byte(word ^ (kOnes * '\\'))) != 0;
}

// The index of the first byte at or after `i` that JSON needs escaped, or s.size(). Most
// strings (sequence numbers, partition keys, names, hex or base64 payloads) have none: sixteen
// bytes at a time with SSE2 (every x86-64 has it; the drain of DynamoDB Streams spent a
// quarter of its instructions here with eight-byte words, bench/README.md "Session 9"), then
// eight, then single bytes.
size_t next_escape(std::string_view s, size_t i) {
#if defined(__SSE2__)
  const __m128i below_space = _mm_set1_epi8(0x1f), quote = _mm_set1_epi8('"'),
                backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    // max(v, 0x1f) == 0x1f exactly for the bytes 0x00-0x1f (unsigned).
    const __m128i hits =
        _mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(v, below_space), below_space),
                     _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    const int mask = _mm_movemask_epi8(hits);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if (any_needs_escape(word)) break;
  }
  while (i < s.size() && !needs_escape(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run_start = 0;
  for (size_t i = next_escape(s, 0); i < s.size(); i = next_escape(s, i)) {
    const auto c = static_cast<unsigned char>(s[i]);
    out.append(s.data() + run_start, i - run_start);
    run_start = ++i;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(s.data() + run_start, s.size() - run_start);
  out.push_back('"');
}

namespace {

void write_value(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      out.append("null");
      return;
    case Value::Kind::kBool:
      out.append(v.as_bool() ? "true" : "false");
      return;
    case Value::Kind::kInteger:
      out.append(std::to_string(v.as_int()));
      return;
    case Value::Kind::kDouble: {
      char buf[64];
      double d = v.as_double();
      if (d == std::floor(d) && std::fabs(d) < 1e15) {
        std::snprintf(buf, sizeof buf, "%.1f", d);
      } else {
        std::snprintf(buf, sizeof buf, "%.17g", d);
      }
      out.append(buf);
      return;
    }
    case Value::Kind::kString:
      append_json_string(out, v.as_string());
      return;
    case Value::Kind::kBlob:
      // The base64 alphabet needs no JSON escaping.
      out.push_back('"');
      base64::encode_append(out, v.as_blob().bytes);
      out.push_back('"');
      return;
    case Value::Kind::kTimestamp: {
      // Epoch seconds with a millisecond fraction, never in exponent form; a time before 1970
      // is its sign and then its magnitude (-700 ms is -0.700: json_fuzz found it written as
      // -1.300, which reads back as -1,300 ms).
      const int64_t ms = v.as_timestamp().epoch_ms;
      const uint64_t magnitude = ms < 0 ? 0 - static_cast<uint64_t>(ms) : static_cast<uint64_t>(ms);
      const uint64_t millis = magnitude % 1000;
      if (ms < 0) out.push_back('-');
      out.append(std::to_string(magnitude / 1000));
      out.push_back('.');
      out.push_back(static_cast<char>('0' + millis / 100));
      out.push_back(static_cast<char>('0' + millis / 10 % 10));
      out.push_back(static_cast<char>('0' + millis % 10));
      return;
    }
    case Value::Kind::kList: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.as_list()) {
        if (!first) out.push_back(',');
        first = false;
        write_value(out, item);
      }
      out.push_back(']');
      return;
    }
    case Value::Kind::kMap: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : v.as_map()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, key);
        out.push_back(':');
        write_value(out, item);
      }
      out.push_back('}');
      return;
    }
    case Value::Kind::kFragment:
      v.as_fragment().write_json(out);
      return;
  }
}

}  // namespace

AwsResult<Value> blob_from_base64(std::string_view text) {
  base64::DecodeError why{};
  auto bytes = base64::decode(text, &why);
  if (bytes) return Value(Blob{std::move(*bytes)});
  const std::string prefix = "'" + std::string(text) + "' can not be converted to a Blob: ";
  switch (why.kind) {
    case base64::DecodeError::Kind::kLength:
      return fail(errors::serialization(
          prefix + "Base64 encoded length is expected a multiple of 4 bytes but found: " +
          std::to_string(why.length)));
    case base64::DecodeError::Kind::kCharacter:
      return fail(
          errors::serialization(prefix + "Invalid Base64 character: '" + why.bad_character + "'"));
    case base64::DecodeError::Kind::kLastCharacter:
      break;
  }
  return fail(errors::serialization(prefix + "Invalid last non-pad Base64 character dectected"));
}

std::string to_json(const Value& document) {
  std::string out;
  out.reserve(256);
  write_value(out, document);
  return out;
}

std::unique_ptr<Codec> make_json_codec(std::string content_type) {
  return std::make_unique<JsonCodec>(std::move(content_type));
}

}  // namespace trib::aws
