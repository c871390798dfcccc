// Model validation: checks a decoded input Value against its shape's constraints (required,
// min/max length or value, pattern, enum) and words failures exactly as AWS does:
//   1 validation error detected: Value 'a b' at 'streamName' failed to satisfy constraint:
//   Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+
// Members are checked in model order unless the service gives the order AWS was observed to
// use for a shape (ValidationStyle); constraints of one member in AWS's order (pattern,
// minimum, maximum, enum); at most 10 listed.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aws/value.h"
#include "model/model.h"

namespace trib::aws {

// How a service's front end words validation failures, where it differs from plain model order.
struct ValidationStyle {
  using NameLists = std::map<std::string, std::vector<std::string>, std::less<>>;
  // Shape name -> member names in the order AWS reports their violations.
  NameLists member_order;
  // Shape name -> enum values in the order AWS prints the allowed set.
  NameLists enum_order;
  // A structure inside a list value prints as "<prefix><ShapeName>@<hex of its Java hashCode>"
  // (the Java object's default toString, aws/java_hash.h), e.g. prefix
  // "com.amazonaws.kinesis.v20131202.".
  std::string structure_class_prefix;
  // Two wordings of one message. kLegacy (Kinesis; DynamoDB until mid 2026): the value echoed
  // in quotes, camelCase member paths, every violation listed (at most 10):
  //   2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: ...; ...
  // kCurrent (DynamoDB's 2026 validation framework, facts/dynamodb.md §20): no value, member
  // names as on the wire, the first violation only:
  //   1 validation error detected: Value at 'TableName' failed to satisfy constraint: ...
  enum class Wording : uint8_t { kLegacy, kCurrent };
  Wording wording = Wording::kLegacy;
  // Members of an input shape whose violations AWS reports with a text of its own instead of
  // the model's constraint text: "<InputShape>.<Member>" -> the whole messages. `missing`
  // replaces "Member must not be null" for an absent required member; `too_short` replaces
  // the minimum-length violation of a member shorter than its shape's `min` (an empty map,
  // list or string). An empty text keeps the model's. Checked before every other member, so
  // the text is the whole answer, as AWS gives it. A service fills this per operation (the
  // input shape names the operation) and per wording.
  struct MemberMessages {
    std::string missing;
    std::string too_short;
  };
  std::map<std::string, MemberMessages, std::less<>> member_messages = {};
};

// Returns every violation message ("Value ... at ... failed to satisfy constraint: ..."),
// at most `limit` of them.
std::vector<std::string> validation_failures(const Value& input, const model::Shape& shape,
                                             size_t limit = 10,
                                             const ValidationStyle* style = nullptr);

// The full ValidationException message, or nullopt when the input is valid.
std::optional<std::string> validate(const Value& input, const model::Shape& shape,
                                    const ValidationStyle* style = nullptr);

// One violation, worded in the style's form: `member_path` is a dot-separated path of wire
// member names ("TableName", "KeySchema.1.member.KeyType"; list positions and map keys as
// they would appear in the message), `value` the offending value (nullptr: a missing member,
// "Value null" in the legacy form), `constraint` the constraint phrase ("Member must ...").
// Operations that check what the model cannot state use this, never their own wording.
std::string validation_failure(std::string_view member_path, const Value* value,
                               std::string_view constraint, const ValidationStyle* style);

// "1 validation error detected: <a>" / "N validation errors detected: <a>; <b>" (the current
// wording keeps only the first).
std::string validation_message(const std::vector<std::string>& failures,
                               const ValidationStyle* style = nullptr);

// "streamName" from "StreamName".
std::string lower_first(std::string_view name);

// Length of a UTF-8 string in UTF-16 code units (how Java, and so AWS, counts characters).
size_t utf16_length(std::string_view utf8);

}  // namespace trib::aws
