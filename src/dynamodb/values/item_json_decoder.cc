#include "dynamodb/values/item_json_decoder.h"

#include <string>
#include <string_view>
#include <utility>

#include "dynamodb/values/attribute_value.h"
#include "util/base64.h"

namespace trib::dynamodb {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// AttributeName's model constraint (max 65535, in UTF-16 units): a name of at most this many
// bytes has at most this many units, so it certainly passes validation.
constexpr size_t kMaxPlainNameBytes = 65535;

std::optional<AttributeValue> plain_value(element e, int level);

std::optional<AttributeMap> plain_map(simdjson::dom::object object, int level) {
  AttributeMap entries;
  entries.reserve(object.size());
  for (auto field : object) {
    if (field.key.size() > kMaxPlainNameBytes) return std::nullopt;
    std::optional<AttributeValue> value = plain_value(field.value, level);
    if (!value) return std::nullopt;
    entries.emplace_back(std::string(field.key), std::move(*value));
  }
  const size_t given = entries.size();
  AttributeValue map = AttributeValue::map(std::move(entries));  // sorts by name
  if (map.as_map().size() != given) return std::nullopt;         // a name twice
  return std::move(map.as_map());
}

std::optional<std::string> plain_string(element e) {
  if (e.type() != element_type::STRING) return std::nullopt;
  return std::string(std::string_view(e.get_string().value_unsafe()));
}

// A number in its canonical spelling only (what Number::to_string writes): the item's Value form
// (item_tree) then spells it as the request did.
std::optional<Number> plain_number(element e) {
  if (e.type() != element_type::STRING) return std::nullopt;
  const std::string_view text = e.get_string().value_unsafe();
  auto parsed = Number::parse(text);
  if (!parsed) return std::nullopt;
  thread_local std::string canonical;
  canonical.clear();
  parsed->append_to(canonical);
  if (canonical != text) return std::nullopt;
  return *parsed;
}

std::optional<std::string> plain_binary(element e) {
  if (e.type() != element_type::STRING) return std::nullopt;
  return base64::decode(e.get_string().value_unsafe());
}

// The elements of a non-empty array, each through `element_of`; nullopt if one is refused.
template <class T, class Convert>
std::optional<std::vector<T>> plain_elements(element e, Convert element_of) {
  if (e.type() != element_type::ARRAY) return std::nullopt;
  const simdjson::dom::array array = e.get_array().value_unsafe();
  std::vector<T> out;
  out.reserve(array.size());
  for (element child : array) {
    std::optional<T> converted = element_of(child);
    if (!converted) return std::nullopt;
    out.push_back(std::move(*converted));
  }
  if (out.empty()) return std::nullopt;
  return out;
}

// A set of `elements` given in strictly ascending order (the set's own order: strings and
// binaries by unsigned bytes, numbers by value), so without duplicates, and so that the set's
// Value form lists them as the request did.
template <class Elements, class Make>
std::optional<AttributeValue> plain_set(std::optional<Elements> elements, Make make) {
  if (!elements) return std::nullopt;
  for (size_t i = 1; i < elements->size(); ++i) {
    if (!((*elements)[i - 1] < (*elements)[i])) return std::nullopt;
  }
  return make(std::move(*elements));
}

std::optional<AttributeValue> plain_value(element e, int level) {
  if (level > kMaxNestingLevel || e.type() != element_type::OBJECT) return std::nullopt;
  const simdjson::dom::object object = e.get_object().value_unsafe();
  auto it = object.begin();
  if (it == object.end()) return std::nullopt;
  const auto field = *it;
  if (++it != object.end()) return std::nullopt;  // several members (or one twice)
  const std::optional<AttributeType> type = type_from_name(field.key);
  if (!type) return std::nullopt;  // not a datatype: the generic path ignores it, words the rest
  const element member = field.value;
  const element_type json = member.type();
  switch (*type) {
    case AttributeType::kS: {
      std::optional<std::string> s = plain_string(member);
      if (!s) return std::nullopt;
      return AttributeValue::string(std::move(*s));
    }
    case AttributeType::kN: {
      std::optional<Number> n = plain_number(member);
      if (!n) return std::nullopt;
      return AttributeValue::number(*n);
    }
    case AttributeType::kB: {
      std::optional<std::string> bytes = plain_binary(member);
      if (!bytes) return std::nullopt;
      return AttributeValue::binary(std::move(*bytes));
    }
    case AttributeType::kBool:
      if (json != element_type::BOOL) return std::nullopt;
      return AttributeValue::boolean(member.get_bool().value_unsafe());
    case AttributeType::kNull:
      if (json != element_type::BOOL || !member.get_bool().value_unsafe()) return std::nullopt;
      return AttributeValue::null();
    case AttributeType::kM: {
      if (json != element_type::OBJECT) return std::nullopt;
      std::optional<AttributeMap> map = plain_map(member.get_object().value_unsafe(), level + 1);
      if (!map) return std::nullopt;
      return AttributeValue::map(std::move(*map));
    }
    case AttributeType::kL: {
      if (json != element_type::ARRAY) return std::nullopt;
      const simdjson::dom::array array = member.get_array().value_unsafe();
      AttributeList elements;
      elements.reserve(array.size());
      for (element child : array) {
        std::optional<AttributeValue> value = plain_value(child, level + 1);
        if (!value) return std::nullopt;
        elements.push_back(std::move(*value));
      }
      return AttributeValue::list(std::move(elements));
    }
    case AttributeType::kSS:
      return plain_set(plain_elements<std::string>(member, plain_string),
                       AttributeValue::string_set);
    case AttributeType::kNS:
      return plain_set(plain_elements<Number>(member, plain_number), AttributeValue::number_set);
    case AttributeType::kBS:
      return plain_set(plain_elements<std::string>(member, plain_binary),
                       AttributeValue::binary_set);
  }
  return std::nullopt;
}

}  // namespace

std::optional<aws::Value> decode_plain_item(element value) {
  if (value.type() != element_type::OBJECT) return std::nullopt;
  std::optional<AttributeMap> item = plain_map(value.get_object().value_unsafe(), 1);
  if (!item) return std::nullopt;
  return item_to_wire(std::move(*item));
}

}  // namespace trib::dynamodb
