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
#include <utility>
#include <vector>

#include "aws/value.h"

namespace trib::aws {

std::string encode_stored_document(uint8_t version, const Value& document);

// The document written by encode_stored_document with `version`; nullopt when the version
// differs or the bytes are not such a document.
std::optional<Value> decode_stored_document(std::string_view bytes, uint8_t version);

// A JSON text whose top level is an object (a resource-based policy document), decoded as
// decode_stored_document decodes; nullopt for anything else.
std::optional<Value> parse_json_object(std::string_view json);

// Reads the members a decoder needs from a decoded document and remembers whether each
// required one was there with its kind, so a decoder reads everything, then refuses the
// document once (ok() false) instead of checking member by member. A missing required member
// reads as 0, "" or an empty list.
class StoredDocumentReader {
 public:
  explicit StoredDocumentReader(const Value& document) : document_(document) {}
  int64_t required_int(std::string_view name);
  std::string required_string(std::string_view name);
  const ValueList& required_list(std::string_view name);
  // Marks the document bad (for checks of the decoder's own, e.g. a malformed element).
  void fail() { ok_ = false; }
  bool ok() const { return ok_; }

 private:
  const Value& document_;
  bool ok_ = true;
};

// Tags in stored documents (Kinesis streams and consumers, DynamoDB tables): a list of
// [key, value] pairs, in order.
using StoredTags = std::vector<std::pair<std::string, std::string>>;
Value encode_stored_tags(const StoredTags& tags);
// nullopt when `tags` is not such a list.
std::optional<StoredTags> decode_stored_tags(const Value& tags);

}  // namespace trib::aws
