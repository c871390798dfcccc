// trib::dynamodb::Number: parsing as DynamoDB parses, canonical text, order, arithmetic, sizes
// and the order-preserving key encoding.
#include "dynamodb/values/number.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace trib::dynamodb {
namespace {

std::string canonical(std::string_view text) {
  auto n = Number::parse(text);
  if (!n) return "error: " + number_error_message(n.error(), text);
  return n->to_string();
}

TEST(Number, ParsesWhatDynamoDbAcceptsAndPrintsCanonically) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"0", "0"},
      {"-0", "0"},
      {"+0", "0"},
      {"0.000", "0"},
      {"0e5", "0"},
      {"0e125", "0"},
      {"0.0e126", "0"},
      {"+3", "3"},
      {".123", "0.123"},
      {"0001.23", "1.23"},
      {"1e+5", "100000"},
      {"-17.4E37", "-174000000000000000000000000000000000000"},
      {"00042", "42"},
      {"1.0", "1"},
      {"3.1400", "3.14"},
      {"1.5E2", "150"},
      {".5", "0.5"},
      {"5.", "5"},
      {"1e-3", "0.001"},
      {"1e20", "100000000000000000000"},
      {"-1.5e-1", "-0.15"},
      {"0042.1200", "42.12"},
      {"1000", "1000"},
      {"1E+3", "1000"},
      {"12345678901234567890123456789012345678", "12345678901234567890123456789012345678"},
      {"1234567890123456789012345678901234567800000",
       "1234567890123456789012345678901234567800000"},
      {"0.00000000000000000000000000000000000000000000012345678901234567890123456789012345678",
       "0.00000000000000000000000000000000000000000000012345678901234567890123456789012345678"},
      {"9.9999999999999999999999999999999999999E+125",
       "99999999999999999999999999999999999999" + std::string(88, '0')},
      {"1e125", "1" + std::string(125, '0')},
      {"1e-130", "0." + std::string(129, '0') + "1"},
      {"-1e-130", "-0." + std::string(129, '0') + "1"},
      {"1e-9223372036854775807",
       "error: Number underflow. Attempting to store a number with "
       "magnitude smaller than supported range"},
  };
  for (const auto& [text, expected] : cases) EXPECT_EQ(canonical(text), expected) << text;
}

TEST(Number, RefusesWithAwsTexts) {
  const std::string overflow =
      "Number overflow. Attempting to store a number with magnitude larger than supported range";
  const std::string underflow =
      "Number underflow. Attempting to store a number with magnitude smaller than supported range";
  const std::string precision = "Attempting to store more than 38 significant digits in a Number";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"1e126", overflow},
      {"-1E+126", overflow},
      {"10e125", overflow},
      {"0e126", overflow},
      {"00e126", overflow},
      {"1e99999999999", overflow},
      {"1e2147483648", overflow},
      {"1e9223372036854775807", overflow},
      {"1e-131", underflow},
      {"-1e-131", underflow},
      {"0.1e-130", underflow},
      {"0e-131", underflow},
      {"1e-99999999999", underflow},
      {"123456789012345678901234567890123456789", precision},
      {"-1.23456789012345678901234567890123456789", precision},
      {"1.00000000000000000000000000000000000001", precision},
      // Range before precision.
      {"123456789012345678901234567890123456789e200", overflow},
  };
  for (const auto& [text, message] : cases) {
    auto n = Number::parse(text);
    ASSERT_FALSE(n) << text;
    EXPECT_EQ(number_error_message(n.error(), text), message) << text;
  }
  for (std::string text : {"NaN",
                           "Infinity",
                           "-Infinity",
                           "dog",
                           " 1",
                           "1 ",
                           "1e",
                           "1e+",
                           ".",
                           "-",
                           "+",
                           "1.2.3",
                           "0x10",
                           "1e5.5",
                           "--1",
                           "1_000",
                           "1e9223372036854775808",
                           "1e-9223372036854775808",
                           "e5",
                           "1,5"}) {
    auto n = Number::parse(text);
    ASSERT_FALSE(n) << text;
    EXPECT_EQ(n.error(), NumberError::kNotNumeric) << text;
    EXPECT_EQ(number_error_message(n.error(), text),
              "The parameter cannot be converted to a numeric value: " + text);
  }
  auto empty = Number::parse("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(number_error_message(empty.error(), ""),
            "The parameter cannot be converted to a numeric value");
}

TEST(Number, EqualityIsByValue) {
  const Number n = Number::parse("1000").value();
  for (std::string text : {"1e3", "1E+3", "1000.0", "001000", "+1000", "0.001e6", "10e2"}) {
    EXPECT_EQ(Number::parse(text).value(), n) << text;
  }
  EXPECT_NE(Number::parse("1000.1").value(), n);
  EXPECT_NE(Number::parse("-1000").value(), n);
  EXPECT_EQ(Number::parse("-0").value(), Number());
  EXPECT_EQ(Number::from_int64(-1234500), Number::parse("-1.2345e6").value());
  EXPECT_EQ(Number::from_int64(INT64_MIN).to_string(), "-9223372036854775808");
  EXPECT_EQ(Number::from_int64(0), Number());
}

TEST(Number, ExposesItsParts) {
  const Number n = Number::parse("-0.0120").value();
  EXPECT_TRUE(n.is_negative());
  EXPECT_FALSE(n.is_zero());
  EXPECT_EQ(n.exponent(), -2);
  EXPECT_EQ(n.digits(), "12");
  EXPECT_EQ(n.negated().to_string(), "0.012");
  EXPECT_TRUE(Number().is_zero());
  EXPECT_EQ(Number().negated(), Number());
}

TEST(Number, ComparesNumerically) {
  const std::vector<std::string> ascending = {"-9.9999999999999999999999999999999999999e125",
                                              "-1e125",
                                              "-1000.5",
                                              "-1000",
                                              "-999.99",
                                              "-1.05",
                                              "-1",
                                              "-0.5",
                                              "-1e-130",
                                              "0",
                                              "1e-130",
                                              "0.01",
                                              "0.1",
                                              "0.10000001",
                                              "1",
                                              "1.05",
                                              "1.5",
                                              "9",
                                              "10",
                                              "99.999",
                                              "100",
                                              "1e38",
                                              "12345678901234567890123456789012345678e88"};
  for (size_t i = 0; i < ascending.size(); ++i) {
    for (size_t j = 0; j < ascending.size(); ++j) {
      const Number a = Number::parse(ascending[i]).value();
      const Number b = Number::parse(ascending[j]).value();
      const int expected = i < j ? -1 : (i > j ? 1 : 0);
      EXPECT_EQ(Number::compare(a, b), expected) << ascending[i] << " vs " << ascending[j];
      EXPECT_EQ(a < b, i < j);
    }
  }
}

TEST(Number, AddsAndSubtractsExactly) {
  auto sum = [](std::string_view a, std::string_view b) {
    auto r = Number::add(Number::parse(a).value(), Number::parse(b).value());
    return r ? r->to_string() : "error: " + number_error_message(r.error(), "");
  };
  auto difference = [](std::string_view a, std::string_view b) {
    auto r = Number::subtract(Number::parse(a).value(), Number::parse(b).value());
    return r ? r->to_string() : "error: " + number_error_message(r.error(), "");
  };
  const std::string overflow =
      "error: Number overflow. Attempting to store a number with magnitude larger than supported "
      "range";
  EXPECT_EQ(sum("0.1", "0.2"), "0.3");
  EXPECT_EQ(sum("1", "-1"), "0");
  EXPECT_EQ(sum("0", "-5.5"), "-5.5");
  EXPECT_EQ(sum("-5.5", "0"), "-5.5");
  EXPECT_EQ(sum("999", "1"), "1000");
  EXPECT_EQ(sum("-999", "-1"), "-1000");
  EXPECT_EQ(sum("1000", "-1"), "999");
  EXPECT_EQ(sum("-1000", "1"), "-999");
  EXPECT_EQ(sum("1", "-1000"), "-999");
  EXPECT_EQ(sum("1.5", "-1.25"), "0.25");
  EXPECT_EQ(sum("99999999999999999999999999999999999999", "1"),
            "100000000000000000000000000000000000000");
  EXPECT_EQ(sum("1e125", "1e125"), "2" + std::string(125, '0'));
  EXPECT_EQ(difference("10", "0.0000001"), "9.9999999");
  EXPECT_EQ(difference("-3", "-3"), "0");
  // facts §5: 9e125 + 9e125 overflows; so does 1e50 + 1 (needs 51 digits).
  EXPECT_EQ(sum("9e125", "9e125"), overflow);
  EXPECT_EQ(sum("-9e125", "-9e125"), overflow);
  EXPECT_EQ(sum("1e50", "1"), overflow);
  EXPECT_EQ(difference("1e50", "1"), overflow);
  EXPECT_EQ(sum("99999999999999999999999999999999999999", "0.1"), overflow);
  // 38 digits still fit.
  EXPECT_EQ(sum("1e37", "1"), "10000000000000000000000000000000000001");
  // A difference below 1e-130 underflows.
  EXPECT_EQ(difference("1.0000000000000000000000000000000000001e-130", "1e-130"),
            "error: Number underflow. Attempting to store a number with magnitude smaller than "
            "supported range");
  EXPECT_EQ(sum("1e-130", "1e-130"), "0." + std::string(129, '0') + "2");
}

TEST(Number, StorageSizeMatchesAwsMeasurements) {
  // paritysuite/dynamodb-conformance src/item-size.ts: 23 values measured against AWS
  // (eu-west-2, 2026-08-18) at the 400 KB gate.
  const std::vector<std::pair<std::string, size_t>> measured = {
      {"0", 1},         {"1", 2},     {"12", 2},
      {"123", 3},       {"1234", 3},  {"12345678901234567890123456789012345678", 20},
      {"0042", 2},      {"100", 2},   {"1010", 3},
      {"0.0000001", 2}, {"1E125", 2}, {"1E-100", 2},
      {"1.5", 3},       {"15", 2},    {"1.2", 3},
      {"1.200", 3},     {"1.234", 4}, {"3.14159", 5},
      {"123456", 4},    {"100.5", 4}, {"0.15", 2},
      {"-42", 3},       {"-0", 1},
  };
  for (const auto& [text, bytes] : measured) {
    EXPECT_EQ(Number::parse(text).value().storage_size(), bytes) << text;
  }
  // facts for Streams SizeBytes: "1" and "10" are 2, 84.84 is 3.
  EXPECT_EQ(Number::parse("10").value().storage_size(), 2u);
  EXPECT_EQ(Number::parse("84.84").value().storage_size(), 3u);
}

std::string order_key(const Number& n) {
  std::string out;
  n.append_order_key(out);
  return out;
}

TEST(Number, OrderKeyOfEqualNumbersIsIdentical) {
  const std::string key = order_key(Number::parse("1000").value());
  for (std::string text : {"1e3", "1000.0", "+1000", "001000.000"}) {
    EXPECT_EQ(order_key(Number::parse(text).value()), key) << text;
  }
  EXPECT_EQ(order_key(Number()), std::string("\x02", 1));
  EXPECT_EQ(order_key(Number::parse("-0").value()), std::string("\x02", 1));
  // 1000: positive tag, exponent 3 + 130, the pair 10 as 11, terminator.
  EXPECT_EQ(key, std::string("\x03\x85\x0b\x00", 4));
  // -1.5: negative tag, 125 - 0, the pair 15 as 254 - 15, terminator.
  EXPECT_EQ(order_key(Number::parse("-1.5").value()), std::string("\x01\x7d\xef\xff", 4));
  EXPECT_EQ(order_key(Number::parse("-99999999999999999999999999999999999999e88").value()).size(),
            22u);
}

TEST(Number, DecodingRefusesWhatItDidNotWrite) {
  for (std::string bad :
       {std::string(), std::string("\x04", 1), std::string("\x03", 1), std::string("\x03\x80", 2),
        std::string("\x03\x80\x00", 3), std::string("\x03\x80\x65\x00", 4),  // pair 100
        std::string("\x03\x80\x01\x00", 4),      // pair 00: leading zero
        std::string("\x03\x80\x0b\x01\x00", 5),  // trailing pair 00
        std::string("\x03\x80\x0b", 3),          // no terminator
        std::string("\x01\x80\x0b\xff", 4),      // positive pair in a negative
        std::string("\x03\x80") + std::string(20, '\x0c') + std::string(1, '\0')}) {
    std::string_view in = bad;
    EXPECT_FALSE(Number::decode_order_key(in)) << testing::PrintToString(bad);
    EXPECT_EQ(in.size(), bad.size());
  }
  // A key that continues after the number: only the number is consumed.
  std::string two = order_key(Number::parse("-12.5").value()) + "rest";
  std::string_view in = two;
  auto n = Number::decode_order_key(in);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->to_string(), "-12.5");
  EXPECT_EQ(in, "rest");
}

// A random number as (negative, digits, exponent of the first digit), its text in a random
// spelling, and an independent fixed-point rendering used as the ordering oracle.
struct RandomNumber {
  bool negative = false;
  std::string digits;  // canonical: no leading or trailing zero; empty for zero
  int exponent = 0;
};

RandomNumber random_number(std::mt19937_64& rng) {
  RandomNumber r;
  if (rng() % 20 == 0) return r;  // zero
  r.negative = rng() % 2;
  const int size = 1 + static_cast<int>(rng() % 38);
  // Bias toward collisions: small exponents and short digit strings often.
  r.exponent =
      rng() % 3 == 0 ? static_cast<int>(rng() % 5) - 2 : static_cast<int>(rng() % 256) - 130;
  const bool short_digits = rng() % 3 == 0;
  const char* alphabet = short_digits ? "19" : "0123456789";
  const int alphabet_size = short_digits ? 2 : 10;
  for (int i = 0; i < (short_digits ? 1 + static_cast<int>(rng() % 3) : size); ++i) {
    r.digits.push_back(alphabet[rng() % alphabet_size]);
  }
  r.digits[0] = static_cast<char>('1' + rng() % 9);
  while (r.digits.back() == '0') r.digits.pop_back();
  return r;
}

// Spells r with a random number of leading and trailing zeros, point position and exponent.
std::string spell(const RandomNumber& r, std::mt19937_64& rng) {
  std::string text;
  if (r.negative)
    text = "-";
  else if (rng() % 4 == 0)
    text = "+";
  if (r.digits.empty()) return text + "0.00e" + std::to_string(rng() % 100);
  const int leading = static_cast<int>(rng() % 4);
  const int trailing = static_cast<int>(rng() % 4);
  std::string digits = std::string(leading, '0') + r.digits + std::string(trailing, '0');
  // Put the point after `point` digits; the written exponent makes up the difference.
  const int point = static_cast<int>(rng() % (digits.size() + 1));
  const long written = static_cast<long>(r.exponent) - (point - leading - 1);
  text += digits.substr(0, point) + "." + digits.substr(point);
  if (written != 0 || rng() % 2) text += (rng() % 2 ? "e" : "E") + std::to_string(written);
  return text;
}

// Sign and a fixed-point digit string over places 126 .. -170: lexicographic order of the
// strings is the order of magnitudes.
std::pair<int, std::string> oracle(const RandomNumber& r) {
  if (r.digits.empty()) return {0, {}};
  std::string places(297, '0');
  for (size_t k = 0; k < r.digits.size(); ++k)
    places[126 - (r.exponent - static_cast<int>(k))] = r.digits[k];
  return {r.negative ? -1 : 1, places};
}

int oracle_compare(const RandomNumber& a, const RandomNumber& b) {
  auto [sa, pa] = oracle(a);
  auto [sb, pb] = oracle(b);
  if (sa != sb) return sa < sb ? -1 : 1;
  const int c = pa.compare(pb);
  const int magnitude = c < 0 ? -1 : (c > 0 ? 1 : 0);
  return sa >= 0 ? magnitude : -magnitude;
}

int sign_of(int v) { return v < 0 ? -1 : (v > 0 ? 1 : 0); }

TEST(Number, RandomizedOrderRoundTripAndCanonicalForm) {
  std::mt19937_64 rng(20261202);
  std::vector<RandomNumber> generated;
  std::vector<Number> numbers;
  std::vector<std::string> keys;
  for (int i = 0; i < 4000; ++i) {
    RandomNumber r = random_number(rng);
    const std::string text = spell(r, rng);
    auto parsed = Number::parse(text);
    ASSERT_TRUE(parsed) << text << ": " << number_error_message(parsed.error(), text);
    const Number& n = *parsed;
    EXPECT_EQ(n.digits(), r.digits) << text;
    if (!r.digits.empty()) {
      EXPECT_EQ(n.exponent(), r.exponent) << text;
    }
    // Canonical text is idempotent and parses back to the same number.
    const std::string printed = n.to_string();
    EXPECT_EQ(Number::parse(printed).value().to_string(), printed);
    EXPECT_EQ(Number::parse(printed).value(), n);
    EXPECT_EQ(printed.find_first_of("eE+"), std::string::npos);
    // Key round trip.
    const std::string key = order_key(n);
    std::string_view in = key;
    auto decoded = Number::decode_order_key(in);
    ASSERT_TRUE(decoded) << text;
    EXPECT_TRUE(in.empty());
    EXPECT_EQ(*decoded, n);
    EXPECT_EQ(order_key(*decoded), key);
    generated.push_back(r);
    numbers.push_back(n);
    keys.push_back(key);
  }
  // Pairs: numeric order (oracle) == compare() == memcmp order of the keys, also when a key is
  // followed by more bytes.
  for (size_t i = 0; i + 1 < numbers.size(); ++i) {
    for (size_t j : {i + 1, (i * 7919) % numbers.size(), (i * 104729 + 3) % numbers.size()}) {
      const int expected = oracle_compare(generated[i], generated[j]);
      EXPECT_EQ(Number::compare(numbers[i], numbers[j]), expected);
      EXPECT_EQ(sign_of(keys[i].compare(keys[j])), expected);
      EXPECT_EQ(sign_of((keys[i] + "\xff\xff").compare(keys[j] + std::string(1, '\0'))),
                expected == 0 ? 1 : expected);
      EXPECT_EQ(numbers[i] == numbers[j], expected == 0);
    }
  }
  // Arithmetic properties on the same values: a + b - b == a, commutativity, sign agreement.
  int exact = 0;
  for (size_t i = 0; i + 1 < numbers.size(); ++i) {
    const Number& a = numbers[i];
    const Number& b = numbers[i + 1];
    auto ab = Number::add(a, b);
    auto ba = Number::add(b, a);
    ASSERT_EQ(ab.ok(), ba.ok());
    if (!ab) continue;
    EXPECT_EQ(*ab, *ba);
    auto back = Number::subtract(*ab, b);
    if (back) {
      EXPECT_EQ(*back, a);
      ++exact;
    }
    EXPECT_EQ(Number::compare(*ab, a), sign_of(Number::compare(b, Number())));
  }
  EXPECT_GT(exact, 100);
}

}  // namespace
}  // namespace trib::dynamodb
