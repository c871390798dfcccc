// src/dynamodb/documents/update.*: UpdateExpression applied to real items, with the behaviour
// scylladb's test_update_expression.py and test_returnvalues.py checked against AWS.
#include <gtest/gtest.h>

#include "documents_fixture.h"
#include "dynamodb/documents/update.h"

namespace trib::dynamodb::documents {
namespace {

using testing::item;
using testing::json;
using testing::request;

// Applies `expression` (values: a JSON map, or "") to `old_json` ("" = no item) with key
// {"pk": "k"}; returns the new item's JSON, "absent", or "error: <message>".
std::string update(std::string_view old_json, std::string_view expression,
                   std::string_view values = "", std::string_view names = "") {
  std::string body =
      R"({"TableName": "t", "Key": {}, "UpdateExpression": ")" + std::string(expression) + "\"";
  if (!values.empty()) body += R"(, "ExpressionAttributeValues": )" + std::string(values);
  if (!names.empty()) body += R"(, "ExpressionAttributeNames": )" + std::string(names);
  body += "}";
  auto r = request("UpdateItem", body);
  if (r->error) return "parse error: " + r->error->message;
  const Item key = item(R"({"pk": {"S": "k"}})");
  std::optional<Item> old;
  if (!old_json.empty()) old = item(old_json);
  auto result = apply_update(old ? &*old : nullptr, key, *r->parsed.update, r->values);
  if (!result) {
    EXPECT_EQ(result.error().type, "ValidationException");
    return "error: " + result.error().message;
  }
  if (!*result) return "absent";
  return json(**result);
}

const std::string kInvalidPath =
    "error: The document path provided in the update expression is invalid for update";
const std::string kIncorrectType =
    "error: An operand in the update expression has an incorrect data type";
const std::string kMissing =
    "error: The provided expression refers to an attribute that does not exist in the item";

TEST(DocumentsUpdate, SetMergesIntoTheItemOrStartsFromTheKey) {
  EXPECT_EQ(
      update(R"({"pk": {"S": "k"}, "a": {"S": "hi"}})", "SET b = :v", R"({":v": {"N": "4"}})"),
      R"({"a":{"S":"hi"},"b":{"N":"4"},"pk":{"S":"k"}})");
  EXPECT_EQ(update("", "SET b = :v, c = :v", R"({":v": {"N": "4"}})"),
            R"({"b":{"N":"4"},"c":{"N":"4"},"pk":{"S":"k"}})");
  EXPECT_EQ(update("", "SET e = :v", R"({":v": {"M": {}}})"), R"({"e":{"M":{}},"pk":{"S":"k"}})");
}

TEST(DocumentsUpdate, SetValuesAreReadBeforeAnyWrite) {
  const char* old = R"({"pk": {"S": "k"}, "a": {"S": "hello"}})";
  EXPECT_EQ(update(old, "SET b = a"), R"({"a":{"S":"hello"},"b":{"S":"hello"},"pk":{"S":"k"}})");
  EXPECT_EQ(update(old, "SET c = z"), kMissing);
  EXPECT_EQ(update("", "SET c = z"), kMissing);
  EXPECT_EQ(update(old, "SET x = :v, y = x", R"({":v": {"N": "4"}})"), kMissing);
  EXPECT_EQ(update(old, "REMOVE a SET b = a"), R"({"b":{"S":"hello"},"pk":{"S":"k"}})");
  EXPECT_EQ(update(old, "SET a = a"), R"({"a":{"S":"hello"},"pk":{"S":"k"}})");
}

TEST(DocumentsUpdate, ExactArithmetic) {
  const char* old = R"({"pk": {"S": "k"}, "a": {"N": "2"}, "s": {"S": "x"}})";
  EXPECT_EQ(update(old, "SET a = a + :v", R"({":v": {"N": "3"}})"),
            R"({"a":{"N":"5"},"pk":{"S":"k"},"s":{"S":"x"}})");
  EXPECT_EQ(update(old, "SET b = :v - a", R"({":v": {"N": "0.1"}})"),
            R"({"a":{"N":"2"},"b":{"N":"-1.9"},"pk":{"S":"k"},"s":{"S":"x"}})");
  EXPECT_EQ(update(old, "SET b = :x + :y",
                   R"({":x": {"N": "12345678901234567890123456789012345678"}, ":y": {"N": "1"}})"),
            R"({"a":{"N":"2"},"b":{"N":"12345678901234567890123456789012345679"},)"
            R"("pk":{"S":"k"},"s":{"S":"x"}})");
  // facts §5 [P, AWS-checked]: both fail with the overflow text.
  const std::string overflow =
      "error: Number overflow. Attempting to store a number with magnitude larger than supported "
      "range";
  EXPECT_EQ(update(old, "SET b = :x + :x", R"({":x": {"N": "9e125"}})"), overflow);
  EXPECT_EQ(update(old, "SET b = :x + :y", R"({":x": {"N": "1e50"}, ":y": {"N": "1"}})"), overflow);
  EXPECT_EQ(update(old, "SET b = s + :y", R"({":y": {"N": "1"}})"), kIncorrectType);
  EXPECT_EQ(update(old, "SET b = :y - s", R"({":y": {"N": "1"}})"), kIncorrectType);
  EXPECT_EQ(update(old, "SET b = nothing + :y", R"({":y": {"N": "1"}})"), kMissing);
}

TEST(DocumentsUpdate, ListAppendAndIfNotExists) {
  const char* old = R"({"pk": {"S": "k"}, "l": {"L": [{"S": "hi"}]}, "n": {"N": "7"}})";
  EXPECT_EQ(update(old, "SET l = list_append(l, :v)", R"({":v": {"L": [{"N": "4"}]}})"),
            R"({"l":{"L":[{"S":"hi"},{"N":"4"}]},"n":{"N":"7"},"pk":{"S":"k"}})");
  EXPECT_EQ(update(old, "SET l = list_append(:v, l)", R"({":v": {"L": [{"N": "4"}]}})"),
            R"({"l":{"L":[{"N":"4"},{"S":"hi"}]},"n":{"N":"7"},"pk":{"S":"k"}})");
  EXPECT_EQ(update(old, "SET x = list_append(nope, :v)", R"({":v": {"L": []}})"), kMissing);
  EXPECT_EQ(update(old, "SET x = list_append(:v, n)", R"({":v": {"L": []}})"), kIncorrectType);
  EXPECT_EQ(update(old, "SET n = if_not_exists(n, :v)", R"({":v": {"N": "1"}})"),
            R"({"l":{"L":[{"S":"hi"}]},"n":{"N":"7"},"pk":{"S":"k"}})");
  EXPECT_EQ(update(old, "SET m = if_not_exists(m, :v) + :v", R"({":v": {"N": "1"}})"),
            R"({"l":{"L":[{"S":"hi"}]},"m":{"N":"2"},"n":{"N":"7"},"pk":{"S":"k"}})");
}

TEST(DocumentsUpdate, NestedPaths) {
  const char* old =
      R"({"pk": {"S": "k"}, "a": {"M": {"b": {"N": "3"}, "c": {"M": {"y": {"N": "3"}}}}},
                        "s": {"S": "hello"}, "l": {"L": [{"S": "hi"}]}})";
  EXPECT_EQ(update(old, "SET a.b = :v, a.c.d = :w", R"({":v": {"N": "10"}, ":w": {"S": "dog"}})"),
            R"({"a":{"M":{"b":{"N":"10"},"c":{"M":{"d":{"S":"dog"},"y":{"N":"3"}}}}},)"
            R"("l":{"L":[{"S":"hi"}]},"pk":{"S":"k"},"s":{"S":"hello"}})");
  EXPECT_EQ(update(old, "SET s.c = :v", R"({":v": {"N": "7"}})"), kInvalidPath);
  EXPECT_EQ(update(old, "SET l.c = :v", R"({":v": {"N": "7"}})"), kInvalidPath);
  EXPECT_EQ(update(old, "SET x.c = :v", R"({":v": {"N": "7"}})"), kInvalidPath);
  EXPECT_EQ(update(old, "SET s[0] = :v", R"({":v": {"N": "7"}})"), kInvalidPath);
  EXPECT_EQ(update(old, "SET a[0] = :v", R"({":v": {"N": "7"}})"), kInvalidPath);
  EXPECT_EQ(update("", "SET c.c = :v", R"({":v": {"N": "7"}})"), kInvalidPath);
  EXPECT_EQ(update(old, "REMOVE s.c"), kInvalidPath);
  EXPECT_EQ(update(old, "REMOVE x[0]"), kInvalidPath);
  // A dot inside a substituted name is part of the name.
  EXPECT_EQ(update("", "SET #a = :v", R"({":v": {"N": "3"}})", R"({"#a": "a.b"})"),
            R"({"a.b":{"N":"3"},"pk":{"S":"k"}})");
}

TEST(DocumentsUpdate, ListElementsUseTheirOriginalPositions) {
  const char* three =
      R"({"pk": {"S": "k"}, "a": {"L": [{"S": "one"}, {"S": "two"}, {"S": "three"}]}})";
  EXPECT_EQ(update(three, "SET a[1] = :v", R"({":v": {"S": "hello"}})"),
            R"({"a":{"L":[{"S":"one"},{"S":"hello"},{"S":"three"}]},"pk":{"S":"k"}})");
  // Past the end appends; several appends go in index order (AWS docs, SET).
  EXPECT_EQ(update(three, "SET a[7] = :v", R"({":v": {"S": "hello"}})"),
            R"({"a":{"L":[{"S":"one"},{"S":"two"},{"S":"three"},{"S":"hello"}]},"pk":{"S":"k"}})");
  EXPECT_EQ(
      update(three, "SET a[84] = :a, a[37] = :b, a[17] = :c, a[50] = :d",
             R"({":a": {"S": "a1"}, ":b": {"S": "a2"}, ":c": {"S": "a3"}, ":d": {"S": "a4"}})"),
      R"({"a":{"L":[{"S":"one"},{"S":"two"},{"S":"three"},{"S":"a3"},{"S":"a2"},{"S":"a4"},)"
      R"({"S":"a1"}]},"pk":{"S":"k"}})");
  const char* six =
      R"({"pk": {"S": "k"}, "a": {"L": [{"N": "2"}, {"N": "3"}, {"N": "4"}, {"N": "5"},
                        {"N": "6"}, {"N": "7"}]}})";
  const std::string expected =
      R"({"a":{"L":[{"N":"2"},{"N":"4"},{"N":"17"},{"N":"6"},{"N":"7"}]},"pk":{"S":"k"}})";
  EXPECT_EQ(update(six, "REMOVE a[1] SET a[3] = :v", R"({":v": {"N": "17"}})"), expected);
  EXPECT_EQ(update(six, "SET a[3] = :v REMOVE a[1]", R"({":v": {"N": "17"}})"), expected);
  EXPECT_EQ(update(six, "REMOVE a[5], a[0], a[2]"),
            R"({"a":{"L":[{"N":"3"},{"N":"5"},{"N":"6"}]},"pk":{"S":"k"}})");
  // A removal in an outer list does not move the inner list another path names.
  EXPECT_EQ(
      update(R"({"pk": {"S": "k"}, "a": {"L": [{"L": [{"N": "0"}]}, {"L": [{"N": "1"}]},
                      {"L": [{"N": "10"}, {"N": "11"}, {"N": "12"}]}]}})",
             "REMOVE a[0], a[2][1] SET a[2][9] = :v", R"({":v": {"N": "13"}})"),
      R"({"a":{"L":[{"L":[{"N":"1"}]},{"L":[{"N":"10"},{"N":"12"},{"N":"13"}]}]},"pk":{"S":"k"}})");
}

TEST(DocumentsUpdate, Remove) {
  const char* old = R"({"pk": {"S": "k"}, "a": {"M": {"b": {"N": "3"},
      "c": {"L": [{"S": "hi"}, {"M": {"x": {"M": {"y": {"L": [{"N": "3"}, {"N": "5"}, {"N": "7"}]}}},
                                     "q": {"N": "2"}}}]}}}})";
  EXPECT_EQ(update(old, "REMOVE a.c[1].x.y[1], a.c[1].q"),
            R"({"a":{"M":{"b":{"N":"3"},"c":{"L":[{"S":"hi"},{"M":{"x":{"M":{"y":{"L":[{"N":"3"},)"
            R"({"N":"7"}]}}}}}]}}},"pk":{"S":"k"}})");
  // Missing leaves and elements past the end are no-ops.
  const char* small =
      R"({"pk": {"S": "k"}, "a": {"M": {"x": {"N": "3"}}}, "b": {"L": [{"S": "hi"}]}})";
  EXPECT_EQ(update(small, "REMOVE a.y, b[7], c"), testing::json(item(small)));
  // The last member of a map or list leaves it empty.
  EXPECT_EQ(update(small, "REMOVE a.x, b[0]"), R"({"a":{"M":{}},"b":{"L":[]},"pk":{"S":"k"}})");
  // On a missing item: nothing is created, and a nested path is no error.
  EXPECT_EQ(update("", "REMOVE a"), "absent");
  EXPECT_EQ(update("", "REMOVE x.y, z[0]"), "absent");
}

TEST(DocumentsUpdate, AddNumbersAndSets) {
  const char* old = R"({"pk": {"S": "k"}, "n": {"N": "3"}, "s": {"S": "hi"},
                        "ss": {"SS": ["dog", "cat"]}, "ns": {"NS": ["1", "2", "3"]}})";
  EXPECT_EQ(update(old, "ADD n :v", R"({":v": {"N": "4"}})"),
            R"({"n":{"N":"7"},"ns":{"NS":["1","2","3"]},"pk":{"S":"k"},"s":{"S":"hi"},)"
            R"("ss":{"SS":["cat","dog"]}})");
  EXPECT_EQ(update("", "ADD n :v", R"({":v": {"N": "-8"}})"), R"({"n":{"N":"-8"},"pk":{"S":"k"}})");
  EXPECT_EQ(update(old, "ADD s :v", R"({":v": {"N": "1"}})"), kIncorrectType);
  EXPECT_EQ(update(old, "ADD n :v", R"({":v": {"SS": ["x"]}})"), kIncorrectType);
  EXPECT_EQ(update(old, "ADD ss :v", R"({":v": {"SS": ["pig", "cat"]}})"),
            R"({"n":{"N":"3"},"ns":{"NS":["1","2","3"]},"pk":{"S":"k"},"s":{"S":"hi"},)"
            R"("ss":{"SS":["cat","dog","pig"]}})");
  // Numbers by value (facts §5): {1.0, 2.00} adds nothing to {1, 2, 3}.
  EXPECT_EQ(update(old, "ADD ns :v", R"({":v": {"NS": ["1.0", "2.00"]}})"),
            testing::json(item(old)));
  EXPECT_EQ(update(old, "ADD ns :v", R"({":v": {"SS": ["1"]}})"), kIncorrectType);
  EXPECT_EQ(update("", "ADD b :v", R"({":v": {"BS": ["AQ=="]}})"),
            R"({"b":{"BS":["AQ=="]},"pk":{"S":"k"}})");
  const std::string overflow =
      "error: Number overflow. Attempting to store a number with magnitude larger than supported "
      "range";
  EXPECT_EQ(
      update(R"({"pk": {"S": "k"}, "n": {"N": "9e125"}})", "ADD n :v", R"({":v": {"N": "9e125"}})"),
      overflow);
}

TEST(DocumentsUpdate, DeleteFromSets) {
  const char* old = R"({"pk": {"S": "k"}, "ss": {"SS": ["dog", "cat", "mouse"]}, "b": {"S": "hi"},
                        "ns": {"NS": ["10.0", "20", "30"]}})";
  EXPECT_EQ(update(old, "DELETE ss :v", R"({":v": {"SS": ["cat", "mouse", "pig"]}})"),
            R"({"b":{"S":"hi"},"ns":{"NS":["10","20","30"]},"pk":{"S":"k"},"ss":{"SS":["dog"]}})");
  // The last element removes the attribute.
  EXPECT_EQ(update(old, "DELETE ss :v", R"({":v": {"SS": ["cat", "mouse", "dog"]}})"),
            R"({"b":{"S":"hi"},"ns":{"NS":["10","20","30"]},"pk":{"S":"k"}})");
  // By value (facts §5): {10, 2e1} removes 10.0 and 20.
  EXPECT_EQ(
      update(old, "DELETE ns :v", R"({":v": {"NS": ["10", "2e1"]}})"),
      R"({"b":{"S":"hi"},"ns":{"NS":["30"]},"pk":{"S":"k"},"ss":{"SS":["cat","dog","mouse"]}})");
  EXPECT_EQ(update(old, "DELETE nothing :v", R"({":v": {"SS": ["x"]}})"), testing::json(item(old)));
  EXPECT_EQ(update(old, "DELETE ss :v", R"({":v": {"NS": ["1"]}})"), kIncorrectType);
  EXPECT_EQ(update(old, "DELETE b :v", R"({":v": {"SS": ["hi"]}})"), kIncorrectType);
  EXPECT_EQ(update("", "DELETE ss :v", R"({":v": {"SS": ["x"]}})"), "absent");
}

TEST(DocumentsUpdate, AddAndDeleteOnNestedPaths) {
  const char* old = R"({"pk": {"S": "k"}, "m": {"M": {"n": {"N": "1"}, "s": {"SS": ["a", "b"]}}},
                        "l": {"L": [{"N": "1"}, {"SS": ["x"]}]}})";
  EXPECT_EQ(update(old, "ADD m.n :v, m.q :v", R"({":v": {"N": "2"}})"),
            R"({"l":{"L":[{"N":"1"},{"SS":["x"]}]},"m":{"M":{"n":{"N":"3"},"q":{"N":"2"},)"
            R"("s":{"SS":["a","b"]}}},"pk":{"S":"k"}})");
  EXPECT_EQ(update(old, "DELETE m.s :v", R"({":v": {"SS": ["a"]}})"),
            R"({"l":{"L":[{"N":"1"},{"SS":["x"]}]},"m":{"M":{"n":{"N":"1"},"s":{"SS":["b"]}}},)"
            R"("pk":{"S":"k"}})");
  EXPECT_EQ(update(old, "ADD l[0] :v", R"({":v": {"N": "2"}})"),
            R"({"l":{"L":[{"N":"3"},{"SS":["x"]}]},"m":{"M":{"n":{"N":"1"},"s":{"SS":["a","b"]}}},)"
            R"("pk":{"S":"k"}})");
  EXPECT_EQ(update(old, "ADD x.n :v", R"({":v": {"N": "2"}})"), kInvalidPath);
  // [U] ADD past the end of a list appends; a DELETE emptying a set in a list removes the element.
  EXPECT_EQ(update(old, "ADD l[5] :v", R"({":v": {"N": "2"}})"),
            R"({"l":{"L":[{"N":"1"},{"SS":["x"]},{"N":"2"}]},"m":{"M":{"n":{"N":"1"},)"
            R"("s":{"SS":["a","b"]}}},"pk":{"S":"k"}})");
  EXPECT_EQ(
      update(old, "DELETE l[1] :v", R"({":v": {"SS": ["x"]}})"),
      R"({"l":{"L":[{"N":"1"}]},"m":{"M":{"n":{"N":"1"},"s":{"SS":["a","b"]}}},"pk":{"S":"k"}})");
  EXPECT_EQ(update(old, "DELETE l[7] :v", R"({":v": {"SS": ["x"]}})"), testing::json(item(old)));
}

std::string key_error(std::string_view expression, std::string_view values = "") {
  std::string body =
      R"({"TableName": "t", "Key": {}, "UpdateExpression": ")" + std::string(expression) + "\"";
  if (!values.empty()) body += R"(, "ExpressionAttributeValues": )" + std::string(values);
  body += "}";
  auto r = request("UpdateItem", body);
  if (r->error) return "parse error: " + r->error->message;
  static constexpr std::string_view kKeys[] = {"pk", "sk"};
  auto error = check_update_keys(*r->parsed.update, kKeys);
  return error ? error->message : "ok";
}

TEST(DocumentsUpdate, KeyAttributesAreRefused) {
  const std::string part = "One or more parameter values were invalid: Cannot update attribute ";
  EXPECT_EQ(key_error("SET pk = :v", R"({":v": {"N": "4"}})"),
            part + "pk. This attribute is part of the key");
  EXPECT_EQ(key_error("REMOVE sk"), part + "sk. This attribute is part of the key");
  EXPECT_EQ(key_error("REMOVE sk SET pk = :v", R"({":v": {"N": "4"}})"),
            part + "pk. This attribute is part of the key");  // schema order
  EXPECT_EQ(key_error("ADD sk :v", R"({":v": {"N": "4"}})"),
            part + "sk. This attribute is part of the key");
  EXPECT_EQ(key_error("DELETE pk :v", R"({":v": {"SS": ["a"]}})"),
            part + "pk. This attribute is part of the key");
  EXPECT_EQ(key_error("SET pk.x = :v", R"({":v": {"N": "4"}})"),
            part + "pk. This attribute is part of the key");
  EXPECT_EQ(key_error("SET a = sk[0]"),
            "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
            "allowed: Key: sk");
  EXPECT_EQ(key_error("SET a = pk, b = :v + sk", R"({":v": {"N": "4"}})"), "ok");
}

std::string updated(std::string_view old_json, std::string_view expression, std::string_view values,
                    bool use_new) {
  std::string body =
      R"({"TableName": "t", "Key": {}, "UpdateExpression": ")" + std::string(expression) + "\"";
  if (!values.empty()) body += R"(, "ExpressionAttributeValues": )" + std::string(values);
  body += "}";
  auto r = request("UpdateItem", body);
  if (r->error) return "parse error: " + r->error->message;
  const Item old = item(old_json);
  auto result = apply_update(&old, old, *r->parsed.update, r->values);
  if (!result || !*result) return "no item";
  return json(updated_attributes(use_new ? **result : old, *r->parsed.update));
}

TEST(DocumentsUpdate, UpdatedAttributesAreTheNestedPaths) {
  const char* old = R"({"pk": {"S": "k"}, "a": {"M": {"b": {"S": "dog"}, "c": {"L": [{"N": "1"},
                        {"N": "2"}, {"N": "3"}]}}}, "d": {"S": "cat"}})";
  EXPECT_EQ(updated(old, "SET a.b = :v", R"({":v": {"S": "hi"}})", false),
            R"({"a":{"M":{"b":{"S":"dog"}}}})");
  EXPECT_EQ(updated(old, "SET a.b = :v", R"({":v": {"S": "hi"}})", true),
            R"({"a":{"M":{"b":{"S":"hi"}}}})");
  EXPECT_EQ(
      updated(old, "SET a.c[1] = :v, a.b = :w", R"({":v": {"N": "8"}, ":w": {"S": "x"}})", false),
      R"({"a":{"M":{"b":{"S":"dog"},"c":{"L":[{"N":"2"}]}}}})");
  EXPECT_EQ(updated(old, "REMOVE a.c[1], a.c[3]", "", false),
            R"({"a":{"M":{"c":{"L":[{"N":"2"}]}}}})");
  // A new member: nothing old, the new value new.
  EXPECT_EQ(updated(old, "SET a.x1 = :v", R"({":v": {"N": "8"}})", false), "{}");
  EXPECT_EQ(updated(old, "SET a.x1 = :v", R"({":v": {"N": "8"}})", true),
            R"({"a":{"M":{"x1":{"N":"8"}}}})");
  // An append past the end is not returned; a removal returns what moved into its place.
  EXPECT_EQ(updated(old, "SET a.c[100] = :v", R"({":v": {"N": "70"}})", true), "{}");
  EXPECT_EQ(updated(old, "REMOVE a.c[1]", "", true), R"({"a":{"M":{"c":{"L":[{"N":"3"}]}}}})");
  // Top-level: the overwritten and removed attributes.
  EXPECT_EQ(
      updated(old, "SET d = :v REMOVE a", R"({":v": {"S": "x"}})", false),
      R"({"a":{"M":{"b":{"S":"dog"},"c":{"L":[{"N":"1"},{"N":"2"},{"N":"3"}]}}},"d":{"S":"cat"}})");
  EXPECT_EQ(updated(old, "SET d = :v REMOVE a", R"({":v": {"S": "x"}})", true),
            R"({"d":{"S":"x"}})");
}

}  // namespace
}  // namespace trib::dynamodb::documents
