// src/dynamodb/documents/legacy.*: AttributeUpdates, Expected, QueryFilter / ScanFilter and
// ConditionalOperator on real items, with dynalite's AWS-derived texts and the behaviour
// scylladb's test_item.py checked against AWS.
#include <gtest/gtest.h>

#include <algorithm>

#include "documents_fixture.h"
#include "dynamodb/documents/legacy.h"

namespace trib::dynamodb::documents {
namespace {

using testing::decode;
using testing::item;
using testing::json;

const std::string kInvalid = "One or more parameter values were invalid: ";

// ---- AttributeUpdates ----

aws::AwsResult<AttributeUpdates> parse_updates(std::string_view updates_json) {
  const aws::Value request =
      decode("UpdateItem", R"({"TableName": "t", "Key": {}, "AttributeUpdates": )" +
                               std::string(updates_json) + "}");
  return parse_attribute_updates(*request.find("AttributeUpdates"));
}

std::string parse_error(std::string_view updates_json) {
  auto parsed = parse_updates(updates_json);
  return parsed ? "ok" : parsed.error().message;
}

std::string apply(std::string_view old_json, std::string_view updates_json) {
  auto parsed = parse_updates(updates_json);
  if (!parsed) return "parse error: " + parsed.error().message;
  const Item key = item(R"({"pk": {"S": "k"}})");
  std::optional<Item> old;
  if (!old_json.empty()) old = item(old_json);
  auto result = apply_attribute_updates(old ? &*old : nullptr, key, *parsed);
  if (!result) return "error: " + result.error().message;
  if (!*result) return "absent";
  return json(**result);
}

TEST(DocumentsLegacy, AttributeUpdatesValidation) {
  EXPECT_EQ(parse_error(R"({"a": {"Action": "PUT"}})"),
            kInvalid + "Only DELETE action is allowed when no attribute value is specified");
  EXPECT_EQ(parse_error(R"({"a": {}})"),
            kInvalid + "Only DELETE action is allowed when no attribute value is specified");
  EXPECT_EQ(parse_error(R"({"a": {"Action": "ADD"}})"),
            kInvalid + "Only DELETE action is allowed when no attribute value is specified");
  EXPECT_EQ(parse_error(R"({"a": {"Action": "DELETE", "Value": {"S": "x"}}})"),
            kInvalid + "DELETE action with value is not supported for the type S");
  EXPECT_EQ(parse_error(R"({"a": {"Action": "DELETE", "Value": {"L": []}}})"),
            kInvalid + "DELETE action with value is not supported for the type L");
  EXPECT_EQ(parse_error(R"({"a": {"Action": "ADD", "Value": {"M": {}}}})"),
            kInvalid + "ADD action is not supported for the type M");
  EXPECT_EQ(parse_error(R"({"a": {"Action": "ADD", "Value": {"BOOL": true}}})"),
            kInvalid + "ADD action is not supported for the type BOOL");
  EXPECT_EQ(parse_error(R"({"a": {"Action": "PUT", "Value": {"SS": []}}})"),
            kInvalid + "An string set  may not be empty");
  EXPECT_EQ(parse_error(R"({"a": {"Action": "ADD", "Value": {"L": [{"N": "1"}]}},
                            "b": {"Action": "DELETE"}, "c": {"Value": {"S": ""}}})"),
            "ok");
}

TEST(DocumentsLegacy, AttributeUpdatesKeys) {
  auto parsed = parse_updates(R"({"a": {"Value": {"N": "1"}}, "sk": {"Action": "DELETE"}})");
  ASSERT_TRUE(parsed);
  static constexpr std::string_view kKeys[] = {"pk", "sk"};
  auto error = check_attribute_updates_keys(*parsed, kKeys);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message,
            kInvalid + "Cannot update attribute sk. This attribute is part of the key");
  static constexpr std::string_view kOther[] = {"pk"};
  EXPECT_FALSE(check_attribute_updates_keys(*parsed, kOther));
}

TEST(DocumentsLegacy, AttributeUpdatesPutAndDelete) {
  const char* old = R"({"pk": {"S": "k"}, "a": {"S": "hi"}, "ns": {"NS": ["1", "2", "3"]}})";
  EXPECT_EQ(
      apply(old,
            R"({"b": {"Value": {"S": "hello"}, "Action": "PUT"}, "a": {"Value": {"N": "1"}}})"),
      R"({"a":{"N":"1"},"b":{"S":"hello"},"ns":{"NS":["1","2","3"]},"pk":{"S":"k"}})");
  EXPECT_EQ(apply(old, R"({"a": {"Action": "DELETE"}})"),
            R"({"ns":{"NS":["1","2","3"]},"pk":{"S":"k"}})");
  EXPECT_EQ(apply(old, R"({"ns": {"Action": "DELETE", "Value": {"NS": ["2.0", "4"]}}})"),
            R"({"a":{"S":"hi"},"ns":{"NS":["1","3"]},"pk":{"S":"k"}})");
  EXPECT_EQ(apply(old, R"({"ns": {"Action": "DELETE", "Value": {"NS": ["1", "2", "3"]}}})"),
            R"({"a":{"S":"hi"},"pk":{"S":"k"}})");
  EXPECT_EQ(apply(old, R"({"ns": {"Action": "DELETE", "Value": {"SS": ["1"]}}})"),
            "error: Type mismatch for attribute to update");
  EXPECT_EQ(apply(old, R"({"a": {"Action": "DELETE", "Value": {"SS": ["hi"]}}})"),
            "error: Type mismatch for attribute to update");
  EXPECT_EQ(apply(old, R"({"x": {"Action": "DELETE", "Value": {"SS": ["hi"]}}})"), json(item(old)));
  // A missing item: DELETEs create nothing; an empty map creates the key-only item.
  EXPECT_EQ(apply("", R"({"a": {"Action": "DELETE"}})"), "absent");
  EXPECT_EQ(apply("", R"({"a": {"Action": "DELETE", "Value": {"NS": ["4"]}}})"), "absent");
  EXPECT_EQ(apply("", "{}"), R"({"pk":{"S":"k"}})");
  EXPECT_EQ(apply("", R"({"a": {"Value": {"N": "3"}}})"), R"({"a":{"N":"3"},"pk":{"S":"k"}})");
}

TEST(DocumentsLegacy, AttributeUpdatesAdd) {
  const char* old = R"({"pk": {"S": "k"}, "n": {"N": "7"}, "ss": {"SS": ["dog"]},
                        "l": {"L": [{"N": "1"}, {"N": "2"}]}})";
  EXPECT_EQ(
      apply(old, R"({"n": {"Action": "ADD", "Value": {"N": "-3.5"}}})"),
      R"({"l":{"L":[{"N":"1"},{"N":"2"}]},"n":{"N":"3.5"},"pk":{"S":"k"},"ss":{"SS":["dog"]}})");
  EXPECT_EQ(apply(old, R"({"b": {"Action": "ADD", "Value": {"N": "2"}}})"),
            R"({"b":{"N":"2"},"l":{"L":[{"N":"1"},{"N":"2"}]},"n":{"N":"7"},"pk":{"S":"k"},)"
            R"("ss":{"SS":["dog"]}})");
  EXPECT_EQ(
      apply(old, R"({"ss": {"Action": "ADD", "Value": {"SS": ["cat", "dog"]}}})"),
      R"({"l":{"L":[{"N":"1"},{"N":"2"}]},"n":{"N":"7"},"pk":{"S":"k"},"ss":{"SS":["cat","dog"]}})");
  // Lists are appended to (undocumented; AWS does it).
  EXPECT_EQ(apply(old, R"({"l": {"Action": "ADD", "Value": {"L": [{"N": "2"}, {"S": "x"}]}}})"),
            R"({"l":{"L":[{"N":"1"},{"N":"2"},{"N":"2"},{"S":"x"}]},"n":{"N":"7"},"pk":{"S":"k"},)"
            R"("ss":{"SS":["dog"]}})");
  const std::string mismatch = "error: Type mismatch for attribute to update";
  EXPECT_EQ(apply(old, R"({"ss": {"Action": "ADD", "Value": {"N": "2"}}})"), mismatch);
  EXPECT_EQ(apply(old, R"({"ss": {"Action": "ADD", "Value": {"L": []}}})"), mismatch);
  EXPECT_EQ(apply(old, R"({"l": {"Action": "ADD", "Value": {"SS": ["x"]}}})"), mismatch);
  EXPECT_EQ(apply(old, R"({"n": {"Action": "ADD", "Value": {"NS": ["1"]}}})"), mismatch);
  EXPECT_EQ(apply("", R"({"a": {"Action": "ADD", "Value": {"NS": ["1", "2"]}}})"),
            R"({"a":{"NS":["1","2"]},"pk":{"S":"k"}})");
}

TEST(DocumentsLegacy, AttributeUpdatesManyAttributesStaySorted) {
  std::string updates = "{";
  for (int i = 299; i >= 0; --i) {
    if (i != 299) updates += ", ";
    updates += "\"a" + std::to_string(i) + R"(": {"Value": {"N": ")" + std::to_string(i) + "\"}}";
  }
  updates += R"(, "old": {"Action": "DELETE"}, "keep": {"Action": "ADD", "Value": {"N": "1"}}})";
  auto parsed = parse_updates(updates);
  ASSERT_TRUE(parsed);
  const Item old = item(R"({"pk": {"S": "k"}, "old": {"S": "x"}, "keep": {"N": "1"}})");
  auto result = apply_attribute_updates(&old, old, *parsed);
  ASSERT_TRUE(result && *result);
  const Item& next = **result;
  EXPECT_EQ(next.size(), 302u);  // a0..a299, keep, pk
  EXPECT_TRUE(std::is_sorted(next.begin(), next.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; }));
  EXPECT_EQ(find_attribute(next, "old"), nullptr);
  EXPECT_EQ(find_attribute(next, "keep")->as_number().to_string(), "2");
  EXPECT_EQ(find_attribute(next, "a123")->as_number().to_string(), "123");
}

TEST(DocumentsLegacy, AttributeUpdatesUpdatedAttributes) {
  auto parsed = parse_updates(R"({"a": {"Value": {"N": "1"}}, "gone": {"Action": "DELETE"}})");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(json(updated_attributes(item(R"({"pk": {"S": "k"}, "a": {"N": "0"}, "b": {"N": "2"}})"),
                                    *parsed)),
            R"({"a":{"N":"0"}})");
}

// ---- Conditions ----

aws::AwsResult<LegacyConditions> expected(std::string_view expected_json,
                                          const std::string* op = nullptr) {
  const aws::Value request = decode("PutItem", R"({"TableName": "t", "Item": {}, "Expected": )" +
                                                   std::string(expected_json) + "}");
  return parse_expected(*request.find("Expected"), op);
}

aws::AwsResult<LegacyConditions> filter(std::string_view filter_json,
                                        const std::string* op = nullptr) {
  const aws::Value request =
      decode("Scan", R"({"TableName": "t", "ScanFilter": )" + std::string(filter_json) + "}");
  return parse_conditions(*request.find("ScanFilter"), op);
}

std::string expected_error(std::string_view expected_json) {
  auto parsed = expected(expected_json);
  return parsed ? "ok" : parsed.error().message;
}

std::string filter_error(std::string_view filter_json) {
  auto parsed = filter(filter_json);
  return parsed ? "ok" : parsed.error().message;
}

TEST(DocumentsLegacy, ExpectedValidation) {
  EXPECT_EQ(expected_error(R"({"a": {"Value": {"S": "x"}, "AttributeValueList": [{"S": "x"}]}})"),
            kInvalid + "Value and AttributeValueList cannot be used together for Attribute: a");
  EXPECT_EQ(
      expected_error(R"({"a": {"ComparisonOperator": "EQ", "Exists": true, "Value": {"S": "x"}}})"),
      kInvalid + "Exists and ComparisonOperator cannot be used together for Attribute: a");
  EXPECT_EQ(expected_error(R"({"a": {"ComparisonOperator": "EQ"}})"),
            kInvalid +
                "Value or AttributeValueList must be used with ComparisonOperator: EQ for "
                "Attribute: a");
  EXPECT_EQ(expected_error(R"({"a": {"ComparisonOperator": "NULL", "Value": {"S": "x"}}})"),
            kInvalid + "Invalid number of argument(s) for the NULL ComparisonOperator");
  EXPECT_EQ(expected_error(R"({"a": {"ComparisonOperator": "BETWEEN", "Value": {"S": "x"}}})"),
            kInvalid + "Invalid number of argument(s) for the BETWEEN ComparisonOperator");
  EXPECT_EQ(expected_error(R"({"a": {"ComparisonOperator": "IN", "AttributeValueList": []}})"),
            kInvalid + "Invalid number of argument(s) for the IN ComparisonOperator");
  EXPECT_EQ(
      expected_error(R"({"a": {"AttributeValueList": [{"S": "x"}]}})"),
      kInvalid + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a");
  EXPECT_EQ(expected_error(R"({"a": {}})"),
            kInvalid + "Value must be provided when Exists is null for Attribute: a");
  EXPECT_EQ(expected_error(R"({"a": {"Exists": true}})"),
            kInvalid + "Value must be provided when Exists is true for Attribute: a");
  EXPECT_EQ(expected_error(R"({"a": {"Exists": false, "Value": {"S": "x"}}})"),
            kInvalid + "Value cannot be used when Exists is false for Attribute: a");
  EXPECT_EQ(expected_error(R"({"a": {"ComparisonOperator": "IN",
                                     "AttributeValueList": [{"S": "x"}, {"N": "1"}]}})"),
            kInvalid + "AttributeValues inside AttributeValueList must be of same type");
  EXPECT_EQ(expected_error(R"({"a": {"ComparisonOperator": "BETWEEN",
                                     "AttributeValueList": [{"N": "10"}, {"N": "9"}]}})"),
            "The BETWEEN condition was provided a range where the lower bound is greater than the "
            "upper bound");
  // [D] the operator's value types, as for the filters.
  EXPECT_EQ(expected_error(R"({"a": {"ComparisonOperator": "GT", "Value": {"BOOL": true}}})"),
            kInvalid + "ComparisonOperator GT is not valid for BOOL AttributeValue type");
  EXPECT_EQ(expected_error(R"({"a": {"Value": {"N": "x"}}})"),
            "The parameter cannot be converted to a numeric value: x");
  EXPECT_EQ(expected_error(R"({"a": {"Exists": false}, "b": {"Value": {"S": "x"}, "Exists": true},
                               "c": {"ComparisonOperator": "NOT_NULL"}})"),
            "ok");
}

TEST(DocumentsLegacy, FilterValidation) {
  EXPECT_EQ(filter_error(R"({"a": {"ComparisonOperator": "EQ"}})"),
            kInvalid + "Invalid number of argument(s) for the EQ ComparisonOperator");
  EXPECT_EQ(filter_error(
                R"({"a": {"ComparisonOperator": "NOT_NULL", "AttributeValueList": [{"S": "x"}]}})"),
            kInvalid + "Invalid number of argument(s) for the NOT_NULL ComparisonOperator");
  // The values are checked before the count.
  EXPECT_EQ(
      filter_error(R"({"a": {"ComparisonOperator": "NULL", "AttributeValueList": [{"N": "x"}]}})"),
      "The parameter cannot be converted to a numeric value: x");
  EXPECT_EQ(filter_error(R"({"a": {"ComparisonOperator": "BETWEEN",
                                   "AttributeValueList": [{"S": "a"}, {"B": "AQ=="}]}})"),
            kInvalid + "AttributeValues inside AttributeValueList must be of same type");
  EXPECT_EQ(
      filter_error(R"({"a": {"ComparisonOperator": "LT", "AttributeValueList": [{"SS": ["a"]}]}})"),
      kInvalid + "ComparisonOperator LT is not valid for SS AttributeValue type");
  EXPECT_EQ(
      filter_error(
          R"({"a": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "1"}]}})"),
      kInvalid + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type");
  EXPECT_EQ(
      filter_error(R"({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"L": []}]}})"),
      kInvalid + "ComparisonOperator EQ is not valid for L AttributeValue type");
  EXPECT_EQ(filter_error(R"({"a": {"ComparisonOperator": "BETWEEN",
                                   "AttributeValueList": [{"B": "/w=="}, {"B": "AQ=="}]}})"),
            "The BETWEEN condition was provided a range where the lower bound is greater than the "
            "upper bound");
  EXPECT_EQ(
      filter_error(R"({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"NS": ["1"]}]},
                             "b": {"ComparisonOperator": "IN", "AttributeValueList": [{"S": "x"}, {"S": "y"}]}})"),
      "ok");
}

const char* kItem = R"({"pk": {"S": "k"}, "n": {"N": "1000"}, "s": {"S": "banana"},
  "b": {"B": "AQID"}, "ss": {"SS": ["red", "green"]}, "ns": {"NS": ["1", "5"]},
  "l": {"L": [{"S": "a"}, {"N": "3"}]}, "z": {"NULL": true}})";

// Whether kItem (or no item) matches one ScanFilter condition.
std::string match(std::string_view name, std::string_view op, std::string_view values = "",
                  bool no_item = false) {
  std::string json_text =
      "{\"" + std::string(name) + R"(": {"ComparisonOperator": ")" + std::string(op) + "\"";
  if (!values.empty()) json_text += R"(, "AttributeValueList": )" + std::string(values);
  json_text += "}}";
  auto parsed = filter(json_text);
  if (!parsed) return "error: " + parsed.error().message;
  const Item it = item(kItem);
  return matches(*parsed, no_item ? nullptr : &it) ? "true" : "false";
}

TEST(DocumentsLegacy, ComparisonOperators) {
  EXPECT_EQ(match("n", "EQ", R"([{"N": "1e3"}])"), "true");
  EXPECT_EQ(match("n", "EQ", R"([{"S": "1000"}])"), "false");
  EXPECT_EQ(match("ss", "EQ", R"([{"SS": ["green", "red"]}])"), "true");
  EXPECT_EQ(match("n", "NE", R"([{"N": "1"}])"), "true");
  EXPECT_EQ(match("x", "NE", R"([{"N": "1"}])"), "true");
  EXPECT_EQ(match("n", "NE", R"([{"N": "1000.0"}])"), "false");
  EXPECT_EQ(match("n", "LT", R"([{"N": "1001"}])"), "true");
  EXPECT_EQ(match("n", "LE", R"([{"N": "1e3"}])"), "true");
  EXPECT_EQ(match("n", "GT", R"([{"N": "999"}])"), "true");
  EXPECT_EQ(match("n", "GE", R"([{"N": "1001"}])"), "false");
  EXPECT_EQ(match("s", "GT", R"([{"N": "1"}])"), "false");  // another type: no match
  EXPECT_EQ(match("b", "LT", R"([{"B": "/w=="}])"), "true");
  EXPECT_EQ(match("z", "NOT_NULL"), "true");  // a NULL attribute exists
  EXPECT_EQ(match("z", "NULL"), "false");
  EXPECT_EQ(match("x", "NULL"), "true");
  EXPECT_EQ(match("s", "CONTAINS", R"([{"S": "nan"}])"), "true");
  EXPECT_EQ(match("b", "CONTAINS", R"([{"B": "AgM="}])"), "true");  // a subsequence
  EXPECT_EQ(match("ss", "CONTAINS", R"([{"S": "red"}])"), "true");
  EXPECT_EQ(match("ns", "CONTAINS", R"([{"N": "5.0"}])"), "true");
  EXPECT_EQ(match("l", "CONTAINS", R"([{"N": "3"}])"), "true");
  EXPECT_EQ(match("ns", "CONTAINS", R"([{"S": "5"}])"), "false");
  EXPECT_EQ(match("ss", "NOT_CONTAINS", R"([{"S": "blue"}])"), "true");
  EXPECT_EQ(match("ss", "NOT_CONTAINS", R"([{"S": "red"}])"), "false");
  EXPECT_EQ(match("x", "NOT_CONTAINS", R"([{"S": "red"}])"), "false");  // missing: false
  EXPECT_EQ(match("s", "BEGINS_WITH", R"([{"S": "ban"}])"), "true");
  EXPECT_EQ(match("b", "BEGINS_WITH", R"([{"B": "AQ=="}])"), "true");
  EXPECT_EQ(match("s", "BEGINS_WITH", R"([{"B": "AQ=="}])"), "false");
  EXPECT_EQ(match("n", "IN", R"([{"N": "1"}, {"N": "1000.0"}])"), "true");
  EXPECT_EQ(match("x", "IN", R"([{"N": "1"}])"), "false");
  EXPECT_EQ(match("n", "BETWEEN", R"([{"N": "999"}, {"N": "1e3"}])"), "true");
  EXPECT_EQ(match("n", "BETWEEN", R"([{"N": "1001"}, {"N": "2000"}])"), "false");
  EXPECT_EQ(match("s", "BETWEEN", R"([{"S": "a"}, {"S": "c"}])"), "true");
  EXPECT_EQ(match("n", "EQ", R"([{"N": "1000"}])", true), "false");
  EXPECT_EQ(match("n", "NULL", "", true), "true");
}

TEST(DocumentsLegacy, ConditionalOperator) {
  const std::string and_op = "AND";
  const std::string or_op = "OR";
  const Item it = item(kItem);
  const char* conditions =
      R"({"n": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]},
                               "s": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "banana"}]}})";
  EXPECT_FALSE(matches(*filter(conditions), &it));
  EXPECT_FALSE(matches(*filter(conditions, &and_op), &it));
  EXPECT_TRUE(matches(*filter(conditions, &or_op), &it));
  const char* neither =
      R"({"n": {"ComparisonOperator": "NULL"}, "s": {"ComparisonOperator": "NULL"}})";
  EXPECT_FALSE(matches(*filter(neither, &or_op), &it));
  EXPECT_TRUE(matches(LegacyConditions{}, &it));
  // Expected's Exists forms.
  EXPECT_TRUE(
      matches(*expected(R"({"s": {"Value": {"S": "banana"}}, "x": {"Exists": false}})"), &it));
  EXPECT_FALSE(matches(*expected(R"({"s": {"Value": {"S": "apple"}, "Exists": true}})"), &it));
  EXPECT_TRUE(
      matches(*expected(R"({"s": {"Value": {"S": "apple"}}, "n": {"ComparisonOperator": "GT",
                                     "Value": {"N": "5"}}})",
                        &or_op),
              &it));
  EXPECT_TRUE(matches(*expected(R"({"x": {"Exists": false}})"), nullptr));
  EXPECT_FALSE(matches(*expected(R"({"x": {"Exists": true, "Value": {"N": "1"}}})"), nullptr));
}

}  // namespace
}  // namespace trib::dynamodb::documents
