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

std::optional<Value> parse_json_object(std::string_view json) {
  thread_local simdjson::dom::parser parser;
  element root;
  if (parser.parse(json.data(), json.size(), true).get(root) ||
      root.type() != element_type::OBJECT) {
    return std::nullopt;
  }
  return to_value(root);
}

int64_t StoredDocumentReader::required_int(std::string_view name) {
  const auto value = document_.int_member(name);
  if (!value) ok_ = false;
  return value.value_or(0);
}

std::string StoredDocumentReader::required_string(std::string_view name) {
  const std::string* value = document_.string_member(name);
  if (!value) {
    ok_ = false;
    return {};
  }
  return *value;
}

const ValueList& StoredDocumentReader::required_list(std::string_view name) {
  static const ValueList kEmpty;
  const Value* value = document_.find(name);
  if (!value || !value->is_list()) {
    ok_ = false;
    return kEmpty;
  }
  return value->as_list();
}

Value encode_stored_tags(const StoredTags& tags) {
  Value list = Value::list();
  for (const auto& [key, value] : tags) list.push(Value(ValueList{Value(key), Value(value)}));
  return list;
}

std::optional<StoredTags> decode_stored_tags(const Value& tags) {
  if (!tags.is_list()) return std::nullopt;
  StoredTags out;
  out.reserve(tags.as_list().size());
  for (const auto& pair : tags.as_list()) {
    if (!pair.is_list() || pair.as_list().size() != 2 || !pair.as_list()[0].is_string() ||
        !pair.as_list()[1].is_string()) {
      return std::nullopt;
    }
    out.emplace_back(pair.as_list()[0].as_string(), pair.as_list()[1].as_string());
  }
  return out;
}

}  // namespace trib::aws
