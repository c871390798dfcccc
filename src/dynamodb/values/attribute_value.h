// AttributeValue: one DynamoDB value (S, N, B, BOOL, NULL, M, L, SS, NS, BS), and Item, the
// top-level attribute map of an item or key.
//
// Representation (chosen for speed and for cheap equality and encoding):
// - a std::variant indexed by AttributeType, no heap node per scalar;
// - maps (M and Item) are flat vectors of (name, value) sorted by name (unsigned bytes), names
//   unique: lookups are binary searches, equality ignores the order keys arrived in, and the
//   stored encoding of equal items is byte-identical (a no-op write is recognisable by
//   comparing encodings);
// - sets are vectors sorted ascending and without duplicates: strings and binaries by
//   unsigned bytes, numbers by value (so {1, 1.0} is one element). Order on output is ours;
//   AWS documents sets as unordered.
// Every factory below establishes these invariants; code that edits a map or list in place
// through the mutable accessors must keep them (use put_attribute()/erase_attribute()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "aws/error.h"
#include "aws/value.h"
#include "dynamodb/values/number.h"

namespace trib::dynamodb {

// In the order of the variant's alternatives (and of the type tags of the item codec).
enum class AttributeType : uint8_t { kS, kN, kB, kBool, kNull, kM, kL, kSS, kNS, kBS };

// The wire name: "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS".
std::string_view type_name(AttributeType type);
// The type a wire name stands for; nullopt for any other name.
std::optional<AttributeType> type_from_name(std::string_view name);

class AttributeValue;
using AttributeMap = std::vector<std::pair<std::string, AttributeValue>>;  // sorted, unique
using AttributeList = std::vector<AttributeValue>;
using StringSet = std::vector<std::string>;  // sorted by unsigned bytes, unique
using NumberSet = std::vector<Number>;       // sorted by value, unique
using BinarySet = std::vector<std::string>;  // sorted by unsigned bytes, unique
// An item, a key, or any top-level attribute map.
using Item = AttributeMap;

class AttributeValue {
 public:
  AttributeValue() : v_(std::in_place_index<4>) {}  // NULL

  static AttributeValue string(std::string s) { return AttributeValue(idx<0>(), std::move(s)); }
  static AttributeValue number(Number n) { return AttributeValue(idx<1>(), n); }
  static AttributeValue binary(std::string bytes) {
    return AttributeValue(idx<2>(), std::move(bytes));
  }
  static AttributeValue boolean(bool b) { return AttributeValue(idx<3>(), b); }
  static AttributeValue null() { return AttributeValue(); }
  // Sorts by name; when a name repeats, the last entry wins.
  static AttributeValue map(AttributeMap entries);
  static AttributeValue list(AttributeList elements) {
    return AttributeValue(idx<6>(), std::move(elements));
  }
  // Sort and drop duplicates. A set must not be empty; callers (UpdateItem DELETE) remove the
  // attribute instead of storing an empty set.
  static AttributeValue string_set(StringSet elements);
  static AttributeValue number_set(NumberSet elements);
  static AttributeValue binary_set(BinarySet elements);

  AttributeType type() const { return static_cast<AttributeType>(v_.index()); }
  bool is(AttributeType t) const { return type() == t; }

  // Accessors; the value must be of that type.
  const std::string& as_string() const { return std::get<0>(v_); }
  const Number& as_number() const { return std::get<1>(v_); }
  const std::string& as_binary() const { return std::get<2>(v_); }
  bool as_bool() const { return std::get<3>(v_); }
  const AttributeMap& as_map() const { return std::get<5>(v_); }
  AttributeMap& as_map() { return std::get<5>(v_); }
  const AttributeList& as_list() const { return std::get<6>(v_); }
  AttributeList& as_list() { return std::get<6>(v_); }
  const StringSet& as_string_set() const { return std::get<7>(v_); }
  const NumberSet& as_number_set() const { return std::get<8>(v_); }
  const BinarySet& as_binary_set() const { return std::get<9>(v_); }

  // Equality by value: numbers by value, maps whatever the key order, sets whatever the
  // element order (all follow from the canonical representation).
  friend bool operator==(const AttributeValue& a, const AttributeValue& b) { return a.v_ == b.v_; }

 private:
  template <size_t I>
  using idx = std::in_place_index_t<I>;
  template <size_t I, class T>
  AttributeValue(idx<I> i, T&& value) : v_(i, std::forward<T>(value)) {}

  std::variant<std::string, Number, std::string, bool, std::monostate, AttributeMap, AttributeList,
               StringSet, NumberSet, BinarySet>
      v_;
};

// Set algebra for UpdateItem's ADD and DELETE (expressions and AttributeUpdates). `a` and `b`
// must be sets of one type (SS, NS or BS; is_set_type).
bool is_set_type(AttributeType type);
// The elements of either.
AttributeValue set_union(const AttributeValue& a, const AttributeValue& b);
// The elements of `a` not in `b`; nullopt when none remain (DynamoDB then removes the attribute).
std::optional<AttributeValue> set_difference(const AttributeValue& a, const AttributeValue& b);

// Map helpers that keep a map sorted. find_attribute() returns nullptr when the name is absent.
const AttributeValue* find_attribute(const AttributeMap& map, std::string_view name);
AttributeValue* find_attribute(AttributeMap& map, std::string_view name);
// Inserts or replaces.
void put_attribute(AttributeMap& map, std::string name, AttributeValue value);
// Returns whether the name was there.
bool erase_attribute(AttributeMap& map, std::string_view name);

// ---- Conversion from and to the decoded request document (aws/value.h) ----
//
// The JSON and CBOR codecs decode an AttributeValue structure into a map Value holding the
// members present ("S" string, "N" string, "B" Blob, "SS"/"NS" lists of strings, "BS" list
// of Blobs, "M" map, "L" list, "NULL"/"BOOL" bool; null members already dropped). These
// functions apply DynamoDB's checks with its texts: ValidationException in the
// `com.amazon.coral.validate` namespace (facts §1). Checks run over the members in the order
// the codec gives them, for each member: a number, NULL false, an empty set, the numbers of
// an NS, duplicates, then nested values; "more than one datatype" only after all members
// (dynalite's order, from AWS: `{"S": "a", "N": ""}` reports the number).

// Nesting: the top-level attribute is level 1; a value deeper than level 32 is refused
// (facts §4; paritysuite/dynamodb-conformance nestingDepth.test.ts: a map nested 31 times
// around a scalar is accepted, 32 times refused).
inline constexpr int kMaxNestingLevel = 32;

// One AttributeValue structure at nesting `level` (1 for a top-level attribute or an
// ExpressionAttributeValues entry).
aws::AwsResult<AttributeValue> attribute_value_from_wire(const aws::Value& value, int level = 1);
// A map Value of name -> AttributeValue structure (Item, Key, ExclusiveStartKey, ...).
aws::AwsResult<Item> item_from_wire(const aws::Value& map);
// The same, moving strings and blobs out of `map` instead of copying them (the request
// document is usually not needed afterwards). On error `map` is left partly moved-from.
aws::AwsResult<Item> item_from_wire(aws::Value&& map);

// Back to a Value for responses. The Value holds the item itself (an aws::Fragment): the JSON
// codec writes it straight from the attribute values, without a Value tree per attribute (a
// Query page holds hundreds of them; bench/README.md "DynamoDB CPU per request"); any other
// reader of the Value gets the tree: numbers as canonical strings, sets as lists, B as Blob,
// NULL as true.
aws::Value item_to_wire(Item item);

// The same for an item read from storage, with its item_size: the item encoded in `bytes`
// (item_codec.h) as item_to_wire(*decode_item(bytes)) puts it on the wire, its JSON written
// straight from the encoding (append_item_json, item_json.h; any other reader of the Value gets
// the decoded tree), or decoded first when the encoding is not canonical. nullopt when
// decode_item refuses the bytes.
struct WireItem {
  aws::Value item;
  size_t size = 0;
};
std::optional<WireItem> stored_item_to_wire(std::string bytes);

// ---- Item size (facts §8) ----
// Names are UTF-8 bytes; S its UTF-8 bytes; B its raw bytes; N Number::storage_size();
// BOOL and NULL 1; sets the sum of their elements; L and M 3 + 1 per element + the elements
// (map keys count like names).
size_t attribute_size(const AttributeValue& value);
size_t item_size(const Item& item);

}  // namespace trib::dynamodb
