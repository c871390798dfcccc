// A ValueModel (src/dynamodb/expressions/evaluator.h) over AttributeValue documents held in
// aws::Value, for the evaluator's unit tests and the expression fuzz target. Numbers are compared
// as long double, which is enough there; the real model is exact decimal.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "aws/value.h"
#include "dynamodb/expressions/evaluator.h"

namespace trib::dynamodb::expressions::testing {

using trib::aws::Value;

class DocumentModel : public ValueModel {
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
  static long double number(const Value& v) {
    // Test values are valid numbers; anything else (fuzz inputs) counts as 0.
    const std::string& text = v.as_string();
    char* end = nullptr;
    const long double parsed = std::strtold(text.c_str(), &end);
    return end == text.c_str() ? 0 : parsed;
  }
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

}  // namespace trib::dynamodb::expressions::testing
