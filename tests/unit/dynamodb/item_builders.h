// Short builders for attribute values and items in the DynamoDB unit tests.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "dynamodb/values/attribute_value.h"

namespace trib::dynamodb::testing {

inline AttributeValue s(std::string v) { return AttributeValue::string(std::move(v)); }
inline AttributeValue n(std::string_view v) {
  return AttributeValue::number(Number::parse(v).value());
}

inline Item item(std::initializer_list<std::pair<std::string, AttributeValue>> entries) {
  Item out;
  for (const auto& [name, value] : entries) put_attribute(out, name, value);
  return out;
}

}  // namespace trib::dynamodb::testing
