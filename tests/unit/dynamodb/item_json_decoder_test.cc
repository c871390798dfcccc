// decode_plain_item, the JSON codec's shape decoder for DynamoDB items: every request decodes,
// validates and converts exactly as on the generic path, and reads the same as a Value tree (a
// differential test over hand-picked and random item documents, plain and not), and plain
// items do take the fast path.
#include "dynamodb/values/item_json_decoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "aws/codec.h"
#include "aws/json_shape_decoders.h"
#include "aws/validate.h"
#include "dynamodb/values/attribute_value.h"
#include "model/model.h"

namespace trib::dynamodb {
namespace {

const model::ServiceModel& dynamodb_model() {
  return model::ServiceModel::embedded("dynamodb-2012-08-10");
}

const aws::JsonShapeDecoders& decoders() {
  static const aws::JsonShapeDecoders set = [] {
    aws::JsonShapeDecoders d;
    d.add(dynamodb_model().find_shape("PutItemInputAttributeMap"), &decode_plain_item);
    return d;
  }();
  return set;
}

struct Outcome {
  bool fast = false;   // the Item came out of the shape decoder
  std::string result;  // the error (kind and text) or the converted item's JSON
  std::string tree;    // the request's Item read as a Value tree, maps in name order
};

// `value` with every map's members in name order and Fragments read as their Value form: how
// code that walks the request (the idempotency fingerprint) sees it.
aws::Value sorted_tree(const aws::Value& value) {
  switch (value.kind()) {
    case aws::Value::Kind::kFragment:
      return sorted_tree(value.as_fragment().to_value());
    case aws::Value::Kind::kList: {
      aws::Value out = aws::Value::list();
      for (const aws::Value& element : value.as_list()) out.push(sorted_tree(element));
      return out;
    }
    case aws::Value::Kind::kMap: {
      aws::ValueMap members;
      for (const auto& [name, member] : value.as_map())
        members.emplace_back(name, sorted_tree(member));
      std::stable_sort(members.begin(), members.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      return aws::Value(std::move(members));
    }
    default:
      return value;
  }
}

// PutItem's input `{"TableName": "t", "Item": <item_json>}` through the JSON codec (with or
// without the decoders), model validation, and item_from_wire of its Item: what the pipeline
// and PutItem do with it.
Outcome decode(const std::string& item_json, const aws::JsonShapeDecoders* with) {
  static const auto codec = aws::make_json_codec("application/x-amz-json-1.0");
  const model::Shape& shape = *dynamodb_model().find_operation("PutItem")->input;
  const std::string body = R"({"TableName": "t", "Item": )" + item_json + "}";
  auto parsed = codec->parse(body);
  if (!parsed) return {false, "unparsed", ""};
  auto document = (*parsed)->to_value(&shape, with);
  if (!document) return {false, "serialization: " + document.error().message, ""};
  const aws::Value* item = document->find("Item");
  const bool fast = item && item->kind() == aws::Value::Kind::kFragment;
  const std::string tree = item ? aws::to_json(sorted_tree(*item)) : "";
  if (auto message = aws::validate(*document, shape))
    return {fast, "validation: " + *message, tree};
  if (!item) return {fast, "no item", tree};
  auto converted = item_from_wire(*item);
  if (!converted) return {fast, "conversion: " + converted.error().message, tree};
  return {fast, aws::to_json(item_to_wire(std::move(*converted))), tree};
}

// Decodes with and without the decoders, expects the same outcome, and says whether the fast
// path took it.
bool same_both_ways(const std::string& item_json) {
  const Outcome generic = decode(item_json, nullptr);
  const Outcome fast = decode(item_json, &decoders());
  EXPECT_FALSE(generic.fast);
  EXPECT_EQ(fast.result, generic.result) << item_json;
  EXPECT_EQ(fast.tree, generic.tree) << item_json;
  if (fast.fast) {
    // Taken only when the generic path accepts it too.
    EXPECT_EQ(generic.result.rfind("{", 0), 0u) << item_json << " -> " << generic.result;
  }
  return fast.fast;
}

TEST(ItemJsonDecoder, PlainItemsTakeTheFastPathWithTheGenericResult) {
  const char* plain[] = {
      R"({})",
      R"({"pk": {"S": "a"}, "sk": {"N": "1.5"}, "data": {"S": "xyz"}})",
      R"({"b": {"B": "AAEC"}, "t": {"BOOL": false}, "n": {"NULL": true}, "e": {"S": ""}})",
      R"({"z": {"N": "0"}, "a": {"N": "1000"}, "m": {"N": "0.00001"}, "n": {"N": "-12.25"}})",
      R"({"m": {"M": {"y": {"S": "1"}, "x": {"L": [{"N": "2"}, {"M": {}}, {"L": []}]}}}})",
      R"({"ss": {"SS": ["", "a", "b"]}, "ns": {"NS": ["-1.5", "9", "10"]}, "bs": {"BS": ["AA==", "AQ=="]}})",
      R"({"\u00e9t\u00e9": {"S": "\u2603\n\"q\""}, "": {"S": "empty name"}})",
  };
  for (const char* json : plain) EXPECT_TRUE(same_both_ways(json)) << json;
}

TEST(ItemJsonDecoder, AnythingNotPlainIsLeftToTheGenericPath) {
  const char* not_plain[] = {
      R"({"a": null})",
      R"({"a": {}})",
      R"({"a": {"S": "x", "N": "1"}})",
      R"({"a": {"S": "x", "S": "y"}})",
      R"({"a": {"S": "x", "Extra": 1}})",
      R"({"a": {"Q": "x"}})",
      R"({"a": {"S": null}})",
      R"({"a": {"S": 1}})",
      R"({"a": {"N": 5}})",
      R"({"a": {"N": "abc"}})",
      R"({"a": {"N": " 1"}})",
      R"({"a": {"N": "1e126"}})",
      R"({"a": {"N": "1e-131"}})",
      R"({"a": {"N": "123456789012345678901234567890123456789"}})",
      // Valid, but not in the canonical spelling or order the item's Value form would give.
      R"({"a": {"N": "1.50"}})",
      R"({"a": {"N": "-0"}})",
      R"({"a": {"N": "1E+3"}})",
      R"({"a": {"N": "01"}})",
      R"({"a": {"L": [{"N": "2.0"}]}})",
      R"({"a": {"SS": ["b", "a"]}})",
      R"({"a": {"NS": ["10", "9"]}})",
      R"({"a": {"NS": ["1", "2.0"]}})",
      R"({"a": {"BS": ["AQ==", "AA=="]}})",
      R"({"a": {"B": "AAE"}})",
      R"({"a": {"B": "A?=="}})",
      R"({"a": {"BOOL": "true"}})",
      R"({"a": {"BOOL": 1.0}})",
      R"({"a": {"NULL": false}})",
      R"({"a": {"NULL": "TRUE"}})",
      R"({"a": {"SS": []}})",
      R"({"a": {"SS": ["x", "x"]}})",
      R"({"a": {"SS": ["x", null]}})",
      R"({"a": {"NS": ["1", "1.0"]}})",
      R"({"a": {"NS": ["1", "x"]}})",
      R"({"a": {"BS": ["AA==", "AA=="]}})",
      R"({"a": {"L": [null]}})",
      R"({"a": {"L": [{"S": "x"}, {}]}})",
      R"({"a": {"M": {"k": null}}})",
      R"({"a": {"M": {"k": {"S": "1"}, "k": {"S": "2"}}}})",
      R"({"a": {"S": "1"}, "a": {"S": "2"}})",
      R"({"a": {"M": []}})",
      R"({"a": {"L": {}}})",
      R"({"a": []})",
      R"([])",
      R"("item")",
  };
  for (const char* json : not_plain) EXPECT_FALSE(same_both_ways(json)) << json;
}

std::string nested(int levels) {
  std::string json = R"({"S": "x"})";
  for (int i = 1; i < levels; ++i) json = R"({"M": {"k": )" + json + "}}";
  return R"({"a": )" + json + "}";
}

TEST(ItemJsonDecoder, NestingAndLongNamesAtTheirLimits) {
  EXPECT_TRUE(same_both_ways(nested(kMaxNestingLevel)));
  EXPECT_FALSE(same_both_ways(nested(kMaxNestingLevel + 1)));
  EXPECT_TRUE(same_both_ways(R"({")" + std::string(65535, 'n') + R"(": {"S": "x"}})"));
  // Too long for AttributeName: the model's constraint, worded by validation.
  const std::string too_long = R"({")" + std::string(65536, 'n') + R"(": {"S": "x"}})";
  EXPECT_FALSE(same_both_ways(too_long));
  EXPECT_NE(decode(too_long, &decoders()).result.find("validation: "), std::string::npos);
}

// Random items: mostly plain values, with a mutation now and then that the generic path
// refuses, coerces or ignores.
class RandomItems {
 public:
  explicit RandomItems(uint32_t seed) : rng_(seed) {}

  std::string item() {
    std::string out = "{";
    const int n = pick(0, 5);
    for (int i = 0; i < n; ++i) {
      if (i) out += ",";
      out += name() + ":" + value(1);
    }
    return out + "}";
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool one_in(int n) { return pick(1, n) == 1; }

  std::string name() {
    static const char* names[] = {R"("a")",      R"("b")", R"("pk")", R"("")",
                                  R"("\u00e9")", R"("S")", R"("N")",  R"("long name")"};
    return names[pick(0, 7)];
  }
  std::string number() {
    static const char* numbers[] = {"0",
                                    "-0",
                                    "1",
                                    "1.0",
                                    "01",
                                    "1.50",
                                    "-12.5e3",
                                    "1E-130",
                                    "9.9999999999999999999999999999999999999E+125",
                                    "1e126",
                                    "0.1e-130",
                                    "abc",
                                    "",
                                    " 2",
                                    "12345678901234567890123456789012345678",
                                    "123456789012345678901234567890123456789",
                                    "Infinity",
                                    "NaN"};
    return std::string("\"") + numbers[pick(0, 17)] + "\"";
  }
  std::string base64() {
    static const char* texts[] = {"", "AA==", "AQID", "AAE", "A?==", "YWJj", "YQ=", "AAEC"};
    return std::string("\"") + texts[pick(0, 7)] + "\"";
  }
  std::string string() {
    static const char* texts[] = {"", "x", "y", "x y", "\\u2603", "\\n", "long text here"};
    return std::string("\"") + texts[pick(0, 6)] + "\"";
  }
  std::string scalar_oddity() {
    static const char* odd[] = {"null", "1", "true", "\"true\"", "[]", "{}", "1.5"};
    return odd[pick(0, 6)];
  }

  template <class Element>
  std::string list_of(int lo, int hi, Element element) {
    std::string out = "[";
    const int n = pick(lo, hi);
    for (int i = 0; i < n; ++i) {
      if (i) out += ",";
      out += one_in(30) ? "null" : element();
    }
    return out + "]";
  }

  std::string value(int level) {
    if (one_in(40)) return scalar_oddity();
    std::string member;
    const int type = level > 34 ? pick(0, 4) : pick(0, 9);
    switch (type) {
      case 0:
        member = R"("S":)" + (one_in(20) ? scalar_oddity() : string());
        break;
      case 1:
        member = R"("N":)" + (one_in(20) ? scalar_oddity() : number());
        break;
      case 2:
        member = R"("B":)" + (one_in(20) ? scalar_oddity() : base64());
        break;
      case 3:
        member = R"("BOOL":)" +
                 (one_in(10) ? scalar_oddity() : std::string(one_in(2) ? "true" : "false"));
        break;
      case 4:
        member = R"("NULL":)" +
                 (one_in(10) ? scalar_oddity() : std::string(one_in(8) ? "false" : "true"));
        break;
      case 5: {
        std::string map = "{";
        const int n = pick(0, 3);
        for (int i = 0; i < n; ++i) {
          if (i) map += ",";
          map += name() + ":" + value(level + 1);
        }
        member = R"("M":)" + map + "}";
        break;
      }
      case 6:
        member = R"("L":)" + list_of(0, 3, [&] { return value(level + 1); });
        break;
      case 7:
        member = R"("SS":)" + list_of(0, 3, [&] { return string(); });
        break;
      case 8:
        member = R"("NS":)" + list_of(0, 3, [&] { return number(); });
        break;
      default:
        member = R"("BS":)" + list_of(0, 3, [&] { return base64(); });
    }
    if (one_in(40)) member += R"(,"Extra":1)";
    if (one_in(40)) member += R"(,"S":"second")";
    if (one_in(60)) member = R"("Unknown":1)";
    return "{" + member + "}";
  }

  std::mt19937 rng_;
};

TEST(ItemJsonDecoder, RandomItemsDecodeTheSameEitherWay) {
  RandomItems random(20261203);
  int taken = 0;
  constexpr int kItems = 4000;
  for (int i = 0; i < kItems; ++i) taken += same_both_ways(random.item()) ? 1 : 0;
  // Both kinds occur often enough for the comparison to mean something.
  EXPECT_GT(taken, kItems / 5);
  EXPECT_LT(taken, kItems * 4 / 5);
}

// Deep nesting makes the generated items above; the deepest ones by construction.
TEST(ItemJsonDecoder, DeepListsAtTheLimit) {
  std::string json = R"({"N": "1"})";
  for (int i = 1; i < kMaxNestingLevel; ++i) json = R"({"L": [)" + json + "]}";
  EXPECT_TRUE(same_both_ways(R"({"a": )" + json + "}"));
  EXPECT_FALSE(same_both_ways(R"({"a": {"L": [)" + json + "]}}"));
}

}  // namespace
}  // namespace trib::dynamodb
