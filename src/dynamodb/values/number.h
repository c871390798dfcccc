// Number: a DynamoDB number, an exact decimal of at most 38 significant digits whose magnitude
// is zero or between 1E-130 and 9.9999999999999999999999999999999999999E+125 (facts §5).
// Never a double. Held in canonical form (no leading or trailing zeros in the digits, zero is
// positive), so equal values have equal representations: 1000, 1e3 and 1000.0 are one Number.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace trib::dynamodb {

// Why a text or a computation is not a DynamoDB number. number_error_message() gives AWS's text.
enum class NumberError : uint8_t {
  kNotNumeric,  // "The parameter cannot be converted to a numeric value: <text>"
  kOverflow,    // magnitude above 9.99..E+125 (and, in arithmetic, a result needing > 38 digits)
  kUnderflow,   // magnitude below 1E-130
  kTooPrecise,  // more than 38 significant digits in a parsed text
};

// AWS's message for `error`; `text` is the offending input (only kNotNumeric quotes it, and an
// empty text gets the message without ": ", as AWS sends it [P: dynalite's AWS-derived tests]).
std::string number_error_message(NumberError error, std::string_view text);

class Number {
 public:
  static constexpr int kMaxDigits = 38;
  // Range of the exponent of the most significant digit (d.ddd × 10^e).
  static constexpr int kMinExponent = -130;
  static constexpr int kMaxExponent = 125;

  Number() = default;  // zero

  // Parses what DynamoDB accepts: an optional sign, digits with an optional decimal point (at
  // least one digit: `.5`, `5.`, `0001.23`), an optional exponent `e`/`E` with an optional sign.
  // No spaces, NaN, Infinity or hexadecimal. Range is checked before precision (as dynalite,
  // whose order was taken from AWS). Zero is range-checked by the exponent it is written with
  // ([V, rec]: `0e126` and `0e-131` are refused, `0.0e126` accepted: read as Java's BigDecimal
  // reads it, the exponent of a zero is the written exponent minus the fraction digits). An
  // exponent beyond a 64-bit integer is kNotNumeric, a smaller one out of range is
  // kOverflow/kUnderflow (paritysuite/dynamodb-conformance numberExponent.test.ts, AWS capture).
  static Result<Number, NumberError> parse(std::string_view text);

  // An integer, exactly (for counters and size() results).
  static Number from_int64(int64_t value);

  bool is_zero() const { return size_ == 0; }
  bool is_negative() const { return negative_; }
  // Exponent of the most significant digit (0 for zero): 150 -> 2, 0.05 -> -2.
  int exponent() const { return exponent_; }
  // The significant digits as ASCII, without leading or trailing zeros ("" for zero).
  std::string_view digits() const { return std::string_view(digits_, size_); }

  // Canonical text, as DynamoDB returns numbers: plain decimal, never an exponent, no plus
  // sign, no leading or trailing zeros (`1.5E2` -> `150`, `-0` -> `0`, `.5` -> `0.5`).
  std::string to_string() const;
  void append_to(std::string& out) const;

  // Bytes this number counts for in an item's size. AWS's guide says "⌈significant digits / 2⌉
  // + 1", but 23 values measured against AWS (paritysuite/dynamodb-conformance,
  // src/item-size.ts, eu-west-2 2026-08-18: `3.14159` costs 5, `123456` 4, `-42` 3, `0` 1) fit
  // base-100 digits aligned on the decimal point: 1 + the number of centesimal digits from the
  // most to the least significant non-zero pair + 1 if negative; zero is 1. Where this and the
  // guide's formula differ on values nobody measured (e.g. 12000: 3 here) it is our reading.
  size_t storage_size() const;

  // Numeric order: negative, zero, positive; -1 / 0 / 1.
  static int compare(const Number& a, const Number& b);
  friend bool operator==(const Number& a, const Number& b) {
    return a.size_ == b.size_ && a.negative_ == b.negative_ && a.exponent_ == b.exponent_ &&
           std::string_view(a.digits_, a.size_) == std::string_view(b.digits_, b.size_);
  }
  friend std::strong_ordering operator<=>(const Number& a, const Number& b) {
    return compare(a, b) <=> 0;
  }

  Number negated() const;
  // Exact decimal arithmetic. A result out of range is kOverflow/kUnderflow; a result that
  // needs more than 38 significant digits is kOverflow too (facts §5: `1e50 + 1` fails with an
  // overflow message in an UpdateExpression [P, AWS-checked]).
  static Result<Number, NumberError> add(const Number& a, const Number& b);
  static Result<Number, NumberError> subtract(const Number& a, const Number& b);

  // Order-preserving, self-delimiting encoding: memcmp order of encodings is numeric order,
  // and equal numbers encode identically (layout in docs/storage-encoding.md, "DynamoDB
  // values"). At most 22 bytes.
  void append_order_key(std::string& out) const;
  // Decodes one encoding from the front of `in` and removes it; nullopt (and `in` untouched)
  // when the bytes are not a canonical encoding.
  static std::optional<Number> decode_order_key(std::string_view& in);

 private:
  char digits_[kMaxDigits] = {};
  uint8_t size_ = 0;
  bool negative_ = false;
  int16_t exponent_ = 0;

  // Digits must be canonical (non-empty, no leading or trailing zero, at most 38).
  static Number make(bool negative, int exponent, std::string_view digits);
};

}  // namespace trib::dynamodb
