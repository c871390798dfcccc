// The stored form of catalog documents (Kinesis streams and consumers, DynamoDB tables, ...):
// a version byte, then the document as JSON. Decoding gives back a schemaless Value (integers
// as int64, other numbers as double, strings, booleans, lists, maps in stored order), read with
// Value's typed member readers, so no catalog hand-writes a JSON decoder of its own. A reader
// refuses another version instead of guessing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "aws/value.h"

namespace trib::aws {

std::string encode_stored_document(uint8_t version, const Value& document);

// The document written by encode_stored_document with `version`; nullopt when the version
// differs or the bytes are not such a document.
std::optional<Value> decode_stored_document(std::string_view bytes, uint8_t version);

}  // namespace trib::aws
