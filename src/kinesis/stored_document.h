// The stored form of catalog records (streams, account settings, consumers): a version byte,
// then a JSON document. Readers refuse another version instead of guessing.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "aws/value.h"

namespace trib::kinesis {

std::string encode_stored_document(uint8_t version, const aws::Value& document);

// Parses `bytes` written by encode_stored_document with `version` into `document` (which lives
// as long as `parser`); false when the version differs or the JSON is malformed.
bool parse_stored_document(std::string_view bytes, uint8_t version, simdjson::dom::parser& parser,
                           simdjson::dom::element* document);

}  // namespace trib::kinesis
