#include "util/base64.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

namespace trib::base64 {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> make_reverse() {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i)
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  return table;
}
constexpr std::array<int8_t, 256> kReverse = make_reverse();

// The value of a character at each position of a four-character group, already shifted into
// place; characters outside the alphabet set kInvalid, so one test per group finds them.
constexpr uint32_t kInvalid = 0x01000000;
constexpr std::array<uint32_t, 256> make_shifted(int shift) {
  std::array<uint32_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const int8_t value = kReverse[static_cast<size_t>(c)];
    table[static_cast<size_t>(c)] = value < 0 ? kInvalid : static_cast<uint32_t>(value) << shift;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kShift18 = make_shifted(18);
constexpr std::array<uint32_t, 256> kShift12 = make_shifted(12);
constexpr std::array<uint32_t, 256> kShift6 = make_shifted(6);
constexpr std::array<uint32_t, 256> kShift0 = make_shifted(0);

uint32_t group_value(const unsigned char* p) {
  return kShift18[p[0]] | kShift12[p[1]] | kShift6[p[2]] | kShift0[p[3]];
}

// One pass over text that is valid base64 (the common case); nullopt for anything else, which
// the careful path then examines to name the problem.
std::optional<std::string> decode_valid(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  if (text.empty()) return std::string();
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t groups = text.size() / 4;
  size_t padding = 0;
  if (p[text.size() - 1] == '=') padding = p[text.size() - 2] == '=' ? 2 : 1;
  std::string out(groups * 3 - padding, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  uint32_t invalid = 0;
  for (size_t g = 0; g + 1 < groups; ++g, p += 4, o += 3) {
    const uint32_t n = group_value(p);
    invalid |= n;
    o[0] = static_cast<unsigned char>(n >> 16);
    o[1] = static_cast<unsigned char>(n >> 8);
    o[2] = static_cast<unsigned char>(n);
  }
  if (invalid & kInvalid) return std::nullopt;
  // The last group, with its padding: "xy==" gives one byte, "xyz=" two.
  constexpr unsigned char kZero = 'A';
  const unsigned char last[4] = {p[0], p[1], padding == 2 ? kZero : p[2],
                                 padding >= 1 ? kZero : p[3]};
  const uint32_t n = group_value(last);
  if (n & kInvalid) return std::nullopt;
  if ((padding == 2 && (n & 0xffff) != 0) || (padding == 1 && (n & 0xff) != 0)) {
    return std::nullopt;  // leftover bits of the last character must be zero
  }
  o[0] = static_cast<unsigned char>(n >> 16);
  if (padding < 2) o[1] = static_cast<unsigned char>(n >> 8);
  if (padding < 1) o[2] = static_cast<unsigned char>(n);
  return out;
}

}  // namespace

std::string encode(std::string_view bytes) {
  std::string out;
  encode_append(out, bytes);
  return out;
}

void encode_append(std::string& out, std::string_view bytes) {
  const size_t start = out.size();
  out.resize(start + (bytes.size() + 2) / 3 * 4);
  char* o = out.data() + start;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    *o++ = kAlphabet[(n >> 18) & 63];
    *o++ = kAlphabet[(n >> 12) & 63];
    *o++ = kAlphabet[(n >> 6) & 63];
    *o++ = kAlphabet[n & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t n = uint32_t{p[i]} << 16;
    *o++ = kAlphabet[(n >> 18) & 63];
    *o++ = kAlphabet[(n >> 12) & 63];
    *o++ = '=';
    *o++ = '=';
  } else if (rest == 2) {
    const uint32_t n = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8);
    *o++ = kAlphabet[(n >> 18) & 63];
    *o++ = kAlphabet[(n >> 12) & 63];
    *o++ = kAlphabet[(n >> 6) & 63];
    *o++ = '=';
  }
}

// Byte length of the UTF-8 sequence starting with `lead` (1 for stray bytes).
size_t utf8_width(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xe) return 3;
  if ((lead >> 3) == 0x1e) return 4;
  return 1;
}

size_t utf16_units(std::string_view text) {
  size_t units = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t width = utf8_width(static_cast<unsigned char>(text[i]));
    units += width == 4 ? 2 : 1;
    i += width;
  }
  return units;
}

std::optional<std::string> decode(std::string_view text, DecodeError* error) {
  if (auto decoded = decode_valid(text)) return decoded;
  auto fail = [&](DecodeError::Kind kind, std::string c = {}) -> std::optional<std::string> {
    if (error) *error = DecodeError{kind, std::move(c), utf16_units(text)};
    return std::nullopt;
  };
  if (utf16_units(text) % 4 != 0) return fail(DecodeError::Kind::kLength);
  size_t padding = 0;
  if (!text.empty() && text.back() == '=')
    padding = (text.size() >= 2 && text[text.size() - 2] == '=') ? 2 : 1;
  const size_t data_len = text.size() - padding;
  for (size_t i = 0; i < data_len; ++i) {
    if (kReverse[static_cast<unsigned char>(text[i])] < 0) {
      const size_t width =
          std::min(utf8_width(static_cast<unsigned char>(text[i])), text.size() - i);
      return fail(DecodeError::Kind::kCharacter, std::string(text.substr(i, width)));
    }
  }
  std::string out(data_len / 4 * 3 + 3, '\0');
  size_t written = 0;
  size_t i = 0;
  // Whole groups of four characters (all valid: checked above) make three bytes.
  for (; i + 4 <= data_len; i += 4) {
    const uint32_t n =
        (static_cast<uint32_t>(kReverse[static_cast<unsigned char>(text[i])]) << 18) |
        (static_cast<uint32_t>(kReverse[static_cast<unsigned char>(text[i + 1])]) << 12) |
        (static_cast<uint32_t>(kReverse[static_cast<unsigned char>(text[i + 2])]) << 6) |
        static_cast<uint32_t>(kReverse[static_cast<unsigned char>(text[i + 3])]);
    out[written++] = static_cast<char>(n >> 16);
    out[written++] = static_cast<char>((n >> 8) & 0xff);
    out[written++] = static_cast<char>(n & 0xff);
  }
  uint32_t acc = 0;
  int bits = 0;
  for (; i < data_len; ++i) {
    acc = (acc << 6) | static_cast<uint32_t>(kReverse[static_cast<unsigned char>(text[i])]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[written++] = static_cast<char>((acc >> bits) & 0xff);
    }
  }
  out.resize(written);
  // Leftover bits of the last character must be zero.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return fail(DecodeError::Kind::kLastCharacter);
  return out;
}

}  // namespace trib::base64
