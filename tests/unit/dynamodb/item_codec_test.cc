// The stored item encoding, key components and the partition-key hash.
#include "dynamodb/values/item_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "dynamodb/values/item_json.h"

namespace trib::dynamodb {
namespace {

Number num(std::string_view text) { return Number::parse(text).value(); }

// Random bytes over a small alphabet that includes the escape-relevant bytes.
std::string random_bytes(std::mt19937_64& rng, size_t max_length) {
  static const char alphabet[] = {'\0', '\x01', '\xff', 'a', 'b', '\x7f', '\x80', 'z'};
  std::string s(rng() % (max_length + 1), ' ');
  for (auto& c : s) c = alphabet[rng() % sizeof alphabet];
  return s;
}

Number random_number(std::mt19937_64& rng) {
  if (rng() % 10 == 0) return Number();
  std::string text = rng() % 2 ? "-" : "";
  const int digits = 1 + static_cast<int>(rng() % 38);
  text.push_back(static_cast<char>('1' + rng() % 9));
  for (int i = 1; i < digits; ++i) text.push_back(static_cast<char>('0' + rng() % 10));
  const int exponent = static_cast<int>(rng() % 256) - 130 - (digits - 1);
  text += "e" + std::to_string(exponent);
  return num(text);
}

AttributeValue random_value(std::mt19937_64& rng, int depth) {
  const int type = static_cast<int>(rng() % (depth < 5 ? 10 : 5));
  switch (type) {
    case 0:
      return AttributeValue::string(random_bytes(rng, 12));
    case 1:
      return AttributeValue::number(random_number(rng));
    case 2:
      return AttributeValue::binary(random_bytes(rng, 12));
    case 3:
      return AttributeValue::boolean(rng() % 2);
    case 4:
      return AttributeValue::null();
    case 5: {
      AttributeMap entries;
      for (size_t i = rng() % 5; i > 0; --i) {
        entries.emplace_back(random_bytes(rng, 4), random_value(rng, depth + 1));
      }
      return AttributeValue::map(std::move(entries));
    }
    case 6: {
      AttributeList elements;
      for (size_t i = rng() % 5; i > 0; --i) elements.push_back(random_value(rng, depth + 1));
      return AttributeValue::list(std::move(elements));
    }
    case 7: {
      StringSet set;
      for (size_t i = 1 + rng() % 5; i > 0; --i) set.push_back(random_bytes(rng, 6));
      return AttributeValue::string_set(std::move(set));
    }
    case 8: {
      NumberSet set;
      for (size_t i = 1 + rng() % 5; i > 0; --i) set.push_back(random_number(rng));
      return AttributeValue::number_set(std::move(set));
    }
    default: {
      BinarySet set;
      for (size_t i = 1 + rng() % 5; i > 0; --i) set.push_back(random_bytes(rng, 6));
      return AttributeValue::binary_set(std::move(set));
    }
  }
}

Item random_item(std::mt19937_64& rng) {
  AttributeMap entries;
  for (size_t i = rng() % 8; i > 0; --i)
    entries.emplace_back(random_bytes(rng, 5), random_value(rng, 1));
  AttributeValue map = AttributeValue::map(std::move(entries));
  return map.as_map();
}

TEST(ItemCodec, RoundTripsRandomNestedItems) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 3000; ++i) {
    const Item item = random_item(rng);
    const std::string bytes = encode_item(item);
    ASSERT_EQ(static_cast<uint8_t>(bytes[0]), kItemEncodingVersion);
    auto decoded = decode_item(bytes);
    ASSERT_TRUE(decoded) << i;
    EXPECT_EQ(*decoded, item);
    EXPECT_EQ(encode_item(*decoded), bytes);
    // Every strict prefix is refused, and so is a trailing byte.
    for (size_t cut = 0; cut < bytes.size(); cut += 1 + bytes.size() / 16) {
      EXPECT_FALSE(decode_item(std::string_view(bytes).substr(0, cut))) << i << " cut " << cut;
    }
    EXPECT_FALSE(decode_item(bytes + "x"));
    // Damaged bytes never crash (they may still decode to some item).
    std::string damaged = bytes;
    damaged[rng() % damaged.size()] = static_cast<char>(rng());
    (void)decode_item(damaged);
  }
}

TEST(ItemCodec, EqualItemsEncodeEqually) {
  // Insertion order of names and set elements, and the spelling of numbers, do not matter.
  const Item a = AttributeValue::map({{"b", AttributeValue::number(num("1e3"))},
                                      {"a", AttributeValue::string_set({"y", "x"})}})
                     .as_map();
  const Item b = AttributeValue::map({{"a", AttributeValue::string_set({"x", "y"})},
                                      {"b", AttributeValue::number(num("1000.0"))}})
                     .as_map();
  EXPECT_EQ(encode_item(a), encode_item(b));
  // A small item is small: version, count, then per attribute name length, name, tag, value.
  const Item small = AttributeValue::map({{"id", AttributeValue::string("k1")},
                                          {"n", AttributeValue::number(num("42"))},
                                          {"t", AttributeValue::boolean(true)}})
                         .as_map();
  EXPECT_EQ(encode_item(small), std::string("\x01\x03"
                                            "\x02id\x00\x02k1"
                                            "\x01n\x01\x03\x83\x2b\x00"
                                            "\x01t\x03\x01",
                                            20));
}

// An item whose attribute nests 70 lists deep (the codec allows 64).
std::string nested_70_lists() {
  std::string deep(
      "\x01\x01\x01"
      "a",
      4);
  for (int i = 0; i < 70; ++i) deep += std::string("\x06\x01", 2);
  deep += std::string("\x04", 1);
  return deep;
}

TEST(ItemCodec, RefusesWhatItDidNotWrite) {
  EXPECT_FALSE(decode_item(""));
  EXPECT_FALSE(decode_item(std::string("\x02\x00", 2)));  // unknown version
  EXPECT_TRUE(decode_item(std::string("\x01\x00", 2)));   // the empty item
  EXPECT_FALSE(
      decode_item(std::string("\x01\x01\x01"
                              "a\x0a",
                              5)));  // unknown tag
  EXPECT_FALSE(
      decode_item(std::string("\x01\x01\x01"
                              "a\x03\x02",
                              6)));  // BOOL 2
  EXPECT_FALSE(
      decode_item(std::string("\x01\x01\x01"
                              "a\x07\x00",
                              6)));  // empty SS
  EXPECT_FALSE(
      decode_item(std::string("\x01\x01\x01"
                              "a\x08\x00",
                              6)));                                       // empty NS
  EXPECT_FALSE(decode_item(std::string("\x01\xff\xff\xff\xff\x0f", 6)));  // huge count
  EXPECT_FALSE(
      decode_item(std::string("\x01\x01\x01"
                              "a\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f",
                              15)));
  EXPECT_FALSE(decode_item(nested_70_lists()));  // nesting deeper than 64 lists
}

// append_item_json writes, from the encoding alone, what write_item_json writes for the
// decoded item, and returns its item_size; it accepts no bytes decode_item refuses, and refuses
// the non-canonical bytes decode_item reorders (leaving `out` as it was).
TEST(ItemCodec, JsonStraightFromTheEncodingIsTheDecodedItemsJson) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 3000; ++i) {
    const Item item = random_item(rng);
    const std::string bytes = encode_item(item);
    std::string expected = "prefix";
    write_item_json(expected, item);
    std::string out = "prefix";
    auto size = append_item_json(out, bytes);
    ASSERT_TRUE(size) << i;
    EXPECT_EQ(out, expected) << i;
    EXPECT_EQ(*size, item_size(item)) << i;
    for (int d = 0; d < 4; ++d) {
      std::string damaged = bytes;
      damaged[rng() % damaged.size()] = static_cast<char>(rng());
      if (rng() % 2) damaged.resize(rng() % damaged.size());
      std::string json = "p";
      auto decoded = decode_item(damaged);
      if (auto damaged_size = append_item_json(json, damaged)) {
        ASSERT_TRUE(decoded) << i;
        std::string decoded_json = "p";
        write_item_json(decoded_json, *decoded);
        EXPECT_EQ(json, decoded_json) << i;
        EXPECT_EQ(*damaged_size, item_size(*decoded)) << i;
      } else {
        EXPECT_EQ(json, "p");
      }
    }
  }
  // Names out of order, a repeated set element: decode_item sorts and merges, this refuses.
  std::string out;
  EXPECT_FALSE(append_item_json(out, std::string("\x01\x02\x01"
                                                 "b\x04\x01"
                                                 "a\x04",
                                                 8)));
  EXPECT_TRUE(
      decode_item(std::string("\x01\x02\x01"
                              "b\x04\x01"
                              "a\x04",
                              8)));
  EXPECT_FALSE(append_item_json(out, std::string("\x01\x01\x01"
                                                 "a\x07\x02\x01x\x01x",
                                                 10)));
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(append_item_json(out, nested_70_lists()));
}

std::string component(const AttributeValue& v) {
  std::string out;
  EXPECT_TRUE(append_key_component(out, v));
  return out;
}

int sign_of(int v) { return v < 0 ? -1 : (v > 0 ? 1 : 0); }

TEST(KeyComponent, EscapesAndTerminates) {
  EXPECT_EQ(component(AttributeValue::string("ab")), std::string("ab\x00\x01", 4));
  EXPECT_EQ(component(AttributeValue::binary(std::string("a\0b", 3))), std::string("a\x00\xff"
                                                                                   "b\x00\x01",
                                                                                   6));
  EXPECT_EQ(component(AttributeValue::string("")), std::string("\x00\x01", 2));
  EXPECT_EQ(component(AttributeValue::number(num("1e3"))),
            component(AttributeValue::number(num("1000"))));
  std::string out;
  EXPECT_FALSE(append_key_component(out, AttributeValue::boolean(true)));
  EXPECT_FALSE(append_key_component(out, AttributeValue::string_set({"a"})));
  EXPECT_TRUE(out.empty());
  // facts §7: `A` < `a` < `z` < `¿` by UTF-8 bytes.
  EXPECT_LT(component(AttributeValue::string("A")), component(AttributeValue::string("a")));
  EXPECT_LT(component(AttributeValue::string("z")), component(AttributeValue::string("\xc2\xbf")));
  for (std::string bad : {std::string("ab"), std::string("ab\x00", 3), std::string("a\x00\x02", 3),
                          std::string("\x00", 1)}) {
    std::string_view in = bad;
    EXPECT_FALSE(decode_key_component(in, AttributeType::kS));
    EXPECT_EQ(in.size(), bad.size());
  }
  std::string_view in = "x";
  EXPECT_FALSE(decode_key_component(in, AttributeType::kBool));
}

// Random S, B and N components followed by a second component: bytewise order of the
// concatenation is (first value, second value) order, and each decodes back.
TEST(KeyComponent, OrderAndRoundTripWithSomethingAfter) {
  std::mt19937_64 rng(11);
  for (AttributeType type : {AttributeType::kS, AttributeType::kB, AttributeType::kN}) {
    std::vector<std::pair<AttributeValue, std::string>> keys;  // (first value, suffix value)
    for (int i = 0; i < 600; ++i) {
      AttributeValue first =
          type == AttributeType::kN
              ? AttributeValue::number(random_number(rng))
              : (type == AttributeType::kS ? AttributeValue::string(random_bytes(rng, 6))
                                           : AttributeValue::binary(random_bytes(rng, 6)));
      keys.emplace_back(first, random_bytes(rng, 3));
    }
    auto encoded = [](const std::pair<AttributeValue, std::string>& k) {
      std::string out;
      append_key_component(out, k.first);
      append_key_component(out, AttributeValue::binary(k.second));
      return out;
    };
    auto compare_values = [type](const AttributeValue& a, const AttributeValue& b) {
      if (type == AttributeType::kN) return Number::compare(a.as_number(), b.as_number());
      const std::string& x = type == AttributeType::kS ? a.as_string() : a.as_binary();
      const std::string& y = type == AttributeType::kS ? b.as_string() : b.as_binary();
      return sign_of(x.compare(y));  // std::string compares bytes as unsigned char
    };
    for (size_t i = 0; i < keys.size(); ++i) {
      const std::string ki = encoded(keys[i]);
      std::string_view in = ki;
      auto first = decode_key_component(in, type);
      ASSERT_TRUE(first);
      EXPECT_EQ(*first, keys[i].first);
      auto second = decode_key_component(in, AttributeType::kB);
      ASSERT_TRUE(second);
      EXPECT_EQ(second->as_binary(), keys[i].second);
      EXPECT_TRUE(in.empty());
      for (size_t j : {(i + 1) % keys.size(), (i * 31 + 7) % keys.size()}) {
        int expected = compare_values(keys[i].first, keys[j].first);
        if (expected == 0) expected = sign_of(keys[i].second.compare(keys[j].second));
        EXPECT_EQ(sign_of(ki.compare(encoded(keys[j]))), expected);
      }
    }
  }
}

TEST(PartitionKeyHash, IsXxh64) {
  // Reference values from libxxhash 0.8.1 (XXH64, seed 0).
  EXPECT_EQ(xxhash64(""), 0xef46db3751d8e999ULL);
  EXPECT_EQ(xxhash64("a"), 0xd24ec4f1a98c6e5bULL);
  EXPECT_EQ(xxhash64("abc"), 0x44bc2cf5ad770999ULL);
  EXPECT_EQ(xxhash64("0123456789abcdefghijklmnopqrstuvwxyz"), 0x69196c1b3af0bff9ULL);
  std::string bytes;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  }
  EXPECT_EQ(xxhash64(bytes), 0x8e03c838c596036fULL);
}

TEST(PartitionKeyHash, EqualNumbersHashAlikeAndSegmentsBalance) {
  EXPECT_EQ(partition_key_hash(AttributeValue::number(num("1000"))),
            partition_key_hash(AttributeValue::number(num("1e3"))));
  EXPECT_EQ(partition_key_hash(AttributeValue::string("abc")), xxhash64("abc"));
  EXPECT_EQ(partition_key_hash(AttributeValue::binary("abc")), xxhash64("abc"));
  // Sequential keys spread evenly over 8 segments (top 3 bits).
  int buckets[8] = {};
  for (int i = 0; i < 80000; ++i) {
    ++buckets[partition_key_hash(AttributeValue::string("user#" + std::to_string(i))) >> 61];
    ++buckets[partition_key_hash(AttributeValue::number(Number::from_int64(i))) >> 61];
  }
  for (int count : buckets) {
    EXPECT_GT(count, 20000 * 0.95);
    EXPECT_LT(count, 20000 * 1.05);
  }
}

}  // namespace
}  // namespace trib::dynamodb
