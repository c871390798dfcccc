#include "aws/stored_document.h"

#include <simdjson.h>

#include "aws/codec.h"

namespace trib::aws {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

Value to_value(element e) {
  switch (e.type()) {
    case element_type::OBJECT: {
      Value out = Value::map();
      for (auto field : simdjson::dom::object(e)) {
        out.set(std::string(field.key), to_value(field.value));
      }
      return out;
    }
    case element_type::ARRAY: {
      Value out = Value::list();
      for (auto item : simdjson::dom::array(e)) out.push(to_value(item));
      return out;
    }
    case element_type::STRING:
      return Value(std::string(std::string_view(e)));
    case element_type::INT64:
      return Value(int64_t(e));
    case element_type::UINT64:
      return Value(static_cast<int64_t>(uint64_t(e)));
    case element_type::DOUBLE:
      return Value(double(e));
    case element_type::BOOL:
      return Value(bool(e));
    default:
      return Value();
  }
}

}  // namespace

std::string encode_stored_document(uint8_t version, const Value& document) {
  std::string out(1, static_cast<char>(version));
  out += to_json(document);
  return out;
}

std::optional<Value> decode_stored_document(std::string_view bytes, uint8_t version) {
  if (bytes.empty() || static_cast<uint8_t>(bytes[0]) != version) return std::nullopt;
  thread_local simdjson::dom::parser parser;
  element root;
  if (parser.parse(bytes.data() + 1, bytes.size() - 1, true).get(root) ||
      root.type() != element_type::OBJECT) {
    return std::nullopt;
  }
  return to_value(root);
}

}  // namespace trib::aws
