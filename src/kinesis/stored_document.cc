#include "kinesis/stored_document.h"

#include "aws/codec.h"

namespace trib::kinesis {

std::string encode_stored_document(uint8_t version, const aws::Value& document) {
  std::string out(1, static_cast<char>(version));
  out += aws::to_json(document);
  return out;
}

bool parse_stored_document(std::string_view bytes, uint8_t version, simdjson::dom::parser& parser,
                           simdjson::dom::element* document) {
  if (bytes.empty() || static_cast<uint8_t>(bytes[0]) != version) return false;
  return !parser.parse(bytes.data() + 1, bytes.size() - 1, true).get(*document);
}

aws::Value encode_stored_tags(const StoredTags& tags) {
  aws::Value list = aws::Value::list();
  for (const auto& [key, value] : tags) {
    list.push(aws::Value(aws::ValueList{aws::Value(key), aws::Value(value)}));
  }
  return list;
}

StoredTags decode_stored_tags(simdjson::dom::element tags) {
  StoredTags out;
  for (auto pair : simdjson::dom::array(tags)) {
    out.emplace_back(std::string(std::string_view(pair.at(0))),
                     std::string(std::string_view(pair.at(1))));
  }
  return out;
}

}  // namespace trib::kinesis
