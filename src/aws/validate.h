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
};

// Returns every violation message ("Value ... at ... failed to satisfy constraint: ..."),
// at most `limit` of them.
std::vector<std::string> validation_failures(const Value& input, const model::Shape& shape,
                                             size_t limit = 10, const ValidationStyle* style = nullptr);

// The full ValidationException message, or nullopt when the input is valid.
std::optional<std::string> validate(const Value& input, const model::Shape& shape,
                                    const ValidationStyle* style = nullptr);

// "streamName" from "StreamName".
std::string lower_first(std::string_view name);

// Length of a UTF-8 string in UTF-16 code units (how Java, and so AWS, counts characters).
size_t utf16_length(std::string_view utf8);

}  // namespace trib::aws
