#include "dynamodb/values/attribute_value.h"

#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>

#include "aws/codec.h"
#include "dynamodb/errors.h"
#include "dynamodb/values/item_codec.h"
#include "dynamodb/values/item_json.h"
#include "util/base64.h"

namespace trib::dynamodb {

namespace {

constexpr std::string_view kInvalid = "One or more parameter values were invalid: ";

bool name_less(const std::pair<std::string, AttributeValue>& a,
               const std::pair<std::string, AttributeValue>& b) {
  return a.first < b.first;
}

template <class T>
void sort_unique(std::vector<T>& elements) {
  // Stored sets arrive sorted and unique: check before sorting.
  const bool canonical =
      std::adjacent_find(elements.begin(), elements.end(),
                         [](const T& a, const T& b) { return !(a < b); }) == elements.end();
  if (canonical) return;
  std::sort(elements.begin(), elements.end());
  elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
}

aws::AwsError empty_value() {
  return validation(
      "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
}

aws::AwsError nesting_too_deep() {
  return validation(
      "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
      "beyond supported limit");
}

// A member of the wrong kind cannot come out of the codecs (they refuse it with a
// SerializationException); kept as an error value rather than an assertion.
aws::AwsError wrong_member_kind() { return aws::errors::serialization_no_message(); }

int member_type(std::string_view name) {
  const std::optional<AttributeType> type = type_from_name(name);
  return type ? static_cast<int>(*type) : -1;
}

// Moves strings out of the source document when converting from an rvalue.
template <bool kMove>
std::string take(const std::string& s) {
  if constexpr (kMove) {
    return std::move(const_cast<std::string&>(s));
  } else {
    return s;
  }
}

aws::AwsResult<Number> parse_number(const aws::Value& v) {
  if (!v.is_string()) {
    // A null element of an NS (JSON null in the list). [U] AWS's text for it is not recorded.
    if (v.is_null())
      return aws::fail(validation(number_error_message(NumberError::kNotNumeric, "")));
    return aws::fail(wrong_member_kind());
  }
  auto parsed = Number::parse(v.as_string());
  if (!parsed) return aws::fail(validation(number_error_message(parsed.error(), v.as_string())));
  return *parsed;
}

// Refuses a set whose sorted views have two equal neighbours. `elements` is in input order.
bool has_duplicates(const std::vector<std::string>& elements) {
  std::vector<std::string_view> views(elements.begin(), elements.end());
  std::sort(views.begin(), views.end());
  return std::adjacent_find(views.begin(), views.end()) != views.end();
}

std::string collection_text(const std::vector<std::string>& elements, bool base64) {
  std::string text = "[";
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i) text += ", ";
    text += base64 ? base64::encode(elements[i]) : elements[i];
  }
  text += "]";
  return text;
}

template <bool kMove>
aws::AwsResult<AttributeValue> convert(const aws::Value& value, int level);

template <bool kMove>
aws::AwsResult<AttributeValue> convert_member(int type, const aws::Value& member, int level) {
  using aws::fail;
  using Kind = aws::Value::Kind;
  switch (static_cast<AttributeType>(type)) {
    case AttributeType::kS:
      if (member.kind() != Kind::kString) return fail(wrong_member_kind());
      return AttributeValue::string(take<kMove>(member.as_string()));
    case AttributeType::kN: {
      auto number = parse_number(member);
      if (!number) return fail(std::move(number.error()));
      return AttributeValue::number(*number);
    }
    case AttributeType::kB:
      if (member.kind() != Kind::kBlob) return fail(wrong_member_kind());
      return AttributeValue::binary(take<kMove>(member.as_blob().bytes));
    case AttributeType::kBool:
      if (member.kind() != Kind::kBool) return fail(wrong_member_kind());
      return AttributeValue::boolean(member.as_bool());
    case AttributeType::kNull:
      if (member.kind() != Kind::kBool) return fail(wrong_member_kind());
      // [V, rec] the old validation framework; regions on the 2026 one accept false (facts §6).
      if (!member.as_bool()) {
        return fail(validation(std::string(kInvalid) +
                               "Null attribute value types must have the value of true"));
      }
      return AttributeValue::null();
    case AttributeType::kM: {
      if (member.kind() != Kind::kMap) return fail(wrong_member_kind());
      AttributeMap entries;
      entries.reserve(member.as_map().size());
      for (const auto& [name, child] : member.as_map()) {
        auto converted = convert<kMove>(child, level + 1);
        if (!converted) return converted;
        entries.emplace_back(take<kMove>(name), std::move(converted.value()));
      }
      return AttributeValue::map(std::move(entries));
    }
    case AttributeType::kL: {
      if (member.kind() != Kind::kList) return fail(wrong_member_kind());
      AttributeList elements;
      elements.reserve(member.as_list().size());
      for (const auto& child : member.as_list()) {
        auto converted = convert<kMove>(child, level + 1);
        if (!converted) return converted;
        elements.push_back(std::move(converted.value()));
      }
      return AttributeValue::list(std::move(elements));
    }
    case AttributeType::kSS:
    case AttributeType::kBS: {
      const bool binary = static_cast<AttributeType>(type) == AttributeType::kBS;
      if (member.kind() != Kind::kList) return fail(wrong_member_kind());
      const auto& list = member.as_list();
      if (list.empty()) {
        return fail(
            validation(std::string(kInvalid) + (binary ? "Binary sets should not be empty"
                                                       : "An string set  may not be empty")));
      }
      std::vector<std::string> elements;
      elements.reserve(list.size());
      for (const auto& element : list) {
        if (element.is_null()) {
          // [P] dynalite; AWS's text for a null member is not recorded.
          return fail(
              validation(std::string(kInvalid) +
                         (binary ? "Binary sets may not contain null or empty values"
                                 : "An string set may not have a null string as a member")));
        }
        if (element.kind() != (binary ? Kind::kBlob : Kind::kString))
          return fail(wrong_member_kind());
        elements.push_back(take<kMove>(binary ? element.as_blob().bytes : element.as_string()));
      }
      if (has_duplicates(elements)) {
        // [V, rec] for SS; [P] (dynalite) for BS, whose text lacks the space before "of".
        return fail(validation(
            std::string(kInvalid) + "Input collection " + collection_text(elements, binary) +
            (binary ? "of type BS contains duplicates." : " contains duplicates.")));
      }
      return binary ? AttributeValue::binary_set(std::move(elements))
                    : AttributeValue::string_set(std::move(elements));
    }
    case AttributeType::kNS: {
      if (member.kind() != Kind::kList) return fail(wrong_member_kind());
      const auto& list = member.as_list();
      if (list.empty()) {
        return fail(validation(std::string(kInvalid) + "An number set  may not be empty"));
      }
      NumberSet elements;
      elements.reserve(list.size());
      for (const auto& element : list) {
        auto number = parse_number(element);
        if (!number) return fail(std::move(number.error()));
        elements.push_back(*number);
      }
      const size_t given = elements.size();
      AttributeValue set = AttributeValue::number_set(std::move(elements));
      // Duplicates by value ({1, 1.0} too). [P] dynalite's text, without the usual prefix.
      if (set.as_number_set().size() != given) {
        return fail(validation("Input collection contains duplicates"));
      }
      return set;
    }
  }
  return fail(wrong_member_kind());
}

template <bool kMove>
aws::AwsResult<AttributeValue> convert(const aws::Value& value, int level) {
  if (level > kMaxNestingLevel) return aws::fail(nesting_too_deep());
  if (!value.is_map()) {
    // A JSON null where an AttributeValue belongs (an element of L).
    if (value.is_null()) return aws::fail(empty_value());
    return aws::fail(wrong_member_kind());
  }
  int types = 0;
  std::optional<AttributeValue> result;
  for (const auto& [name, member] : value.as_map()) {
    const int type = member_type(name);
    if (type < 0) continue;  // not an AttributeValue member: ignored, as unknown members are
    ++types;
    auto converted = convert_member<kMove>(type, member, level);
    if (!converted) return converted;
    if (!result) result.emplace(std::move(converted.value()));
  }
  if (types == 0) return aws::fail(empty_value());
  if (types > 1) {
    return aws::fail(validation(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
        "supported datatypes"));
  }
  return std::move(*result);
}

template <bool kMove>
aws::AwsResult<Item> convert_item(const aws::Value& map) {
  if (!map.is_map()) return aws::fail(wrong_member_kind());
  AttributeMap entries;
  entries.reserve(map.as_map().size());
  for (const auto& [name, child] : map.as_map()) {
    auto converted = convert<kMove>(child, 1);
    if (!converted) return aws::fail(std::move(converted.error()));
    entries.emplace_back(take<kMove>(name), std::move(converted.value()));
  }
  AttributeValue sorted = AttributeValue::map(std::move(entries));
  return std::move(sorted.as_map());
}

}  // namespace

namespace {
constexpr std::string_view kTypeNames[] = {"S", "N", "B",  "BOOL", "NULL",
                                           "M", "L", "SS", "NS",   "BS"};
}  // namespace

std::string_view type_name(AttributeType type) { return kTypeNames[static_cast<int>(type)]; }

std::optional<AttributeType> type_from_name(std::string_view name) {
  for (size_t i = 0; i < std::size(kTypeNames); ++i) {
    if (name == kTypeNames[i]) return static_cast<AttributeType>(i);
  }
  return std::nullopt;
}

AttributeValue AttributeValue::map(AttributeMap entries) {
  const bool strictly_sorted =
      std::adjacent_find(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return !(a.first < b.first);
      }) == entries.end();
  if (!strictly_sorted) {
    std::stable_sort(entries.begin(), entries.end(), name_less);
    // Keep the last of each run of equal names.
    size_t out = 0;
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i + 1 < entries.size() && entries[i + 1].first == entries[i].first) continue;
      if (out != i) entries[out] = std::move(entries[i]);
      ++out;
    }
    entries.resize(out);
  }
  return AttributeValue(idx<5>(), std::move(entries));
}

AttributeValue AttributeValue::string_set(StringSet elements) {
  sort_unique(elements);
  return AttributeValue(idx<7>(), std::move(elements));
}

AttributeValue AttributeValue::number_set(NumberSet elements) {
  sort_unique(elements);
  return AttributeValue(idx<8>(), std::move(elements));
}

AttributeValue AttributeValue::binary_set(BinarySet elements) {
  sort_unique(elements);
  return AttributeValue(idx<9>(), std::move(elements));
}

namespace {

template <class T>
std::vector<T> sorted_union(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out;
  out.reserve(a.size() + b.size());
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

template <class T>
std::vector<T> sorted_difference(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out;
  out.reserve(a.size());
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

bool is_set_type(AttributeType type) {
  return type == AttributeType::kSS || type == AttributeType::kNS || type == AttributeType::kBS;
}

// The sets are sorted and unique (the class invariant), so a merge keeps them so.
AttributeValue set_union(const AttributeValue& a, const AttributeValue& b) {
  switch (a.type()) {
    case AttributeType::kSS:
      return AttributeValue::string_set(sorted_union(a.as_string_set(), b.as_string_set()));
    case AttributeType::kNS:
      return AttributeValue::number_set(sorted_union(a.as_number_set(), b.as_number_set()));
    default:
      return AttributeValue::binary_set(sorted_union(a.as_binary_set(), b.as_binary_set()));
  }
}

std::optional<AttributeValue> set_difference(const AttributeValue& a, const AttributeValue& b) {
  switch (a.type()) {
    case AttributeType::kSS: {
      auto rest = sorted_difference(a.as_string_set(), b.as_string_set());
      if (rest.empty()) return std::nullopt;
      return AttributeValue::string_set(std::move(rest));
    }
    case AttributeType::kNS: {
      auto rest = sorted_difference(a.as_number_set(), b.as_number_set());
      if (rest.empty()) return std::nullopt;
      return AttributeValue::number_set(std::move(rest));
    }
    default: {
      auto rest = sorted_difference(a.as_binary_set(), b.as_binary_set());
      if (rest.empty()) return std::nullopt;
      return AttributeValue::binary_set(std::move(rest));
    }
  }
}

const AttributeValue* find_attribute(const AttributeMap& map, std::string_view name) {
  auto it = std::lower_bound(map.begin(), map.end(), name,
                             [](const auto& entry, std::string_view n) { return entry.first < n; });
  return it != map.end() && it->first == name ? &it->second : nullptr;
}

AttributeValue* find_attribute(AttributeMap& map, std::string_view name) {
  return const_cast<AttributeValue*>(find_attribute(static_cast<const AttributeMap&>(map), name));
}

void put_attribute(AttributeMap& map, std::string name, AttributeValue value) {
  auto it =
      std::lower_bound(map.begin(), map.end(), name,
                       [](const auto& entry, const std::string& n) { return entry.first < n; });
  if (it != map.end() && it->first == name) {
    it->second = std::move(value);
  } else {
    map.emplace(it, std::move(name), std::move(value));
  }
}

bool erase_attribute(AttributeMap& map, std::string_view name) {
  auto it = std::lower_bound(map.begin(), map.end(), name,
                             [](const auto& entry, std::string_view n) { return entry.first < n; });
  if (it == map.end() || it->first != name) return false;
  map.erase(it);
  return true;
}

aws::AwsResult<AttributeValue> attribute_value_from_wire(const aws::Value& value, int level) {
  return convert<false>(value, level);
}

namespace {

aws::Value item_tree(const Item& item);

aws::Value to_wire(const AttributeValue& value) {
  aws::Value out = aws::Value::map();
  const std::string name(type_name(value.type()));
  switch (value.type()) {
    case AttributeType::kS:
      out.set(name, aws::Value(value.as_string()));
      break;
    case AttributeType::kN:
      out.set(name, aws::Value(value.as_number().to_string()));
      break;
    case AttributeType::kB:
      out.set(name, aws::Value(aws::Blob{value.as_binary()}));
      break;
    case AttributeType::kBool:
      out.set(name, aws::Value(value.as_bool()));
      break;
    case AttributeType::kNull:
      out.set(name, aws::Value(true));
      break;
    case AttributeType::kM:
      out.set(name, item_tree(value.as_map()));
      break;
    case AttributeType::kL: {
      aws::ValueList list;
      list.reserve(value.as_list().size());
      for (const auto& element : value.as_list()) list.push_back(to_wire(element));
      out.set(name, aws::Value(std::move(list)));
      break;
    }
    case AttributeType::kSS: {
      aws::ValueList list(value.as_string_set().begin(), value.as_string_set().end());
      out.set(name, aws::Value(std::move(list)));
      break;
    }
    case AttributeType::kNS: {
      aws::ValueList list;
      list.reserve(value.as_number_set().size());
      for (const auto& n : value.as_number_set()) list.emplace_back(n.to_string());
      out.set(name, aws::Value(std::move(list)));
      break;
    }
    case AttributeType::kBS: {
      aws::ValueList list;
      list.reserve(value.as_binary_set().size());
      for (const auto& b : value.as_binary_set()) list.emplace_back(aws::Blob{b});
      out.set(name, aws::Value(std::move(list)));
      break;
    }
  }
  return out;
}

aws::Value item_tree(const Item& item) {
  aws::ValueMap map;
  map.reserve(item.size());
  for (const auto& [name, value] : item) map.emplace_back(name, to_wire(value));
  return aws::Value(std::move(map));
}

void write_number_json(std::string& out, const Number& n) {
  out.push_back('"');
  n.append_to(out);  // digits, '-', '.', 'E': nothing to escape
  out.push_back('"');
}

void write_binary_json(std::string& out, const std::string& bytes) {
  out.push_back('"');
  base64::encode_append(out, bytes);  // the base64 alphabet needs no escaping
  out.push_back('"');
}

template <class Elements, class Write>
void write_json_list(std::string& out, const Elements& elements, Write write) {
  out.push_back('[');
  bool first = true;
  for (const auto& element : elements) {
    if (!first) out.push_back(',');
    first = false;
    write(out, element);
  }
  out.push_back(']');
}

void write_value_json(std::string& out, const AttributeValue& value) {
  // `{"<type>":` in one append (three appends and a strlen each cost about a fifth of a
  // destination record's JSON; callgrind, bench/README.md "Session 9").
  static constexpr std::string_view kOpen[] = {R"({"S":)",    R"({"N":)", R"({"B":)", R"({"BOOL":)",
                                               R"({"NULL":)", R"({"M":)", R"({"L":)", R"({"SS":)",
                                               R"({"NS":)",   R"({"BS":)"};
  static_assert(std::size(kOpen) == static_cast<size_t>(AttributeType::kBS) + 1);
  out.append(kOpen[static_cast<int>(value.type())]);
  switch (value.type()) {
    case AttributeType::kS:
      aws::append_json_string(out, value.as_string());
      break;
    case AttributeType::kN:
      write_number_json(out, value.as_number());
      break;
    case AttributeType::kB:
      write_binary_json(out, value.as_binary());
      break;
    case AttributeType::kBool:
      out.append(value.as_bool() ? std::string_view("true") : std::string_view("false"));
      break;
    case AttributeType::kNull:
      out.append(std::string_view("true"));
      break;
    case AttributeType::kM:
      write_item_json(out, value.as_map());
      break;
    case AttributeType::kL:
      write_json_list(out, value.as_list(), write_value_json);
      break;
    case AttributeType::kSS:
      write_json_list(out, value.as_string_set(), aws::append_json_string);
      break;
    case AttributeType::kNS:
      write_json_list(out, value.as_number_set(), write_number_json);
      break;
    case AttributeType::kBS:
      write_json_list(out, value.as_binary_set(), write_binary_json);
      break;
  }
  out.push_back('}');
}

}  // namespace

// The JSON text of item_tree(), written directly (aws/json_codec.cc's forms: strings escaped
// by aws::append_json_string, blobs as base64, members in the item's order).
void write_item_json(std::string& out, const Item& item) {
  out.push_back('{');
  bool first = true;
  for (const auto& [name, value] : item) {
    if (!first) out.push_back(',');
    first = false;
    aws::append_json_string(out, name);
    out.push_back(':');
    write_value_json(out, value);
  }
  out.push_back('}');
}

size_t write_attributes_json(std::string& out, const Item& item,
                             std::span<const std::string* const> names) {
  boost::container::small_vector<const std::string*, 4> sorted(names.begin(), names.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  size_t size = 0;
  out.push_back('{');
  bool first = true;
  for (const std::string* name : sorted) {
    const AttributeValue* value = find_attribute(item, *name);
    if (!value) continue;
    if (!first) out.push_back(',');
    first = false;
    aws::append_json_string(out, *name);
    out.push_back(':');
    write_value_json(out, *value);
    size += name->size() + attribute_size(*value);
  }
  out.push_back('}');
  return size;
}

namespace {

class ItemFragment final : public aws::Fragment {
 public:
  explicit ItemFragment(Item item) : item_(std::move(item)) {}
  void write_json(std::string& out) const override { write_item_json(out, item_); }
  aws::Value to_value() const override { return item_tree(item_); }
  const Item& item() const { return item_; }

 private:
  Item item_;
};

class StoredItemFragment final : public aws::Fragment {
 public:
  StoredItemFragment(std::string json, std::string bytes)
      : json_(std::move(json)), bytes_(std::move(bytes)) {}
  void write_json(std::string& out) const override { out.append(json_); }
  aws::Value to_value() const override {
    const std::optional<Item> item = decode_item(bytes_);
    return item ? item_tree(*item) : aws::Value::map();  // json_ came from bytes_ that decode
  }

 private:
  std::string json_;
  std::string bytes_;
};

}  // namespace

// An item made by item_to_wire is a Fragment: a request's item decoded by decode_plain_item
// (item_json_decoder.h), or a response's Item or LastEvaluatedKey read back by an operation
// built on another (PartiQL on Query). Its item is copied out (Fragments are shared and
// immutable); any other Fragment is read through its Value form.
aws::AwsResult<Item> item_from_wire(const aws::Value& map) {
  if (map.kind() == aws::Value::Kind::kFragment) {
    if (const auto* decoded = dynamic_cast<const ItemFragment*>(&map.as_fragment()))
      return decoded->item();
    return convert_item<true>(map.as_fragment().to_value());
  }
  return convert_item<false>(map);
}

aws::AwsResult<Item> item_from_wire(aws::Value&& map) {
  if (map.kind() == aws::Value::Kind::kFragment) return item_from_wire(std::as_const(map));
  return convert_item<true>(map);
}

aws::Value item_to_wire(Item item) {
  return aws::Value(std::make_shared<const ItemFragment>(std::move(item)));
}

std::optional<WireItem> stored_item_to_wire(std::string bytes) {
  std::string json;
  json.reserve(bytes.size() + bytes.size() / 2);
  if (const std::optional<size_t> size = append_item_json(json, bytes)) {
    return WireItem{
        aws::Value(std::make_shared<const StoredItemFragment>(std::move(json), std::move(bytes))),
        *size};
  }
  std::optional<Item> item = decode_item(bytes);  // not canonical: decoded in order
  if (!item) return std::nullopt;
  const size_t size = item_size(*item);
  return WireItem{item_to_wire(std::move(*item)), size};
}

size_t attribute_size(const AttributeValue& value) {
  switch (value.type()) {
    case AttributeType::kS:
      return value.as_string().size();
    case AttributeType::kN:
      return value.as_number().storage_size();
    case AttributeType::kB:
      return value.as_binary().size();
    case AttributeType::kBool:
    case AttributeType::kNull:
      return 1;
    case AttributeType::kM: {
      size_t size = 3;
      for (const auto& [name, element] : value.as_map()) {
        size += 1 + name.size() + attribute_size(element);
      }
      return size;
    }
    case AttributeType::kL: {
      size_t size = 3;
      for (const auto& element : value.as_list()) size += 1 + attribute_size(element);
      return size;
    }
    case AttributeType::kSS: {
      size_t size = 0;
      for (const auto& s : value.as_string_set()) size += s.size();
      return size;
    }
    case AttributeType::kNS: {
      size_t size = 0;
      for (const auto& n : value.as_number_set()) size += n.storage_size();
      return size;
    }
    case AttributeType::kBS: {
      size_t size = 0;
      for (const auto& b : value.as_binary_set()) size += b.size();
      return size;
    }
  }
  return 0;
}

size_t item_size(const Item& item) {
  size_t size = 0;
  for (const auto& [name, value] : item) size += name.size() + attribute_size(value);
  return size;
}

}  // namespace trib::dynamodb
