// src/dynamodb/documents/value_model.*: conditions evaluated on real items through ItemModel,
// ExpressionAttributeValues converted once with the values library's texts, and the BETWEEN
// bound order for numbers and binaries.
#include <gtest/gtest.h>

#include "documents_fixture.h"
#include "dynamodb/documents/value_model.h"

namespace trib::dynamodb::documents {
namespace {

using testing::item;
using testing::request;

const char* kItem = R"({
  "pk": {"S": "k"}, "n": {"N": "1000"}, "nine": {"N": "9"}, "s": {"S": "banana"},
  "u": {"S": "\u00e9t\u00e9"}, "clef": {"S": "\u00e9\ud834\udd1e"}, "b": {"B": "AQID"}, "t": {"BOOL": true}, "z": {"NULL": true},
  "ss": {"SS": ["red", "green"]}, "ns": {"NS": ["1", "5"]}, "bs": {"BS": ["AQ==", "Ag=="]},
  "l": {"L": [{"S": "a"}, {"N": "3"}, {"M": {"x": {"S": "y"}}}]},
  "m": {"M": {"qq": {"M": {"deep": {"S": "x"}}}, "arr": {"L": [{"N": "1"}, {"N": "2"}]}}}})";

// Evaluates `condition` (with `values`, a JSON map of ExpressionAttributeValues, and `names`)
// against kItem, or against no item when `no_item`.
std::string eval(std::string_view condition, std::string_view values = "",
                 std::string_view names = "", bool no_item = false) {
  std::string body =
      R"({"TableName": "t", "ConditionExpression": ")" + std::string(condition) + "\"";
  if (!values.empty()) body += R"(, "ExpressionAttributeValues": )" + std::string(values);
  if (!names.empty()) body += R"(, "ExpressionAttributeNames": )" + std::string(names);
  body += "}";
  auto r = request("PutItem", body);
  if (r->error) return "error: " + r->error->message;
  const Item it = item(kItem);
  return evaluate(*r->parsed.condition, no_item ? nullptr : &it, r->values) ? "true" : "false";
}

TEST(DocumentsModel, NumbersCompareByValue) {
  EXPECT_EQ(eval("n = :v", R"({":v": {"N": "1e3"}})"), "true");
  EXPECT_EQ(eval("n = :v", R"({":v": {"N": "1000.000"}})"), "true");
  EXPECT_EQ(eval("n = :v", R"({":v": {"S": "1000"}})"), "false");
  // 9 < 10 numerically (a byte comparison of the texts would say otherwise).
  EXPECT_EQ(eval("nine < :v", R"({":v": {"N": "10"}})"), "true");
  EXPECT_EQ(eval("n > :v", R"({":v": {"N": "-1e10"}})"), "true");
  EXPECT_EQ(eval("n BETWEEN :a AND :b", R"({":a": {"N": "999.5"}, ":b": {"N": "1e3"}})"), "true");
  EXPECT_EQ(eval("n IN (:a, :b)", R"({":a": {"N": "1"}, ":b": {"N": "10E2"}})"), "true");
}

TEST(DocumentsModel, StringsAndBinariesCompareAsUnsignedBytes) {
  EXPECT_EQ(eval("s < :v", R"({":v": {"S": "bananas"}})"), "true");
  EXPECT_EQ(eval("u > :v", R"({":v": {"S": "z"}})"), "true");     // 0xC3 > 'z'
  EXPECT_EQ(eval("b < :v", R"({":v": {"B": "/w=="}})"), "true");  // 0x01 < 0xFF
  EXPECT_EQ(eval("b = :v", R"({":v": {"B": "AQID"}})"), "true");
}

TEST(DocumentsModel, DocumentPathsIntoMapsAndLists) {
  EXPECT_EQ(eval("m.qq.deep = :v", R"({":v": {"S": "x"}})"), "true");
  EXPECT_EQ(eval("m.arr[1] = :v", R"({":v": {"N": "2"}})"), "true");
  EXPECT_EQ(eval("l[2].x = :v", R"({":v": {"S": "y"}})"), "true");
  EXPECT_EQ(eval("attribute_exists(m.arr[2])"), "false");  // past the end
  EXPECT_EQ(eval("attribute_exists(m[0])"), "false");      // a map indexed as a list
  EXPECT_EQ(eval("attribute_exists(l.x)"), "false");       // a list used as a map
  EXPECT_EQ(eval("attribute_not_exists(#a.#b)", "", R"({"#a": "m", "#b": "nope"})"), "true");
}

TEST(DocumentsModel, SizeOfEachType) {
  EXPECT_EQ(eval("size(s) = :v", R"({":v": {"N": "6"}})"), "true");
  // UTF-16 code units: "été" is 5 UTF-8 bytes, 3 units; "é𝄞" is 6 bytes, 3 units (a surrogate
  // pair for U+1D11E) [P, AWS-checked].
  EXPECT_EQ(eval("size(u) = :v", R"({":v": {"N": "3"}})"), "true");
  EXPECT_EQ(eval("size(clef) = :v", R"({":v": {"N": "3"}})"), "true");
  EXPECT_EQ(eval("size(b) = :v", R"({":v": {"N": "3"}})"), "true");
  EXPECT_EQ(eval("size(ss) = :v", R"({":v": {"N": "2"}})"), "true");
  EXPECT_EQ(eval("size(ns) = :v", R"({":v": {"N": "2"}})"), "true");
  EXPECT_EQ(eval("size(bs) = :v", R"({":v": {"N": "2"}})"), "true");
  EXPECT_EQ(eval("size(l) = :v", R"({":v": {"N": "3"}})"), "true");
  EXPECT_EQ(eval("size(m) = :v", R"({":v": {"N": "2"}})"), "true");
  EXPECT_EQ(eval("size(m.arr) > :v", R"({":v": {"N": "1.5"}})"), "true");
  // size() of a number, boolean or NULL has no value: comparisons with it are false.
  EXPECT_EQ(eval("size(t) = :v", R"({":v": {"N": "1"}})"), "false");
  EXPECT_EQ(eval("size(z) <> :v", R"({":v": {"N": "1"}})"), "true");
}

TEST(DocumentsModel, ContainsBeginsWithAttributeType) {
  EXPECT_EQ(eval("contains(s, :v)", R"({":v": {"S": "nan"}})"), "true");
  EXPECT_EQ(eval("contains(ss, :v)", R"({":v": {"S": "red"}})"), "true");
  EXPECT_EQ(eval("contains(ss, :v)", R"({":v": {"S": "re"}})"), "false");
  EXPECT_EQ(eval("contains(ns, :v)", R"({":v": {"N": "5.0"}})"), "true");
  EXPECT_EQ(eval("contains(bs, :v)", R"({":v": {"B": "Ag=="}})"), "true");
  EXPECT_EQ(eval("contains(l, :v)", R"({":v": {"N": "3"}})"), "true");
  EXPECT_EQ(eval("contains(l, :v)", R"({":v": {"M": {"x": {"S": "y"}}}})"), "true");
  EXPECT_EQ(eval("contains(ns, :v)", R"({":v": {"S": "5"}})"), "false");
  EXPECT_EQ(eval("begins_with(s, :v)", R"({":v": {"S": "ban"}})"), "true");
  EXPECT_EQ(eval("begins_with(s, :v)", R"({":v": {"S": "nan"}})"), "false");
  EXPECT_EQ(eval("begins_with(b, :v)", R"({":v": {"B": "AQI="}})"), "true");
  EXPECT_EQ(eval("attribute_type(ns, :v)", R"({":v": {"S": "NS"}})"), "true");
  EXPECT_EQ(eval("attribute_type(z, :v)", R"({":v": {"S": "NULL"}})"), "true");
  EXPECT_EQ(eval("attribute_type(m.arr, :v)", R"({":v": {"S": "L"}})"), "true");
  EXPECT_EQ(eval("attribute_type(t, :v)", R"({":v": {"S": "S"}})"), "false");
}

TEST(DocumentsModel, MissingItemIsEmpty) {
  EXPECT_EQ(eval("attribute_not_exists(pk)", "", "", true), "true");
  EXPECT_EQ(eval("n <> :v", R"({":v": {"N": "1"}})", "", true), "true");
  EXPECT_EQ(eval("n = :v", R"({":v": {"N": "1000"}})", "", true), "false");
}

TEST(DocumentsModel, ValuesAreValidatedWithTheValuesLibraryTexts) {
  EXPECT_EQ(eval("n = :v", R"({":v": {"N": "abc"}})"),
            "error: ExpressionAttributeValues contains invalid value: The parameter cannot be "
            "converted to a numeric value: abc for key :v");
  EXPECT_EQ(eval("n = :v", R"({":v": {"SS": []}})"),
            "error: ExpressionAttributeValues contains invalid value: One or more parameter "
            "values were invalid: An string set  may not be empty for key :v");
  EXPECT_EQ(eval("n = :v", R"({":v": {"N": "1e126"}})"),
            "error: ExpressionAttributeValues contains invalid value: Number overflow. Attempting "
            "to store a number with magnitude larger than supported range for key :v");
}

TEST(DocumentsModel, EachValueIsConvertedOnce) {
  auto r =
      request("PutItem", R"({"TableName": "t", "ConditionExpression": "a = :x OR b = :x OR c = :y",
      "ExpressionAttributeValues": {":x": {"N": "1"}, ":y": {"S": "y"}}})");
  ASSERT_FALSE(r->error);
  EXPECT_EQ(r->values.size(), 2u);
  const aws::Value* x = r->document.find("ExpressionAttributeValues")->find(":x");
  ASSERT_NE(r->values.find(x), nullptr);
  EXPECT_EQ(r->values.find(x)->as_number().to_string(), "1");
  EXPECT_EQ(r->values.find(r->document.find("ExpressionAttributeValues")), nullptr);
}

TEST(DocumentsModel, RequestValuesFoundWhateverTheOrderTheyWereAdded) {
  aws::Value map = aws::Value::map();
  for (int i = 0; i < 50; ++i) {
    map.set(":v" + std::to_string(i), aws::Value::map().set("N", std::to_string(i)));
  }
  RequestValues values;
  const auto& entries = map.as_map();
  for (size_t i = entries.size(); i-- > 0;) EXPECT_FALSE(values.add(entries[i].second));
  for (size_t i = 0; i < entries.size(); i += 2) EXPECT_FALSE(values.add(entries[i].second));
  EXPECT_EQ(values.size(), 50u);
  for (size_t i = 0; i < entries.size(); ++i) {
    const AttributeValue* found = values.find(&entries[i].second);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->as_number().to_string(), std::to_string(i));
  }
  EXPECT_EQ(values.find(&map), nullptr);
  EXPECT_EQ(*values.add(aws::Value::map().set("N", "x")),
            "The parameter cannot be converted to a numeric value: x");
}

TEST(DocumentsModel, BetweenBoundsInOrderForNumbersAndBinaries) {
  const std::string prefix =
      "error: Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
      "than or equal to lower bound; ";
  EXPECT_EQ(eval("n BETWEEN :a AND :b", R"({":a": {"N": "10"}, ":b": {"N": "9"}})"),
            prefix +
                "lower bound operand: AttributeValue: {N:10}, upper bound operand: "
                "AttributeValue: {N:9}");
  // By value, not by text: "10" > "9" as text, but 9 <= 10.
  EXPECT_EQ(eval("n BETWEEN :a AND :b", R"({":a": {"N": "9"}, ":b": {"N": "10"}})"), "false");
  EXPECT_EQ(eval("n BETWEEN :a AND :b", R"({":a": {"N": "1e3"}, ":b": {"N": "1000"}})"), "true");
  EXPECT_EQ(eval("b BETWEEN :a AND :b", R"({":a": {"B": "/w=="}, ":b": {"B": "AQ=="}})"),
            prefix +
                "lower bound operand: AttributeValue: {B:/w==}, upper bound operand: "
                "AttributeValue: {B:AQ==}");
  EXPECT_EQ(eval("NOT (n < :c AND n BETWEEN :a AND :b)",
                 R"({":a": {"N": "-1"}, ":b": {"N": "-2"}, ":c": {"N": "0"}})"),
            prefix +
                "lower bound operand: AttributeValue: {N:-1}, upper bound operand: "
                "AttributeValue: {N:-2}");
  // Strings stay the parser's (same text).
  EXPECT_EQ(eval("s BETWEEN :a AND :b", R"({":a": {"S": "b"}, ":b": {"S": "a"}})"),
            prefix +
                "lower bound operand: AttributeValue: {S:b}, upper bound operand: "
                "AttributeValue: {S:a}");
  // The filter of a Scan is checked too, named as such.
  auto r = request("Scan", R"({"TableName": "t", "FilterExpression": "n BETWEEN :a AND :b",
      "ExpressionAttributeValues": {":a": {"N": "2"}, ":b": {"N": "1"}}})");
  ASSERT_TRUE(r->error);
  EXPECT_EQ(r->error->message.substr(0, 26), "Invalid FilterExpression: ");
  EXPECT_EQ(r->error->type_namespace, "com.amazon.coral.validate");
}

}  // namespace
}  // namespace trib::dynamodb::documents
