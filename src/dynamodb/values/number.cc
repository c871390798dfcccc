#include "dynamodb/values/number.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>

namespace trib::dynamodb {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Floor division by 2 (toward minus infinity): the base-100 digit a decimal place belongs to.
int pair_of_place(int place) { return place >= 0 ? place / 2 : -((1 - place) / 2); }

constexpr uint8_t kNegativeTag = 0x01;
constexpr uint8_t kZeroTag = 0x02;
constexpr uint8_t kPositiveTag = 0x03;

}  // namespace

std::string number_error_message(NumberError error, std::string_view text) {
  switch (error) {
    case NumberError::kNotNumeric: {
      std::string message = "The parameter cannot be converted to a numeric value";
      if (!text.empty()) {
        message += ": ";
        message += text;
      }
      return message;
    }
    case NumberError::kOverflow:
      return "Number overflow. Attempting to store a number with magnitude larger than supported "
             "range";
    case NumberError::kUnderflow:
      return "Number underflow. Attempting to store a number with magnitude smaller than "
             "supported range";
    case NumberError::kTooPrecise:
      return "Attempting to store more than 38 significant digits in a Number";
  }
  return {};
}

Number Number::make(bool negative, int exponent, std::string_view digits) {
  Number n;
  n.negative_ = negative;
  n.exponent_ = static_cast<int16_t>(exponent);
  n.size_ = static_cast<uint8_t>(digits.size());
  std::memcpy(n.digits_, digits.data(), digits.size());
  return n;
}

Result<Number, NumberError> Number::parse(std::string_view text) {
  const size_t n = text.size();
  size_t i = 0;
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  const size_t int_begin = i;
  while (i < n && is_digit(text[i])) ++i;
  const size_t int_length = i - int_begin;
  size_t frac_begin = i;
  size_t frac_length = 0;
  if (i < n && text[i] == '.') {
    frac_begin = ++i;
    while (i < n && is_digit(text[i])) ++i;
    frac_length = i - frac_begin;
  }
  if (int_length + frac_length == 0) return unexpected(NumberError::kNotNumeric);
  int64_t written_exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) {
      exponent_negative = text[i] == '-';
      ++i;
    }
    const size_t exponent_begin = i;
    uint64_t magnitude = 0;
    bool too_big = false;
    while (i < n && is_digit(text[i])) {
      const uint64_t digit = static_cast<uint64_t>(text[i] - '0');
      if (magnitude > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - digit) / 10) {
        too_big = true;
      } else {
        magnitude = magnitude * 10 + digit;
      }
      ++i;
    }
    if (i == exponent_begin || too_big) return unexpected(NumberError::kNotNumeric);
    written_exponent =
        exponent_negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
  }
  if (i != n) return unexpected(NumberError::kNotNumeric);

  // The digits are int part then fraction part; k indexes that concatenation.
  const size_t total = int_length + frac_length;
  auto digit_at = [&](size_t k) {
    return k < int_length ? text[int_begin + k] : text[frac_begin + (k - int_length)];
  };
  size_t first = 0;
  while (first < total && digit_at(first) == '0') ++first;
  if (first == total) {
    // Zero: BigDecimal's exponent of a zero is the written exponent minus the fraction digits.
    const __int128 exponent = static_cast<__int128>(written_exponent) - frac_length;
    if (exponent > kMaxExponent) return unexpected(NumberError::kOverflow);
    if (exponent < kMinExponent) return unexpected(NumberError::kUnderflow);
    return Number();
  }
  size_t last = total - 1;
  while (digit_at(last) == '0') --last;
  const __int128 exponent = static_cast<__int128>(written_exponent) +
                            (static_cast<__int128>(int_length) - 1 - static_cast<__int128>(first));
  if (exponent > kMaxExponent) return unexpected(NumberError::kOverflow);
  if (exponent < kMinExponent) return unexpected(NumberError::kUnderflow);
  const size_t significant = last - first + 1;
  if (significant > static_cast<size_t>(kMaxDigits)) return unexpected(NumberError::kTooPrecise);
  Number result;
  result.negative_ = negative;
  result.exponent_ = static_cast<int16_t>(exponent);
  result.size_ = static_cast<uint8_t>(significant);
  for (size_t k = first; k <= last; ++k) result.digits_[k - first] = digit_at(k);
  return result;
}

Number Number::from_int64(int64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  (void)ec;
  return parse(std::string_view(buffer, static_cast<size_t>(end - buffer))).value();
}

std::string Number::to_string() const {
  std::string out;
  append_to(out);
  return out;
}

void Number::append_to(std::string& out) const {
  if (size_ == 0) {
    out.push_back('0');
    return;
  }
  if (negative_) out.push_back('-');
  if (exponent_ >= 0) {
    const size_t int_digits = static_cast<size_t>(exponent_) + 1;
    if (size_ <= int_digits) {
      out.append(digits_, size_);
      out.append(int_digits - size_, '0');
    } else {
      out.append(digits_, int_digits);
      out.push_back('.');
      out.append(digits_ + int_digits, size_ - int_digits);
    }
  } else {
    out.append("0.");
    out.append(static_cast<size_t>(-exponent_ - 1), '0');
    out.append(digits_, size_);
  }
}

size_t Number::storage_size() const {
  if (size_ == 0) return 1;
  const int top = exponent_;
  const int bottom = exponent_ - size_ + 1;
  const int pairs = pair_of_place(top) - pair_of_place(bottom) + 1;
  return 1 + static_cast<size_t>(pairs) + (negative_ ? 1 : 0);
}

int Number::compare(const Number& a, const Number& b) {
  const int sign_a = a.size_ == 0 ? 0 : (a.negative_ ? -1 : 1);
  const int sign_b = b.size_ == 0 ? 0 : (b.negative_ ? -1 : 1);
  if (sign_a != sign_b) return sign_a < sign_b ? -1 : 1;
  if (sign_a == 0) return 0;
  int magnitude = 0;
  if (a.exponent_ != b.exponent_) {
    magnitude = a.exponent_ < b.exponent_ ? -1 : 1;
  } else {
    const int c = std::memcmp(a.digits_, b.digits_, std::min(a.size_, b.size_));
    if (c != 0) {
      magnitude = c < 0 ? -1 : 1;
    } else if (a.size_ != b.size_) {
      magnitude = a.size_ < b.size_ ? -1 : 1;
    }
  }
  return sign_a > 0 ? magnitude : -magnitude;
}

Number Number::negated() const {
  Number n = *this;
  if (n.size_ != 0) n.negative_ = !n.negative_;
  return n;
}

Result<Number, NumberError> Number::add(const Number& a, const Number& b) {
  if (a.size_ == 0) return b;
  if (b.size_ == 0) return a;
  // Place p (value 10^p) lives at index p - low. Both operands are in range, so the span is
  // at most (125 + 1) - (-130 - 37) + 1 = 295 places.
  const int low = std::min(a.exponent_ - a.size_ + 1, b.exponent_ - b.size_ + 1);
  const int high = std::max<int>(a.exponent_, b.exponent_) + 1;
  uint8_t places[300] = {};
  const Number* larger = &a;
  const Number* smaller = &b;
  const bool same_sign = a.negative_ == b.negative_;
  if (!same_sign) {
    // |larger| >= |smaller|; equal magnitudes of opposite signs sum to zero.
    Number abs_a = a, abs_b = b;
    abs_a.negative_ = abs_b.negative_ = false;
    const int c = compare(abs_a, abs_b);
    if (c == 0) return Number();
    if (c < 0) std::swap(larger, smaller);
  }
  for (int k = 0; k < larger->size_; ++k) {
    places[larger->exponent_ - k - low] = static_cast<uint8_t>(larger->digits_[k] - '0');
  }
  int carry = 0;
  const int smaller_low = smaller->exponent_ - smaller->size_ + 1;
  for (int p = low; p <= high; ++p) {
    int operand = 0;
    if (p >= smaller_low && p <= smaller->exponent_) {
      operand = smaller->digits_[smaller->exponent_ - p] - '0';
    }
    int v = places[p - low] + (same_sign ? operand + carry : -operand - carry);
    if (same_sign) {
      carry = v >= 10 ? 1 : 0;
      if (carry) v -= 10;
    } else {
      carry = v < 0 ? 1 : 0;
      if (carry) v += 10;
    }
    places[p - low] = static_cast<uint8_t>(v);
  }
  int top = high - low;
  while (top >= 0 && places[top] == 0) --top;
  if (top < 0) return Number();
  int bottom = 0;
  while (places[bottom] == 0) ++bottom;
  const int exponent = top + low;
  if (exponent > kMaxExponent) return unexpected(NumberError::kOverflow);
  if (exponent < kMinExponent) return unexpected(NumberError::kUnderflow);
  if (top - bottom + 1 > kMaxDigits) return unexpected(NumberError::kOverflow);
  Number result;
  result.negative_ = larger->negative_;
  result.exponent_ = static_cast<int16_t>(exponent);
  result.size_ = static_cast<uint8_t>(top - bottom + 1);
  for (int k = top; k >= bottom; --k) result.digits_[top - k] = static_cast<char>('0' + places[k]);
  return result;
}

Result<Number, NumberError> Number::subtract(const Number& a, const Number& b) {
  return add(a, b.negated());
}

// Layout (docs/storage-encoding.md): zero is 0x02. A positive number is 0x03, the exponent
// + 130 (one byte: the range -130..125 is exactly 256 values), then its digits in pairs from
// the most significant (an odd count padded with a 0), each pair v as the byte v + 1, then
// 0x00. A negative number is 0x01, then 125 - exponent, pairs as 254 - v, then 0xFF: every
// byte after the tag is inverted so that larger magnitudes sort first.
void Number::append_order_key(std::string& out) const {
  if (size_ == 0) {
    out.push_back(static_cast<char>(kZeroTag));
    return;
  }
  char buffer[3 + kMaxDigits / 2];
  size_t length = 0;
  buffer[length++] = static_cast<char>(negative_ ? kNegativeTag : kPositiveTag);
  buffer[length++] =
      static_cast<char>(negative_ ? kMaxExponent - exponent_ : exponent_ - kMinExponent);
  for (int k = 0; k < size_; k += 2) {
    const int high = digits_[k] - '0';
    const int low = k + 1 < size_ ? digits_[k + 1] - '0' : 0;
    const int v = high * 10 + low;
    buffer[length++] = static_cast<char>(negative_ ? 254 - v : v + 1);
  }
  buffer[length++] = static_cast<char>(negative_ ? 0xFF : 0x00);
  out.append(buffer, length);
}

std::optional<Number> Number::decode_order_key(std::string_view& in) {
  if (in.empty()) return std::nullopt;
  const uint8_t tag = static_cast<uint8_t>(in[0]);
  if (tag == kZeroTag) {
    in.remove_prefix(1);
    return Number();
  }
  if ((tag != kNegativeTag && tag != kPositiveTag) || in.size() < 2) return std::nullopt;
  const bool negative = tag == kNegativeTag;
  const int exponent_byte = static_cast<uint8_t>(in[1]);
  Number result;
  result.negative_ = negative;
  result.exponent_ =
      static_cast<int16_t>(negative ? kMaxExponent - exponent_byte : exponent_byte + kMinExponent);
  const uint8_t terminator = negative ? 0xFF : 0x00;
  size_t pos = 2;
  int size = 0;
  while (true) {
    if (pos >= in.size()) return std::nullopt;
    const uint8_t byte = static_cast<uint8_t>(in[pos++]);
    if (byte == terminator) break;
    const int v = negative ? 254 - byte : byte - 1;
    if (v < 0 || v > 99 || size + 2 > kMaxDigits) return std::nullopt;
    result.digits_[size++] = static_cast<char>('0' + v / 10);
    result.digits_[size++] = static_cast<char>('0' + v % 10);
  }
  if (size == 0) return std::nullopt;
  if (result.digits_[size - 1] == '0') --size;  // the padding of an odd count
  if (result.digits_[0] == '0' || result.digits_[size - 1] == '0') return std::nullopt;
  result.size_ = static_cast<uint8_t>(size);
  in.remove_prefix(pos);
  return result;
}

}  // namespace trib::dynamodb
