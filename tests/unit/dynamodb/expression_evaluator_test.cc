// evaluate_condition() over a test ValueModel built on AttributeValue documents (aws::Value),
// checking the evaluation rules AWS follows (src/dynamodb/expressions/evaluator.cc lists them
// with their source).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "dynamodb/expressions/evaluator.h"
#include "dynamodb/expressions/parser.h"

namespace ex = trib::dynamodb::expressions;
using trib::aws::Value;

namespace {

Value av(const char* type, Value member) { return Value::map().set(type, std::move(member)); }

// Numbers compared as long double: enough for these tests (the real model is exact decimal).
class DocumentModel : public ex::ValueModel {
 public:
  explicit DocumentModel(const Value& item) : item_(item) {}

  Ref request_value(const Value& attribute_value) const override { return &attribute_value; }
  Ref attribute(std::string_view name) const override { return item_.find(name); }
  Ref member(Ref map, std::string_view key) const override {
    const Value* members = doc(map).find("M");
    return members ? members->find(key) : nullptr;
  }
  Ref element(Ref list, uint32_t index) const override {
    const Value* elements = doc(list).find("L");
    if (!elements || index >= elements->as_list().size()) return nullptr;
    return &elements->as_list()[index];
  }
  Type type(Ref value) const override {
    const std::string& name = doc(value).as_map().front().first;
    static constexpr std::pair<std::string_view, Type> kTypes[] = {
        {"S", Type::kS},       {"N", Type::kN},   {"B", Type::kB},   {"BOOL", Type::kBool},
        {"NULL", Type::kNull}, {"SS", Type::kSS}, {"NS", Type::kNS}, {"BS", Type::kBS},
        {"L", Type::kL},       {"M", Type::kM}};
    for (const auto& [text, type] : kTypes) {
      if (name == text) return type;
    }
    return Type::kNull;
  }
  bool equal(Ref a, Ref b) const override { return same(member_of(a), member_of(b), type(a)); }
  int compare(Ref a, Ref b) const override {
    if (type(a) == Type::kN) return sign(number(member_of(a)) - number(member_of(b)));
    const std::string& x = bytes(member_of(a));
    const std::string& y = bytes(member_of(b));
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  int compare_with_integer(Ref value, uint64_t integer) const override {
    return sign(number(member_of(value)) - static_cast<long double>(integer));
  }
  bool starts_with(Ref value, Ref prefix) const override {
    return bytes(member_of(value)).starts_with(bytes(member_of(prefix)));
  }
  bool contains(Ref container, Ref operand) const override {
    const Value& haystack = member_of(container);
    if (type(container) == Type::kS) {
      return haystack.as_string().find(member_of(operand).as_string()) != std::string::npos;
    }
    const Type element_type = type(operand);
    for (const Value& element : haystack.as_list()) {
      if (same(element, member_of(operand), element_type)) return true;
    }
    return false;
  }
  std::optional<uint64_t> size(Ref value) const override {
    const Value& m = member_of(value);
    switch (type(value)) {
      case Type::kS:
      case Type::kB:
        return bytes(m).size();
      case Type::kSS:
      case Type::kNS:
      case Type::kBS:
      case Type::kL:
        return m.as_list().size();
      case Type::kM:
        return m.as_map().size();
      default:
        return std::nullopt;
    }
  }

 private:
  static const Value& doc(Ref ref) { return *static_cast<const Value*>(ref); }
  static const Value& member_of(Ref ref) { return doc(ref).as_map().front().second; }
  static long double number(const Value& v) { return std::stold(v.as_string()); }
  static int sign(long double d) { return d < 0 ? -1 : (d > 0 ? 1 : 0); }
  static const std::string& bytes(const Value& v) {
    return v.is_string() ? v.as_string() : v.as_blob().bytes;
  }
  bool same(const Value& a, const Value& b, Type t) const {
    switch (t) {
      case Type::kN:
        return number(a) == number(b);
      case Type::kS:
      case Type::kB:
        return bytes(a) == bytes(b);
      case Type::kBool:
      case Type::kNull:
        return a.as_bool() == b.as_bool();
      case Type::kSS:
      case Type::kNS:
      case Type::kBS: {
        const Type element = t == Type::kSS ? Type::kS : (t == Type::kNS ? Type::kN : Type::kB);
        if (a.as_list().size() != b.as_list().size()) return false;
        return std::all_of(a.as_list().begin(), a.as_list().end(), [&](const Value& x) {
          return std::any_of(b.as_list().begin(), b.as_list().end(),
                             [&](const Value& y) { return same(x, y, element); });
        });
      }
      case Type::kL:
        if (a.as_list().size() != b.as_list().size()) return false;
        for (size_t i = 0; i < a.as_list().size(); ++i) {
          if (type(&a.as_list()[i]) != type(&b.as_list()[i]) ||
              !equal(&a.as_list()[i], &b.as_list()[i])) {
            return false;
          }
        }
        return true;
      case Type::kM:
        if (a.as_map().size() != b.as_map().size()) return false;
        for (const auto& [key, value] : a.as_map()) {
          const Value* other = b.find(key);
          if (!other || type(&value) != type(other) || !equal(&value, other)) return false;
        }
        return true;
    }
    return false;
  }

  const Value& item_;
};

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
