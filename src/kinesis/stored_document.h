// The stored form of catalog records (streams, account settings, consumers): a version byte,
// then a JSON document. Readers refuse another version instead of guessing.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/value.h"

namespace trib::kinesis {

std::string encode_stored_document(uint8_t version, const aws::Value& document);

// Parses `bytes` written by encode_stored_document with `version` into `document` (which lives
// as long as `parser`); false when the version differs or the JSON is malformed.
bool parse_stored_document(std::string_view bytes, uint8_t version, simdjson::dom::parser& parser,
                           simdjson::dom::element* document);

// Tags (streams and consumers) in stored documents: a list of [key, value] pairs, in order.
using StoredTags = std::vector<std::pair<std::string, std::string>>;
aws::Value encode_stored_tags(const StoredTags& tags);
// Throws simdjson_error (as the element accessors do) when `tags` is not such a list.
StoredTags decode_stored_tags(simdjson::dom::element tags);

}  // namespace trib::kinesis
