#include "aws/java_hash.h"

#include <bit>
#include <cmath>
#include <cstdio>
#include <vector>

namespace trib::aws::java_hash {

namespace {

// Java int arithmetic: 32-bit two's complement, wrapping.
int32_t times_31_plus(int32_t h, int32_t term) {
  return static_cast<int32_t>(31u * static_cast<uint32_t>(h) + static_cast<uint32_t>(term));
}

// Calls `emit` with each UTF-16 code unit of a UTF-8 string. A malformed sequence becomes
// U+FFFD, one per byte, as Java's decoder replaces it.
template <class Emit>
void for_each_utf16_unit(std::string_view utf8, const Emit& emit) {
  for (size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    size_t width = lead < 0x80           ? 1
                   : (lead >> 5) == 0x6  ? 2
                   : (lead >> 4) == 0xe  ? 3
                   : (lead >> 3) == 0x1e ? 4
                                         : 0;
    uint32_t code_point = width == 1   ? lead
                          : width == 2 ? lead & 0x1fu
                          : width == 3 ? lead & 0x0fu
                                       : lead & 0x07u;
    bool valid = width != 0 && i + width <= utf8.size();
    for (size_t k = 1; valid && k < width; ++k) {
      const auto next = static_cast<unsigned char>(utf8[i + k]);
      valid = (next & 0xc0) == 0x80;
      code_point = (code_point << 6) | (next & 0x3fu);
    }
    if (!valid) {
      emit(0xfffd);
      ++i;
      continue;
    }
    if (code_point >= 0x10000) {
      code_point -= 0x10000;
      emit(static_cast<uint16_t>(0xd800 + (code_point >> 10)));
      emit(static_cast<uint16_t>(0xdc00 + (code_point & 0x3ff)));
    } else {
      emit(static_cast<uint16_t>(code_point));
    }
    i += width;
  }
}

}  // namespace

int32_t string_hash(std::string_view utf8) {
  int32_t h = 0;
  for_each_utf16_unit(utf8, [&](uint16_t unit) { h = times_31_plus(h, unit); });
  return h;
}

int32_t byte_buffer_hash(std::string_view bytes) {
  int32_t h = 1;
  for (size_t i = bytes.size(); i-- > 0;) h = times_31_plus(h, static_cast<int8_t>(bytes[i]));
  return h;
}

int32_t long_hash(int64_t value) {
  const auto bits = static_cast<uint64_t>(value);
  return static_cast<int32_t>(static_cast<uint32_t>(bits ^ (bits >> 32)));
}

int32_t boolean_hash(bool value) { return value ? 1231 : 1237; }

int32_t double_hash(double value) {
  // Double.doubleToLongBits: every NaN is the canonical 0x7ff8000000000000.
  const uint64_t bits = std::isnan(value) ? 0x7ff8000000000000ull : std::bit_cast<uint64_t>(value);
  return long_hash(static_cast<int64_t>(bits));
}

int32_t float_hash(float value) {
  const uint32_t bits = std::isnan(value) ? 0x7fc00000u : std::bit_cast<uint32_t>(value);
  return static_cast<int32_t>(bits);
}

int32_t list_hash(std::span<const int32_t> element_hashes) {
  int32_t h = 1;
  for (int32_t e : element_hashes) h = times_31_plus(h, e);
  return h;
}

int32_t structure_hash(std::string_view class_name, std::span<const int32_t> member_hashes) {
  // classNameHashCode = Arrays.hashCode(new Object[] {className})
  const int32_t class_term = times_31_plus(1, string_hash(class_name));
  int32_t h = times_31_plus(1, class_term);
  for (int32_t m : member_hashes) h = times_31_plus(h, m);
  return h;
}

int32_t value_hash(const Value& value, const model::Shape& shape, std::string_view class_prefix) {
  using model::ShapeType;
  switch (value.kind()) {
    case Value::Kind::kNull:
      return 0;
    case Value::Kind::kBool:
      return boolean_hash(value.as_bool());
    case Value::Kind::kInteger:
      // Integer.hashCode() is the value itself; Long's folds the halves.
      return shape.type == ShapeType::kLong ? long_hash(value.as_int())
                                            : static_cast<int32_t>(value.as_int());
    case Value::Kind::kDouble:
      return shape.type == ShapeType::kFloat ? float_hash(static_cast<float>(value.as_double()))
                                             : double_hash(value.as_double());
    case Value::Kind::kString:
      return string_hash(value.as_string());
    case Value::Kind::kBlob:
      return byte_buffer_hash(value.as_blob().bytes);
    case Value::Kind::kTimestamp:
      return long_hash(value.as_timestamp().epoch_ms);  // java.util.Date (a guess: not captured)
    case Value::Kind::kList: {
      std::vector<int32_t> hashes;
      hashes.reserve(value.as_list().size());
      for (const auto& item : value.as_list()) {
        hashes.push_back(shape.member ? value_hash(item, *shape.member, class_prefix) : 0);
      }
      return list_hash(hashes);
    }
    case Value::Kind::kMap: {
      if (shape.type == ShapeType::kStructure) {
        std::vector<int32_t> hashes;
        hashes.reserve(shape.members.size());
        for (const auto& member : shape.members) {
          const Value* v = value.find(member.name);
          hashes.push_back(v && member.shape ? value_hash(*v, *member.shape, class_prefix) : 0);
        }
        return structure_hash(std::string(class_prefix) + shape.name, hashes);
      }
      // Map.hashCode(): the sum of key.hashCode() ^ value.hashCode() over the entries.
      int32_t sum = 0;
      for (const auto& [key, item] : value.as_map()) {
        const int32_t entry =
            string_hash(key) ^ (shape.value ? value_hash(item, *shape.value, class_prefix) : 0);
        sum = static_cast<int32_t>(static_cast<uint32_t>(sum) + static_cast<uint32_t>(entry));
      }
      return sum;
    }
    case Value::Kind::kFragment:
      return value_hash(value.as_fragment().to_value(), shape, class_prefix);
  }
  return 0;
}

std::string to_hex_string(int32_t value) {
  char hex[9];
  std::snprintf(hex, sizeof hex, "%x", static_cast<uint32_t>(value));
  return hex;
}

}  // namespace trib::aws::java_hash
