#include "dynamodb/tables/tags.h"

#include <set>

#include "dynamodb/errors.h"

namespace trib::dynamodb {

namespace {

// AWS's documented tag alphabet: Unicode letters, digits, white space and _ . : / = + - @
// (DynamoDB developer guide, "Tagging restrictions"). Every non-ASCII character passes here
// (a simplification: AWS accepts only letters, digits and separators among them).
bool valid_tag_text(std::string_view text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) continue;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) continue;
    if (std::string_view(" _.:/=+-@").find(c) != std::string_view::npos) continue;
    return false;
  }
  return true;
}

}  // namespace

// Texts: ack-api-quirks' catalogue of AWS responses (2026-10-09); in which order AWS checks
// them is a guess.
aws::AwsResult<Ok> check_tag_key(const std::string& key) {
  if (!valid_tag_text(key)) {
    return aws::fail(validation("The Tag Key provided is invalid, Key: " + key));
  }
  if (key.substr(0, 4) == "aws:") {
    return aws::fail(validation("Tag Key cannot be prefixed with aws:, Key: " + key));
  }
  return Ok{};
}

aws::AwsResult<TagList> read_tags(const aws::Value* tags) {
  TagList out;
  if (!tags || !tags->is_list()) return out;
  std::set<std::string> keys;
  for (const auto& tag : tags->as_list()) {
    const std::string* key = tag.string_member("Key");
    const std::string* value = tag.string_member("Value");
    if (!key) return aws::fail(validation("The Tag Key provided is invalid, Key: null"));  // guess
    if (auto checked = check_tag_key(*key); !checked) return aws::fail(std::move(checked.error()));
    if (!value) return aws::fail(validation("The Tag Value provided is invalid, Value: null"));
    if (!valid_tag_text(*value)) {
      return aws::fail(validation("The Tag Value provided is invalid, Value: " + *value));
    }
    if (!keys.insert(*key).second) {
      return aws::fail(
          validation("Duplicate Tag Keys provided as input: Duplicate Tag Key found " + *key));
    }
    out.emplace_back(*key, *value);
  }
  return out;
}

aws::AwsResult<Ok> merge_tags(TagList& current, const TagList& tags) {
  TagList merged = current;
  for (const auto& [key, value] : tags) {
    bool replaced = false;
    for (auto& [k, v] : merged) {
      if (k == key) {
        v = value;
        replaced = true;
      }
    }
    if (!replaced) merged.emplace_back(key, value);
  }
  if (merged.size() > kMaxTagsPerTable) {
    // The catalogue: ValidationException, not LimitExceededException.
    return aws::fail(
        validation("Number of Tags exceed the current limit for the provided ResourceArn"));
  }
  current = std::move(merged);
  return Ok{};
}

}  // namespace trib::dynamodb
