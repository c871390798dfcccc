// AttributeValue and Item: conversion from the decoded request document with DynamoDB's checks
// and texts, conversion back, equality by value, item size.
#include "dynamodb/values/attribute_value.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "aws/codec.h"
#include "model/model.h"

namespace trib::dynamodb {
namespace {

// The AttributeValue shapes of the botocore model (dynamodb 2012-08-10), members in model order,
// so the requests below go through the real JSON codec as an Item would.
constexpr std::string_view kModel = R"({
  "metadata": {"targetPrefix": "DynamoDB_20120810", "jsonVersion": "1.0"},
  "operations": {},
  "shapes": {
    "PutItemInput": {"type": "structure", "members": {"Item": {"shape": "AttributeMap"}}},
    "AttributeMap": {"type": "map", "key": {"shape": "AttributeName"}, "value": {"shape": "AttributeValue"}},
    "AttributeName": {"type": "string", "max": 65535},
    "AttributeValue": {"type": "structure", "members": {
      "S": {"shape": "StringAttributeValue"}, "N": {"shape": "NumberAttributeValue"},
      "B": {"shape": "BinaryAttributeValue"}, "SS": {"shape": "StringSetAttributeValue"},
      "NS": {"shape": "NumberSetAttributeValue"}, "BS": {"shape": "BinarySetAttributeValue"},
      "M": {"shape": "AttributeMap"}, "L": {"shape": "ListAttributeValue"},
      "NULL": {"shape": "BooleanAttributeValue"}, "BOOL": {"shape": "BooleanAttributeValue"}}},
    "StringAttributeValue": {"type": "string"},
    "NumberAttributeValue": {"type": "string"},
    "BinaryAttributeValue": {"type": "blob"},
    "BooleanAttributeValue": {"type": "boolean"},
    "StringSetAttributeValue": {"type": "list", "member": {"shape": "StringAttributeValue"}},
    "NumberSetAttributeValue": {"type": "list", "member": {"shape": "NumberAttributeValue"}},
    "BinarySetAttributeValue": {"type": "list", "member": {"shape": "BinaryAttributeValue"}},
    "ListAttributeValue": {"type": "list", "member": {"shape": "AttributeValue"}}
  }
})";

const model::ServiceModel& test_model() {
  static const auto model = model::ServiceModel::parse(kModel);
  return *model;
}

// Decodes `{"Item": <item_json>}` with the JSON codec and converts the Item.
aws::AwsResult<Item> parse_item(std::string_view item_json) {
  static const auto codec = aws::make_json_codec("application/x-amz-json-1.0");
  const std::string body = "{\"Item\": " + std::string(item_json) + "}";
  auto parsed = codec->parse(body);
  EXPECT_TRUE(parsed) << body;
  auto document = (*parsed)->to_value(test_model().find_shape("PutItemInput"));
  EXPECT_TRUE(document) << body;
  aws::Value item = document->find("Item") ? *document->find("Item") : aws::Value::map();
  return item_from_wire(std::move(item));
}

std::string round_trip(std::string_view item_json) {
  auto item = parse_item(item_json);
  if (!item) return "error: " + item.error().message;
  return aws::to_json(item_to_wire(*item));
}

std::string error_of(std::string_view item_json) {
  auto item = parse_item(item_json);
  if (item) return "accepted";
  EXPECT_EQ(item.error().type, "ValidationException");
  EXPECT_EQ(item.error().type_namespace, "com.amazon.coral.validate");
  EXPECT_EQ(item.error().http_status, 400);
  return item.error().message;
}

TEST(AttributeValue, ConvertsEveryTypeAndBack) {
  EXPECT_EQ(round_trip(R"({"s": {"S": "x"}, "n": {"N": "1.5E2"}, "b": {"B": "AP8="},
                           "t": {"BOOL": true}, "f": {"BOOL": false}, "z": {"NULL": true}})"),
            R"({"b":{"B":"AP8="},"f":{"BOOL":false},"n":{"N":"150"},"s":{"S":"x"},)"
            R"("t":{"BOOL":true},"z":{"NULL":true}})");
  EXPECT_EQ(round_trip(R"({"ss": {"SS": ["b", "a", ""]}, "ns": {"NS": ["10", "-1", "2e0", ".5"]},
                           "bs": {"BS": ["Yg==", "YQ==", ""]}})"),
            R"({"bs":{"BS":["","YQ==","Yg=="]},"ns":{"NS":["-1","0.5","2","10"]},)"
            R"("ss":{"SS":["","a","b"]}})");
  EXPECT_EQ(round_trip(R"({"m": {"M": {"z": {"N": "1"}, "a": {"L": [{"S": "x"}, {"M": {}},
                           {"L": []}, {"NULL": true}]}}}, "": {"S": ""}})"),
            R"({"":{"S":""},"m":{"M":{"a":{"L":[{"S":"x"},{"M":{}},{"L":[]},{"NULL":true}]},)"
            R"("z":{"N":"1"}}}})");
  // Unknown members are ignored, as by the codec for any structure.
  EXPECT_EQ(round_trip(R"({"a": {"S": "x", "Q": 5}})"), R"({"a":{"S":"x"}})");
  // Empty S and B are values (facts §6).
  EXPECT_EQ(round_trip(R"({"a": {"S": ""}, "b": {"B": ""}})"), R"({"a":{"S":""},"b":{"B":""}})");
}

// item_to_wire's Value writes its JSON directly (aws::Fragment); the Value tree it gives every
// other reader (the CBOR codec) must encode to the same text.
TEST(AttributeValue, DirectJsonMatchesTheValueTree) {
  auto item = parse_item(R"({"s\"q": {"S": "tab\t quote\" back\\ \u0001 é"}, "n": {"N": "-0.01"},
      "b": {"B": "AP8="}, "t": {"BOOL": true}, "z": {"NULL": true}, "e": {"S": ""},
      "m": {"M": {"k": {"L": [{"N": "1"}, {"SS": ["x", "y"]}, {"M": {}}, {"L": []}]}}},
      "ns": {"NS": ["3", "1"]}, "bs": {"BS": ["YQ==", "Yg=="]}})");
  ASSERT_TRUE(item) << item.error().message;
  const aws::Value wire = item_to_wire(*item);
  ASSERT_EQ(wire.kind(), aws::Value::Kind::kFragment);
  const aws::Value tree = wire.as_fragment().to_value();
  ASSERT_TRUE(tree.is_map());
  EXPECT_EQ(aws::to_json(wire), aws::to_json(tree));
  EXPECT_EQ(aws::to_json(wire),
            R"({"b":{"B":"AP8="},"bs":{"BS":["YQ==","Yg=="]},"e":{"S":""},)"
            R"("m":{"M":{"k":{"L":[{"N":"1"},{"SS":["x","y"]},{"M":{}},{"L":[]}]}}},)"
            R"("n":{"N":"-0.01"},"ns":{"NS":["1","3"]},)"
            R"("s\"q":{"S":"tab\t quote\" back\\ \u0001 é"},"t":{"BOOL":true},"z":{"NULL":true}})");
  // Inside another document (a Query page's Items list), the same text.
  aws::Value page = aws::Value::map();
  page.set("Items", aws::Value(aws::ValueList{wire, wire}));
  EXPECT_EQ(aws::to_json(page),
            "{\"Items\":[" + aws::to_json(tree) + "," + aws::to_json(tree) + "]}");
}

TEST(AttributeValue, RefusesWithDynamoDbTexts) {
  const std::string invalid = "One or more parameter values were invalid: ";
  const std::string empty =
      "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
  const std::string two =
      "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
      "supported datatypes";
  EXPECT_EQ(error_of(R"({"a": {}})"), empty);
  EXPECT_EQ(error_of(R"({"a": {"S": null}})"), empty);
  EXPECT_EQ(error_of(R"({"a": {"Q": "x"}})"), empty);
  EXPECT_EQ(error_of(R"({"a": {"M": {"b": {}}}})"), empty);
  EXPECT_EQ(error_of(R"({"a": {"L": [{}]}})"), empty);
  EXPECT_EQ(error_of(R"({"a": {"L": [null]}})"), empty);
  EXPECT_EQ(error_of(R"({"a": {"S": "a", "N": "1"}})"), two);
  EXPECT_EQ(error_of(R"({"a": {"NULL": true, "BOOL": true}})"), two);
  // The number is checked before the count of datatypes (dynalite, from AWS).
  EXPECT_EQ(error_of(R"({"a": {"S": "", "N": ""}})"),
            "The parameter cannot be converted to a numeric value");
  EXPECT_EQ(error_of(R"({"a": {"S": "a", "N": "b"}})"),
            "The parameter cannot be converted to a numeric value: b");
  EXPECT_EQ(error_of(R"({"a": {"N": "1e126"}})"),
            "Number overflow. Attempting to store a number with magnitude larger than supported "
            "range");
  EXPECT_EQ(error_of(R"({"a": {"NULL": false}})"),
            invalid + "Null attribute value types must have the value of true");
  EXPECT_EQ(error_of(R"({"a": {"SS": []}})"), invalid + "An string set  may not be empty");
  EXPECT_EQ(error_of(R"({"a": {"NS": []}})"), invalid + "An number set  may not be empty");
  EXPECT_EQ(error_of(R"({"a": {"BS": []}})"), invalid + "Binary sets should not be empty");
  EXPECT_EQ(error_of(R"({"a": {"M": {"b": {"SS": []}}}})"),
            invalid + "An string set  may not be empty");
  EXPECT_EQ(error_of(R"({"a": {"L": [{"NS": []}]}})"), invalid + "An number set  may not be empty");
  EXPECT_EQ(error_of(R"({"a": {"SS": ["a", "a"]}})"),
            invalid + "Input collection [a, a] contains duplicates.");
  EXPECT_EQ(error_of(R"({"a": {"SS": ["b", "a", "b"]}})"),
            invalid + "Input collection [b, a, b] contains duplicates.");
  EXPECT_EQ(error_of(R"({"a": {"BS": ["Yg==", "Yg=="]}})"),
            invalid + "Input collection [Yg==, Yg==]of type BS contains duplicates.");
  EXPECT_EQ(error_of(R"({"a": {"NS": ["1", "1"]}})"), "Input collection contains duplicates");
  EXPECT_EQ(error_of(R"({"a": {"NS": ["1", "2", "1.0"]}})"),
            "Input collection contains duplicates");
  EXPECT_EQ(error_of(R"({"a": {"NS": ["1", ""]}})"),
            "The parameter cannot be converted to a numeric value");
  EXPECT_EQ(error_of(R"({"a": {"NS": ["1", "b"]}})"),
            "The parameter cannot be converted to a numeric value: b");
  // An error deep inside is found.
  EXPECT_EQ(error_of(R"({"ok": {"S": "x"}, "a": {"M": {"b": {"L": [{"N": "dog"}]}}}})"),
            "The parameter cannot be converted to a numeric value: dog");
}

// A scalar wrapped in `depth` single-entry maps: depth 31 puts the scalar at level 32.
std::string nested(int depth, std::string_view leaf = R"({"S": "leaf"})") {
  std::string json(leaf);
  for (int i = 0; i < depth; ++i) json = R"({"M": {"n": )" + json + "}}";
  return json;
}

TEST(AttributeValue, NestsAtMost32Levels) {
  const std::string too_deep =
      "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
      "beyond supported limit";
  EXPECT_EQ(error_of(R"({"a": )" + nested(31) + "}"), "accepted");
  EXPECT_EQ(error_of(R"({"a": )" + nested(32) + "}"), too_deep);
  EXPECT_EQ(error_of(R"({"a": )" + nested(100) + "}"), too_deep);
  // Lists count too.
  std::string list = R"({"S": "leaf"})";
  for (int i = 0; i < 32; ++i) list = R"({"L": [)" + list + "]}";
  EXPECT_EQ(error_of(R"({"a": )" + list + "}"), too_deep);
  // The depth is found before a bad number at the bottom (paritysuite, AWS capture).
  EXPECT_EQ(error_of(R"({"a": )" + nested(40, R"({"N": "abc"})") + "}"), too_deep);
  EXPECT_EQ(error_of(R"({"a": )" + nested(31, R"({"N": "abc"})") + "}"),
            "The parameter cannot be converted to a numeric value: abc");
  // An ExpressionAttributeValues entry is level 1 like an attribute; deeper starts count on.
  auto wrap = [](int depth) {
    aws::Value v = aws::Value::map();
    v.set("S", aws::Value("leaf"));
    for (int i = 0; i < depth; ++i) {
      aws::Value inner = aws::Value::map();
      inner.set("n", std::move(v));
      v = aws::Value::map();
      v.set("M", std::move(inner));
    }
    return v;
  };
  EXPECT_TRUE(attribute_value_from_wire(wrap(31)));
  EXPECT_EQ(attribute_value_from_wire(wrap(32)).error().message, too_deep);
  EXPECT_EQ(attribute_value_from_wire(wrap(30), 3).error().message, too_deep);
  EXPECT_TRUE(attribute_value_from_wire(wrap(30), 2));
}

TEST(AttributeValue, EqualityIsByValue) {
  auto a = parse_item(R"({"m": {"M": {"x": {"N": "1000"}, "y": {"NS": ["1", "2.50"]}}},
                          "s": {"SS": ["q", "p"]}})");
  auto b = parse_item(R"({"s": {"SS": ["p", "q"]},
                          "m": {"M": {"y": {"NS": ["2.5", "1e0"]}, "x": {"N": "1e3"}}}})");
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_EQ(*a, *b);
  auto c = parse_item(R"({"s": {"SS": ["p", "q"]},
                          "m": {"M": {"y": {"NS": ["2.5", "1e0"]}, "x": {"N": "1e3"}, "z": {"NULL": true}}}})");
  EXPECT_NE(*a, *c);
  EXPECT_NE(AttributeValue::string("1"), AttributeValue::number(Number::parse("1").value()));
  EXPECT_NE(AttributeValue::string("a"), AttributeValue::binary("a"));
  EXPECT_NE(AttributeValue::string_set({"a"}), AttributeValue::binary_set({"a"}));
  EXPECT_EQ(AttributeValue::list({AttributeValue::null()}),
            AttributeValue::list({AttributeValue()}));
  EXPECT_NE(AttributeValue::list({AttributeValue::boolean(true), AttributeValue::boolean(false)}),
            AttributeValue::list({AttributeValue::boolean(false), AttributeValue::boolean(true)}));
}

TEST(AttributeValue, FactoriesEstablishTheInvariants) {
  AttributeValue m = AttributeValue::map({{"b", AttributeValue::string("1")},
                                          {"a", AttributeValue::string("2")},
                                          {"b", AttributeValue::string("3")}});
  ASSERT_EQ(m.as_map().size(), 2u);
  EXPECT_EQ(m.as_map()[0].first, "a");
  EXPECT_EQ(find_attribute(m.as_map(), "b")->as_string(), "3");  // the last of a repeated name wins
  EXPECT_EQ(find_attribute(m.as_map(), "c"), nullptr);
  put_attribute(m.as_map(), "aa", AttributeValue::boolean(true));
  put_attribute(m.as_map(), "a", AttributeValue::boolean(false));
  EXPECT_EQ(m.as_map()[1].first, "aa");
  EXPECT_FALSE(find_attribute(m.as_map(), "a")->as_bool());
  EXPECT_TRUE(erase_attribute(m.as_map(), "aa"));
  EXPECT_FALSE(erase_attribute(m.as_map(), "aa"));
  EXPECT_EQ(m.as_map().size(), 2u);
  // Unsigned byte order of names and set elements.
  AttributeValue ss = AttributeValue::string_set({"\xc2\xbf", "z", "a", "A", "a"});
  EXPECT_EQ(ss.as_string_set(), (StringSet{"A", "a", "z", "\xc2\xbf"}));
  AttributeValue ns = AttributeValue::number_set(
      {Number::parse("10").value(), Number::parse("-1").value(), Number::parse("1e1").value()});
  ASSERT_EQ(ns.as_number_set().size(), 2u);
  EXPECT_EQ(ns.as_number_set()[0].to_string(), "-1");
  EXPECT_EQ(AttributeValue().type(), AttributeType::kNull);
  EXPECT_EQ(type_name(AttributeType::kBool), "BOOL");
  EXPECT_EQ(type_name(AttributeType::kBS), "BS");
}

TEST(AttributeValue, ItemSize) {
  // The AWS developer guide's example (facts §8): 11 + 1 + 10 + 1.
  EXPECT_EQ(
      item_size(parse_item(R"({"shirt-color": {"S": "R"}, "shirt-size": {"S": "M"}})").value()),
      23u);
  auto size_of = [](std::string_view value_json) {
    return item_size(parse_item(std::string(R"({"a": )") + std::string(value_json) + "}").value()) -
           1;
  };
  EXPECT_EQ(size_of(R"({"S": "h\u00e9"})"), 3u);  // UTF-8 bytes
  EXPECT_EQ(size_of(R"({"B": "AAEC"})"), 3u);     // raw bytes, not base64
  EXPECT_EQ(size_of(R"({"N": "3.14159"})"), 5u);
  EXPECT_EQ(size_of(R"({"N": "-42"})"), 3u);
  EXPECT_EQ(size_of(R"({"BOOL": false})"), 1u);
  EXPECT_EQ(size_of(R"({"NULL": true})"), 1u);
  EXPECT_EQ(size_of(R"({"SS": ["ab", "c"]})"), 3u);
  EXPECT_EQ(size_of(R"({"NS": ["1", "123"]})"), 5u);
  EXPECT_EQ(size_of(R"({"BS": ["AAE=", "AA=="]})"), 3u);
  EXPECT_EQ(size_of(R"({"L": []})"), 3u);
  EXPECT_EQ(size_of(R"({"M": {}})"), 3u);
  EXPECT_EQ(size_of(R"({"L": [{"S": "ab"}, {"N": "1"}]})"), 3u + 1 + 2 + 1 + 2);
  EXPECT_EQ(size_of(R"({"M": {"key": {"S": "ab"}}})"), 3u + 1 + 3 + 2);
  EXPECT_EQ(size_of(R"({"M": {"k": {"L": [{"BOOL": true}]}}})"), 3u + 1 + 1 + (3 + 1 + 1));
}

TEST(AttributeValue, ConvertingFromAConstDocumentCopies) {
  aws::Value document = aws::Value::map();
  aws::Value s = aws::Value::map();
  s.set("S", aws::Value("kept"));
  document.set("a", std::move(s));
  auto item = item_from_wire(static_cast<const aws::Value&>(document));
  ASSERT_TRUE(item);
  EXPECT_EQ(find_attribute(*item, "a")->as_string(), "kept");
  EXPECT_EQ(document.find("a")->find("S")->as_string(), "kept");
  auto moved = item_from_wire(std::move(document));
  ASSERT_TRUE(moved);
  EXPECT_EQ(*moved, *item);
}

}  // namespace
}  // namespace trib::dynamodb
