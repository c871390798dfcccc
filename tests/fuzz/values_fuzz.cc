// libFuzzer target for DynamoDB values (src/dynamodb/values/): the number codec and its
// order-preserving encoding, AttributeValue documents as SDKs send them, and the stored item and
// key encodings. See README.md here for how to build and run it.
//
// The first byte picks what the rest is:
//   0: one or two number texts separated by \x01. Number::parse gives a number or an error
//      with AWS's text; a number prints canonically and parses back to itself; its order key
//      decodes to itself, consuming exactly the key; for two numbers the memcmp order of their
//      keys is their numeric order (equal keys iff equal numbers), and a + b - b == a whenever
//      both succeed (the arithmetic is exact).
//   1: stored bytes: decode_item, decode_order_key and decode_key_component (S, N, B) accept or
//      refuse; a key re-encodes to exactly the bytes it consumed, an item to its canonical
//      encoding, which decodes to the same item.
//   2 and others: a JSON PutItem body. Its Item becomes an Item (item_from_wire) or fails with
//      a ValidationException or SerializationException carrying a message or not, as AWS sends
//      them; an Item survives the JSON round trip (item_to_wire -> JSON -> item_from_wire) and
//      the stored encoding (encode_item -> decode_item) unchanged, its S/N/B attributes survive
//      the key-component encoding, and two S/N/B attributes of one type keep their order. The
//      service's shape decoder (decode_plain_item) takes only Items the generic path accepts,
//      and gives the same Item, whose Value form is the generic path's tree up to the order of
//      map members.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "aws/codec.h"
#include "aws/json_shape_decoders.h"
#include "dynamodb/values/attribute_value.h"
#include "dynamodb/values/item_codec.h"
#include "dynamodb/values/item_json_decoder.h"
#include "dynamodb/values/number.h"
#include "model/model.h"

namespace {

using trib::dynamodb::AttributeType;
using trib::dynamodb::AttributeValue;
using trib::dynamodb::Item;
using trib::dynamodb::Number;

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

int sign(int v) { return (v > 0) - (v < 0); }

int compare_bytes(std::string_view a, std::string_view b) {
  const int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (c != 0) return sign(c);
  return sign(static_cast<int>(a.size() > b.size()) - static_cast<int>(a.size() < b.size()));
}

std::string order_key(const Number& n) {
  std::string key;
  n.append_order_key(key);
  std::string_view in = key;
  const auto back = Number::decode_order_key(in);
  if (!back || !in.empty() || !(*back == n)) broken("order key does not decode to the number");
  if (key.size() > 22) broken("order key longer than 22 bytes");
  return key;
}

void numbers(std::string_view payload) {
  const size_t split = payload.find('\x01');
  const std::string_view texts[2] = {payload.substr(0, split), split == std::string_view::npos
                                                                   ? std::string_view()
                                                                   : payload.substr(split + 1)};
  const int count = split == std::string_view::npos ? 1 : 2;
  std::optional<Number> parsed[2];
  for (int i = 0; i < count; ++i) {
    auto n = Number::parse(texts[i]);
    if (!n) {
      if (trib::dynamodb::number_error_message(n.error(), texts[i]).empty()) {
        broken("number error without a message");
      }
      continue;
    }
    const std::string text = n->to_string();
    auto again = Number::parse(text);
    if (!again || !(*again == *n) || again->to_string() != text) {
      broken("canonical text does not parse back to the number");
    }
    if (n->digits().size() > Number::kMaxDigits) broken("more than 38 digits");
    (void)n->storage_size();
    parsed[i] = *n;
  }
  if (!parsed[0] || !parsed[1]) {
    if (parsed[0]) (void)order_key(*parsed[0]);
    return;
  }
  const Number& a = *parsed[0];
  const Number& b = *parsed[1];
  const int by_value = Number::compare(a, b);
  if (sign(by_value) != compare_bytes(order_key(a), order_key(b))) {
    broken("order key order differs from numeric order");
  }
  if ((by_value == 0) != (a == b)) broken("compare and == disagree");
  if (Number::compare(b, a) != -by_value) broken("compare is not antisymmetric");
  if (auto sum = Number::add(a, b)) {
    if (auto back = Number::subtract(*sum, b); back && !(*back == a)) broken("a + b - b != a");
  }
  (void)Number::subtract(a, b);
  (void)a.negated();
}

void stored_bytes(std::string_view bytes) {
  if (auto item = trib::dynamodb::decode_item(bytes)) {
    // Maps and sets stored out of order or with repeats decode to the canonical item (the
    // factories sort and deduplicate), so only the canonical form is checked byte for byte.
    const std::string canonical = trib::dynamodb::encode_item(*item);
    auto again = trib::dynamodb::decode_item(canonical);
    if (!again || !(*again == *item) || trib::dynamodb::encode_item(*again) != canonical) {
      broken("decoded item does not re-encode to a canonical form of itself");
    }
  }
  {
    std::string_view in = bytes;
    if (auto n = Number::decode_order_key(in)) {
      std::string key;
      n->append_order_key(key);
      if (key != bytes.substr(0, bytes.size() - in.size())) {
        broken("decoded order key re-encodes differently");
      }
    } else if (in.size() != bytes.size()) {
      broken("refused order key consumed bytes");
    }
  }
  for (const AttributeType type : {AttributeType::kS, AttributeType::kN, AttributeType::kB}) {
    std::string_view in = bytes;
    if (auto value = trib::dynamodb::decode_key_component(in, type)) {
      if (value->type() != type) broken("key component of the wrong type");
      std::string key;
      if (!trib::dynamodb::append_key_component(key, *value) ||
          key != bytes.substr(0, bytes.size() - in.size())) {
        broken("decoded key component re-encodes differently");
      }
    } else if (in.size() != bytes.size()) {
      broken("refused key component consumed bytes");
    }
  }
}

struct Json {
  std::unique_ptr<trib::aws::Codec> codec =
      trib::aws::make_json_codec("application/x-amz-json-1.0");
  const trib::model::ServiceModel& model =
      trib::model::ServiceModel::embedded("dynamodb-2012-08-10");
  const trib::model::Shape* put_item = model.find_operation("PutItem")->input;
  trib::aws::JsonShapeDecoders decoders = [this] {
    trib::aws::JsonShapeDecoders d;
    d.add(model.find_shape("PutItemInputAttributeMap"), &trib::dynamodb::decode_plain_item);
    return d;
  }();
};

std::optional<trib::aws::Value> put_item_member(
    const Json& json, std::string_view body, const trib::aws::JsonShapeDecoders* with = nullptr) {
  auto parsed = json.codec->parse(body);
  if (!parsed) return std::nullopt;
  auto input = parsed.value()->to_value(json.put_item, with);
  if (!input) return std::nullopt;
  const trib::aws::Value* item = input->find("Item");
  if (item == nullptr) return std::nullopt;
  return *item;
}

bool key_type(const AttributeValue& v) {
  return v.is(AttributeType::kS) || v.is(AttributeType::kN) || v.is(AttributeType::kB);
}

int value_order(const AttributeValue& a, const AttributeValue& b) {
  if (a.is(AttributeType::kN)) return sign(Number::compare(a.as_number(), b.as_number()));
  const std::string& x = a.is(AttributeType::kS) ? a.as_string() : a.as_binary();
  const std::string& y = b.is(AttributeType::kS) ? b.as_string() : b.as_binary();
  return compare_bytes(x, y);
}

// `value` with every map's members in name order and Fragments read as their Value form.
trib::aws::Value sorted_tree(const trib::aws::Value& value) {
  using Kind = trib::aws::Value::Kind;
  if (value.kind() == Kind::kFragment) return sorted_tree(value.as_fragment().to_value());
  if (value.kind() == Kind::kList) {
    trib::aws::Value out = trib::aws::Value::list();
    for (const trib::aws::Value& element : value.as_list()) out.push(sorted_tree(element));
    return out;
  }
  if (value.kind() != Kind::kMap) return value;
  trib::aws::ValueMap members;
  for (const auto& [name, member] : value.as_map()) members.emplace_back(name, sorted_tree(member));
  std::stable_sort(members.begin(), members.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return trib::aws::Value(std::move(members));
}

void documents(std::string_view body) {
  static const Json json;
  auto wire = put_item_member(json, body);
  if (!wire) return;
  auto item = trib::dynamodb::item_from_wire(*wire);
  if (auto fast = put_item_member(json, body, &json.decoders);
      fast && fast->kind() == trib::aws::Value::Kind::kFragment) {
    auto fast_item = trib::dynamodb::item_from_wire(*fast);
    if (!item || !fast_item || !(*fast_item == *item)) {
      broken("the shape decoder's item differs from the generic path's");
    }
    if (trib::aws::to_json(sorted_tree(*fast)) != trib::aws::to_json(sorted_tree(*wire))) {
      broken("the shape decoder's item reads as another tree than the generic path's");
    }
  }
  if (!item) {
    const auto& error = item.error();
    if (error.type != "ValidationException" && error.type != "SerializationException") {
      broken("item refused with an unexpected error type");
    }
    if (error.type == "ValidationException" && error.message.empty()) {
      broken("ValidationException without a message");
    }
    return;
  }
  (void)trib::dynamodb::item_size(*item);
  // The JSON round trip, as a response carries the item and an SDK sends it back.
  trib::aws::Value request = trib::aws::Value::map();
  request.set("TableName", trib::aws::Value("t"));
  request.set("Item", trib::dynamodb::item_to_wire(*item));
  const std::string text = trib::aws::to_json(request);
  auto again_wire = put_item_member(json, text);
  if (!again_wire) broken("item written as JSON does not parse");
  auto again = trib::dynamodb::item_from_wire(*again_wire);
  if (!again || !(*again == *item)) broken("item differs after the JSON round trip");
  // The stored encoding.
  const std::string stored = trib::dynamodb::encode_item(*item);
  auto decoded = trib::dynamodb::decode_item(stored);
  if (!decoded || !(*decoded == *item)) broken("item differs after encode_item/decode_item");
  // Key components, alone and in pairs.
  const AttributeValue* previous = nullptr;
  std::string previous_key;
  for (const auto& [name, value] : *item) {
    if (!key_type(value)) continue;
    std::string key;
    trib::dynamodb::append_key_component(key, value);
    std::string with_tail = key + "\x01tail";
    std::string_view in = with_tail;
    auto back = trib::dynamodb::decode_key_component(in, value.type());
    if (!back || !(*back == value) || in != "\x01tail") {
      broken("key component does not decode to the value");
    }
    (void)trib::dynamodb::partition_key_hash(value);
    if (previous != nullptr && previous->type() == value.type() &&
        value_order(*previous, value) != compare_bytes(previous_key, key)) {
      broken("key component order differs from value order");
    }
    previous = &value;
    previous_key = key;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view payload(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      numbers(payload);
      break;
    case 1:
      stored_bytes(payload);
      break;
    default:
      documents(payload);
      break;
  }
  return 0;
}
