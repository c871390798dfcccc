// evaluate_condition() over a test ValueModel built on AttributeValue documents (aws::Value),
// checking the evaluation rules AWS follows (src/dynamodb/expressions/evaluator.cc lists them
// with their source).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "document_model.h"
#include "dynamodb/expressions/evaluator.h"
#include "dynamodb/expressions/parser.h"

namespace ex = trib::dynamodb::expressions;
using ex::testing::DocumentModel;
using trib::aws::Value;

namespace {

Value av(const char* type, Value member) { return Value::map().set(type, std::move(member)); }

Value item() {
  return Value::map()
      .set("n", av("N", "10"))
      .set("s", av("S", "banana"))
      .set("b", av("B", trib::aws::Blob{"\x01\x02\x03"}))
      .set("flag", av("BOOL", true))
      .set("nothing", av("NULL", true))
      .set("tags", av("SS", Value::list().push("red").push("green")))
      .set("nums", av("NS", Value::list().push("1").push("5")))
      .set("letters",
           av("L", Value::list().push(av("S", "a")).push(av("S", "b")).push(av("N", "3"))))
      .set("info",
           av("M",
              Value::map()
                  .set("nested", av("M", Value::map().set("deep", av("S", "x"))))
                  .set("arr", av("L", Value::list()
                                          .push(av("M", Value::map().set("v", av("N", "1"))))
                                          .push(av("M", Value::map().set("v", av("N", "2"))))))))
      .set("same", av("N", "10.0"));
}

Value values() {
  return Value::map()
      .set(":nine", av("N", "9"))
      .set(":ten", av("N", "1E1"))
      .set(":eleven", av("N", "11"))
      .set(":hundred", av("N", "100"))
      .set(":two", av("N", "2"))
      .set(":three", av("N", "3"))
      .set(":six", av("N", "6"))
      .set(":apple", av("S", "apple"))
      .set(":banana", av("S", "banana"))
      .set(":ban", av("S", "ban"))
      .set(":nan", av("S", "nan"))
      .set(":x", av("S", "x"))
      .set(":red", av("S", "red"))
      .set(":blue", av("S", "blue"))
      .set(":five", av("N", "5"))
      .set(":true", av("BOOL", true))
      .set(":ss", av("S", "SS"))
      .set(":null", av("S", "NULL"))
      .set(":stype", av("S", "S"))
      .set(":bprefix", av("B", trib::aws::Blob{"\x01\x02"}))
      .set(":set", av("SS", Value::list().push("green").push("red")))
      .set(":list",
           av("L", Value::list().push(av("S", "a")).push(av("S", "b")).push(av("N", "3.0"))));
}

bool holds(std::string_view text) {
  const Value doc = item();
  const Value vals = values();
  ex::Substitutions substitutions(nullptr, &vals);
  auto parsed = ex::parse_expression(ex::ExpressionKind::kCondition, text, substitutions);
  EXPECT_TRUE(parsed.ok()) << text << ": " << (parsed.ok() ? "" : parsed.error().message);
  if (!parsed.ok()) return false;
  DocumentModel model(doc);
  return ex::evaluate_condition(*parsed, model);
}

}  // namespace

TEST(DynamoDbExpressionEvaluator, Equality) {
  EXPECT_TRUE(holds("n = :ten"));  // numbers by value: 10 = 1E1
  EXPECT_TRUE(holds("n = same"));
  EXPECT_FALSE(holds("n = :nine"));
  EXPECT_TRUE(holds("s = :banana"));
  EXPECT_TRUE(holds("flag = :true"));
  EXPECT_TRUE(holds("tags = :set"));  // sets whatever their order
  EXPECT_TRUE(holds("letters = :list"));
  EXPECT_FALSE(holds("s = :ten"));  // different types are never equal
  EXPECT_TRUE(holds("s <> :ten"));
  EXPECT_FALSE(holds("absent = :ten"));
  EXPECT_TRUE(holds("absent <> :ten"));
  EXPECT_FALSE(holds("absent = nope"));  // two absent attributes are not equal
  EXPECT_TRUE(holds("absent <> nope"));
}

TEST(DynamoDbExpressionEvaluator, Ordering) {
  EXPECT_TRUE(holds("n > :nine"));
  EXPECT_TRUE(holds("n < :hundred"));  // numerically, not as text
  EXPECT_TRUE(holds("n >= :ten AND n <= :ten"));
  EXPECT_TRUE(holds("s > :apple"));
  EXPECT_FALSE(holds("s < :apple"));
  EXPECT_TRUE(holds(":apple < s"));
  EXPECT_FALSE(holds("s > :ten"));       // mismatched types: false
  EXPECT_FALSE(holds("absent < :ten"));  // absent: false
  EXPECT_FALSE(holds("absent >= nope"));
  EXPECT_FALSE(holds("letters < :ten"));  // an item value that cannot be ordered: false
  EXPECT_TRUE(holds("b >= :bprefix"));
}

TEST(DynamoDbExpressionEvaluator, BetweenAndIn) {
  EXPECT_TRUE(holds("n BETWEEN :ten AND :eleven"));
  EXPECT_TRUE(holds("n BETWEEN :nine AND :ten"));
  EXPECT_FALSE(holds("n BETWEEN :eleven AND :hundred"));
  EXPECT_FALSE(holds("absent BETWEEN :nine AND :ten"));
  EXPECT_FALSE(holds("s BETWEEN :nine AND :ten"));
  EXPECT_TRUE(holds("s IN (:apple, :banana)"));
  EXPECT_FALSE(holds("s IN (:apple)"));
  EXPECT_TRUE(holds("n IN (:apple, :ten)"));
  EXPECT_FALSE(holds("absent IN (:apple, nope)"));
}

TEST(DynamoDbExpressionEvaluator, Functions) {
  EXPECT_TRUE(holds("attribute_exists(n) AND attribute_not_exists(absent)"));
  EXPECT_TRUE(holds("attribute_exists(nothing)"));  // a NULL value exists
  EXPECT_TRUE(holds("attribute_type(tags, :ss) AND attribute_type(nothing, :null)"));
  EXPECT_FALSE(holds("attribute_type(n, :stype)"));
  EXPECT_FALSE(holds("attribute_type(absent, :stype)"));
  EXPECT_TRUE(holds("begins_with(s, :ban)"));
  EXPECT_FALSE(holds("begins_with(s, :nan)"));
  EXPECT_TRUE(holds("begins_with(b, :bprefix)"));
  EXPECT_FALSE(holds("begins_with(b, :ban)"));  // B with S: false
  EXPECT_FALSE(holds("begins_with(absent, :ban)"));
  EXPECT_TRUE(holds("contains(s, :nan)"));
  EXPECT_TRUE(holds("contains(tags, :red)"));
  EXPECT_FALSE(holds("contains(tags, :blue)"));
  EXPECT_TRUE(holds("contains(nums, :five)"));
  EXPECT_FALSE(holds("contains(nums, :red)"));
  EXPECT_TRUE(holds("contains(letters, :three)"));  // a list element, numbers by value
  EXPECT_FALSE(holds("contains(n, :ten)"));
  EXPECT_TRUE(holds("size(s) = :six"));
  EXPECT_TRUE(holds("size(tags) = :two AND size(letters) = :three AND size(info) = :two"));
  EXPECT_TRUE(holds("size(b) = :three AND size(b) < :six AND size(b) BETWEEN :two AND :three"));
  EXPECT_TRUE(holds("size(s) > size(b) AND size(tags) IN (:nine, :two)"));
  EXPECT_FALSE(holds("size(n) = :two"));  // size of a number: the comparison is false
  EXPECT_FALSE(holds("size(absent) < :ten"));
  EXPECT_TRUE(holds("size(absent) <> :ten"));
}

TEST(DynamoDbExpressionEvaluator, PathsAndLogic) {
  EXPECT_TRUE(holds("info.nested.deep = :x"));
  EXPECT_TRUE(holds("info.arr[1].v = :two"));
  EXPECT_TRUE(holds("letters[2] = :three"));
  EXPECT_TRUE(holds("attribute_not_exists(letters[9])"));
  EXPECT_TRUE(holds("attribute_not_exists(s.x)"));  // a member of a string: absent
  EXPECT_TRUE(holds("attribute_not_exists(info[0])"));
  // true OR (true AND false) = true; (true OR true) AND false = false
  EXPECT_TRUE(holds("n = :ten OR n = :ten AND n = :eleven"));
  EXPECT_FALSE(holds("(n = :ten OR n = :ten) AND n = :eleven"));
  EXPECT_TRUE(holds("NOT n = :eleven AND n = :ten"));
  EXPECT_FALSE(holds("NOT (n = :ten)"));
  EXPECT_TRUE(holds("NOT NOT n = :ten"));
}
