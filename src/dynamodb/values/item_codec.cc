#include "dynamodb/values/item_codec.h"

#include <cstring>

#include "aws/codec.h"
#include "dynamodb/values/item_json.h"
#include "util/base64.h"

namespace trib::dynamodb {

namespace {

constexpr int kMaxDecodeDepth = 64;

void put_varint(std::string& out, uint64_t v) {
  char buffer[10];
  size_t n = 0;
  while (v >= 0x80) {
    buffer[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buffer[n++] = static_cast<char>(v);
  out.append(buffer, n);
}

void put_bytes(std::string& out, std::string_view bytes) {
  put_varint(out, bytes.size());
  out.append(bytes);
}

void encode_value(const AttributeValue& value, std::string& out);

void encode_entries(const AttributeMap& map, std::string& out) {
  put_varint(out, map.size());
  for (const auto& [name, value] : map) {
    put_bytes(out, name);
    encode_value(value, out);
  }
}

void encode_value(const AttributeValue& value, std::string& out) {
  out.push_back(static_cast<char>(value.type()));
  switch (value.type()) {
    case AttributeType::kS:
      put_bytes(out, value.as_string());
      break;
    case AttributeType::kN:
      value.as_number().append_order_key(out);
      break;
    case AttributeType::kB:
      put_bytes(out, value.as_binary());
      break;
    case AttributeType::kBool:
      out.push_back(value.as_bool() ? 1 : 0);
      break;
    case AttributeType::kNull:
      break;
    case AttributeType::kM:
      encode_entries(value.as_map(), out);
      break;
    case AttributeType::kL:
      put_varint(out, value.as_list().size());
      for (const auto& element : value.as_list()) encode_value(element, out);
      break;
    case AttributeType::kSS:
      put_varint(out, value.as_string_set().size());
      for (const auto& s : value.as_string_set()) put_bytes(out, s);
      break;
    case AttributeType::kNS:
      put_varint(out, value.as_number_set().size());
      for (const auto& n : value.as_number_set()) n.append_order_key(out);
      break;
    case AttributeType::kBS:
      put_varint(out, value.as_binary_set().size());
      for (const auto& b : value.as_binary_set()) put_bytes(out, b);
      break;
  }
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool empty() const { return in_.empty(); }
  size_t remaining() const { return in_.size(); }

  bool byte(uint8_t* v) {
    if (in_.empty()) return false;
    *v = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return true;
  }
  bool varint(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = 0;
      if (!byte(&b)) return false;
      result |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        *v = result;
        return true;
      }
    }
    return false;
  }
  // A count of elements each taking at least one byte: bounded by what is left.
  bool count(size_t* n) {
    uint64_t v = 0;
    if (!varint(&v) || v > in_.size()) return false;
    *n = static_cast<size_t>(v);
    return true;
  }
  bool bytes(std::string* out) {
    std::string_view view;
    if (!bytes(&view)) return false;
    out->assign(view);
    return true;
  }
  bool bytes(std::string_view* out) {
    uint64_t n = 0;
    if (!varint(&n) || n > in_.size()) return false;
    *out = in_.substr(0, static_cast<size_t>(n));
    in_.remove_prefix(static_cast<size_t>(n));
    return true;
  }
  bool number(Number* out) {
    auto n = Number::decode_order_key(in_);
    if (!n) return false;
    *out = *n;
    return true;
  }
  // A number and its encoding (which orders as the number does).
  bool number(Number* out, std::string_view* encoding) {
    const char* start = in_.data();
    if (!number(out)) return false;
    *encoding = std::string_view(start, static_cast<size_t>(in_.data() - start));
    return true;
  }

 private:
  std::string_view in_;
};

bool decode_value(Reader& r, int depth, AttributeValue* out);

bool decode_entries(Reader& r, int depth, AttributeMap* out) {
  size_t n = 0;
  if (!r.count(&n)) return false;
  out->reserve(n);
  for (size_t i = 0; i < n; ++i) {
    std::string name;
    AttributeValue value;
    if (!r.bytes(&name) || !decode_value(r, depth, &value)) return false;
    out->emplace_back(std::move(name), std::move(value));
  }
  return true;
}

bool decode_value(Reader& r, int depth, AttributeValue* out) {
  if (depth > kMaxDecodeDepth) return false;
  uint8_t tag = 0;
  if (!r.byte(&tag) || tag > static_cast<uint8_t>(AttributeType::kBS)) return false;
  switch (static_cast<AttributeType>(tag)) {
    case AttributeType::kS:
    case AttributeType::kB: {
      std::string bytes;
      if (!r.bytes(&bytes)) return false;
      *out = tag == static_cast<uint8_t>(AttributeType::kS)
                 ? AttributeValue::string(std::move(bytes))
                 : AttributeValue::binary(std::move(bytes));
      return true;
    }
    case AttributeType::kN: {
      Number n;
      if (!r.number(&n)) return false;
      *out = AttributeValue::number(n);
      return true;
    }
    case AttributeType::kBool: {
      uint8_t b = 0;
      if (!r.byte(&b) || b > 1) return false;
      *out = AttributeValue::boolean(b == 1);
      return true;
    }
    case AttributeType::kNull:
      *out = AttributeValue::null();
      return true;
    case AttributeType::kM: {
      AttributeMap entries;
      if (!decode_entries(r, depth + 1, &entries)) return false;
      *out = AttributeValue::map(std::move(entries));
      return true;
    }
    case AttributeType::kL: {
      size_t n = 0;
      if (!r.count(&n)) return false;
      AttributeList elements(n);
      for (size_t i = 0; i < n; ++i) {
        if (!decode_value(r, depth + 1, &elements[i])) return false;
      }
      *out = AttributeValue::list(std::move(elements));
      return true;
    }
    case AttributeType::kSS:
    case AttributeType::kBS: {
      size_t n = 0;
      if (!r.count(&n) || n == 0) return false;
      std::vector<std::string> elements(n);
      for (size_t i = 0; i < n; ++i) {
        if (!r.bytes(&elements[i])) return false;
      }
      *out = tag == static_cast<uint8_t>(AttributeType::kSS)
                 ? AttributeValue::string_set(std::move(elements))
                 : AttributeValue::binary_set(std::move(elements));
      return true;
    }
    case AttributeType::kNS: {
      size_t n = 0;
      if (!r.count(&n) || n == 0) return false;
      NumberSet elements(n);
      for (size_t i = 0; i < n; ++i) {
        if (!r.number(&elements[i])) return false;
      }
      *out = AttributeValue::number_set(std::move(elements));
      return true;
    }
  }
  return false;
}

// ---- Encoding -> JSON (append_item_json) ----
// Mirrors decode_value's checks (so it accepts no bytes decode_item refuses) and refuses, in
// addition, the non-canonical forms decode_item would reorder, so its JSON is always that of
// the decoded Item. Each function returns the attribute_size of what it wrote, or nullopt.

std::optional<size_t> json_entries(Reader& r, int depth, size_t entry_overhead, std::string& out);

void append_number_json(std::string& out, const Number& n) {
  out.push_back('"');
  n.append_to(out);  // digits, '-', '.': nothing to escape
  out.push_back('"');
}

void append_binary_json(std::string& out, std::string_view bytes) {
  out.push_back('"');
  base64::encode_append(out, bytes);  // the base64 alphabet needs no escaping
  out.push_back('"');
}

// Reads the `i`th of a run of byte strings that must be strictly increasing (set elements, map
// names; `previous` carries the last one read): false when it cannot be read or is out of order.
bool next_increasing(Reader& r, size_t i, std::string_view& previous, std::string_view* element) {
  if (!r.bytes(element) || (i > 0 && !(previous < *element))) return false;
  previous = *element;
  return true;
}

// SS and BS: `n` >= 1 byte strings in strictly increasing unsigned byte order.
std::optional<size_t> json_byte_set(Reader& r, bool binary, std::string& out) {
  size_t n = 0;
  if (!r.count(&n) || n == 0) return std::nullopt;
  size_t size = 0;
  std::string_view previous;
  out.push_back('[');
  for (size_t i = 0; i < n; ++i) {
    std::string_view element;
    if (!next_increasing(r, i, previous, &element)) return std::nullopt;
    if (i > 0) out.push_back(',');
    if (binary) {
      append_binary_json(out, element);
    } else {
      aws::append_json_string(out, element);
    }
    size += element.size();
  }
  out.push_back(']');
  return size;
}

std::optional<size_t> json_value(Reader& r, int depth, std::string& out) {
  if (depth > kMaxDecodeDepth) return std::nullopt;
  uint8_t tag = 0;
  if (!r.byte(&tag) || tag > static_cast<uint8_t>(AttributeType::kBS)) return std::nullopt;
  const auto type = static_cast<AttributeType>(tag);
  out.append("{\"");
  out.append(type_name(type));
  out.append("\":");
  std::optional<size_t> size;
  switch (type) {
    case AttributeType::kS:
    case AttributeType::kB: {
      std::string_view bytes;
      if (!r.bytes(&bytes)) return std::nullopt;
      if (type == AttributeType::kS) {
        aws::append_json_string(out, bytes);
      } else {
        append_binary_json(out, bytes);
      }
      size = bytes.size();
      break;
    }
    case AttributeType::kN: {
      Number n;
      if (!r.number(&n)) return std::nullopt;
      append_number_json(out, n);
      size = n.storage_size();
      break;
    }
    case AttributeType::kBool: {
      uint8_t b = 0;
      if (!r.byte(&b) || b > 1) return std::nullopt;
      out.append(b == 1 ? "true" : "false");
      size = 1;
      break;
    }
    case AttributeType::kNull:
      out.append("true");
      size = 1;
      break;
    case AttributeType::kM:
      size = json_entries(r, depth + 1, 1, out);
      if (!size) return std::nullopt;
      *size += 3;
      break;
    case AttributeType::kL: {
      size_t n = 0;
      if (!r.count(&n)) return std::nullopt;
      size_t total = 3;
      out.push_back('[');
      for (size_t i = 0; i < n; ++i) {
        if (i > 0) out.push_back(',');
        auto element = json_value(r, depth + 1, out);
        if (!element) return std::nullopt;
        total += 1 + *element;
      }
      out.push_back(']');
      size = total;
      break;
    }
    case AttributeType::kSS:
    case AttributeType::kBS:
      size = json_byte_set(r, type == AttributeType::kBS, out);
      if (!size) return std::nullopt;
      break;
    case AttributeType::kNS: {
      size_t n = 0;
      if (!r.count(&n) || n == 0) return std::nullopt;
      size_t total = 0;
      std::string_view previous;
      out.push_back('[');
      for (size_t i = 0; i < n; ++i) {
        Number number;
        std::string_view encoding;
        // Encodings order as their numbers: increasing encodings are increasing numbers.
        if (!r.number(&number, &encoding) || (i > 0 && !(previous < encoding))) {
          return std::nullopt;
        }
        previous = encoding;
        if (i > 0) out.push_back(',');
        append_number_json(out, number);
        total += number.storage_size();
      }
      out.push_back(']');
      size = total;
      break;
    }
  }
  out.push_back('}');
  return size;
}

// A map's entries as a JSON object (names strictly increasing); the sum over its entries of
// `entry_overhead` + name size + attribute_size (an item: overhead 0, so item_size; a map
// attribute: 1 per entry, and json_value adds its 3).
std::optional<size_t> json_entries(Reader& r, int depth, size_t entry_overhead, std::string& out) {
  size_t n = 0;
  if (!r.count(&n)) return std::nullopt;
  size_t size = 0;
  std::string_view previous;
  out.push_back('{');
  for (size_t i = 0; i < n; ++i) {
    std::string_view name;
    if (!next_increasing(r, i, previous, &name)) return std::nullopt;
    if (i > 0) out.push_back(',');
    aws::append_json_string(out, name);
    out.push_back(':');
    auto value = json_value(r, depth, out);
    if (!value) return std::nullopt;
    size += entry_overhead + name.size() + *value;
  }
  out.push_back('}');
  return size;
}

// ---- XXH64 ----
constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
uint64_t read64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;  // little-endian hosts (x86-64, aarch64)
}
uint32_t read32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
uint64_t xxh_round(uint64_t acc, uint64_t input) {
  acc += input * kPrime2;
  acc = rotl(acc, 31);
  return acc * kPrime1;
}
uint64_t merge_round(uint64_t acc, uint64_t val) {
  acc ^= xxh_round(0, val);
  return acc * kPrime1 + kPrime4;
}

}  // namespace

void encode_item(const Item& item, std::string& out) {
  out.push_back(static_cast<char>(kItemEncodingVersion));
  encode_entries(item, out);
}

std::string encode_item(const Item& item) {
  std::string out;
  encode_item(item, out);
  return out;
}

std::optional<Item> decode_item(std::string_view bytes) {
  Reader r(bytes);
  uint8_t version = 0;
  if (!r.byte(&version) || version != kItemEncodingVersion) return std::nullopt;
  AttributeMap entries;
  if (!decode_entries(r, 1, &entries) || !r.empty()) return std::nullopt;
  AttributeValue map = AttributeValue::map(std::move(entries));
  return std::move(map.as_map());
}

std::optional<size_t> append_item_json(std::string& out, std::string_view bytes) {
  const size_t start = out.size();
  Reader r(bytes);
  uint8_t version = 0;
  std::optional<size_t> size;
  if (r.byte(&version) && version == kItemEncodingVersion) size = json_entries(r, 1, 0, out);
  if (!size || !r.empty()) {
    out.resize(start);
    return std::nullopt;
  }
  return size;
}

bool append_key_component(std::string& out, const AttributeValue& value) {
  std::string_view bytes;
  switch (value.type()) {
    case AttributeType::kN:
      value.as_number().append_order_key(out);
      return true;
    case AttributeType::kS:
      bytes = value.as_string();
      break;
    case AttributeType::kB:
      bytes = value.as_binary();
      break;
    default:
      return false;
  }
  size_t start = 0;
  while (true) {
    const size_t zero = bytes.find('\0', start);
    if (zero == std::string_view::npos) break;
    out.append(bytes.substr(start, zero - start + 1));
    out.push_back('\xff');
    start = zero + 1;
  }
  out.append(bytes.substr(start));
  out.push_back('\0');
  out.push_back('\x01');
  return true;
}

std::optional<AttributeValue> decode_key_component(std::string_view& in, AttributeType type) {
  if (type == AttributeType::kN) {
    std::string_view copy = in;
    auto n = Number::decode_order_key(copy);
    if (!n) return std::nullopt;
    in = copy;
    return AttributeValue::number(*n);
  }
  if (type != AttributeType::kS && type != AttributeType::kB) return std::nullopt;
  std::string bytes;
  size_t pos = 0;
  while (true) {
    const size_t zero = in.find('\0', pos);
    if (zero == std::string_view::npos || zero + 1 >= in.size()) return std::nullopt;
    bytes.append(in.substr(pos, zero - pos));
    const char next = in[zero + 1];
    if (next == '\x01') {
      in.remove_prefix(zero + 2);
      break;
    }
    if (next != '\xff') return std::nullopt;
    bytes.push_back('\0');
    pos = zero + 2;
  }
  return type == AttributeType::kS ? AttributeValue::string(std::move(bytes))
                                   : AttributeValue::binary(std::move(bytes));
}

uint64_t xxhash64(std::string_view bytes, uint64_t seed) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const unsigned char* const end = p + bytes.size();
  uint64_t h;
  if (bytes.size() >= 32) {
    const unsigned char* const limit = end - 32;
    uint64_t v1 = seed + kPrime1 + kPrime2;
    uint64_t v2 = seed + kPrime2;
    uint64_t v3 = seed;
    uint64_t v4 = seed - kPrime1;
    do {
      v1 = xxh_round(v1, read64(p));
      v2 = xxh_round(v2, read64(p + 8));
      v3 = xxh_round(v3, read64(p + 16));
      v4 = xxh_round(v4, read64(p + 24));
      p += 32;
    } while (p <= limit);
    h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
    h = merge_round(h, v1);
    h = merge_round(h, v2);
    h = merge_round(h, v3);
    h = merge_round(h, v4);
  } else {
    h = seed + kPrime5;
  }
  h += static_cast<uint64_t>(bytes.size());
  while (p + 8 <= end) {
    h ^= xxh_round(0, read64(p));
    h = rotl(h, 27) * kPrime1 + kPrime4;
    p += 8;
  }
  if (p + 4 <= end) {
    h ^= static_cast<uint64_t>(read32(p)) * kPrime1;
    h = rotl(h, 23) * kPrime2 + kPrime3;
    p += 4;
  }
  while (p < end) {
    h ^= static_cast<uint64_t>(*p) * kPrime5;
    h = rotl(h, 11) * kPrime1;
    ++p;
  }
  h ^= h >> 33;
  h *= kPrime2;
  h ^= h >> 29;
  h *= kPrime3;
  h ^= h >> 32;
  return h;
}

uint64_t partition_key_hash(const AttributeValue& value) {
  switch (value.type()) {
    case AttributeType::kS:
      return xxhash64(value.as_string());
    case AttributeType::kB:
      return xxhash64(value.as_binary());
    case AttributeType::kN: {
      std::string key;
      value.as_number().append_order_key(key);
      return xxhash64(key);
    }
    default:
      return 0;
  }
}

uint64_t partition_key_hash(std::span<const AttributeValue* const> values) {
  if (values.size() == 1) return partition_key_hash(*values[0]);
  std::string components;
  for (const AttributeValue* value : values) append_key_component(components, *value);
  return xxhash64(components);
}

}  // namespace trib::dynamodb
